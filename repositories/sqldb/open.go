// Package sqldb stores aggregates in SQL databases through sqlx: embedded
// SQLite (modernc.org/sqlite, pure Go) by default and PostgreSQL (pgx) for
// deployments that outgrow one machine. One implementation serves both; the
// schema lives in embedded migrations that Open applies.
package sqldb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	// The two drivers, registered as "pgx" and "sqlite".
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"
)

// Driver names as database/sql knows them.
const (
	driverPostgres = "pgx"
	driverSQLite   = "sqlite"
)

// Open connects to the database at url, brings its schema up to date and
// returns the pool. A url starting with "postgres://" or "postgresql://"
// opens PostgreSQL; anything else is SQLite: "sqlite:PATH", "sqlite://PATH",
// ":memory:" or a plain file path, whose directory is created when missing.
//
// SQLite is opened in WAL mode with foreign keys on, a busy timeout and
// immediate write transactions, so that concurrent requests queue for the
// single writer instead of failing with SQLITE_BUSY.
func Open(ctx context.Context, url string) (*sqlx.DB, error) {
	db, err := connect(url)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqldb: connect: %w", err)
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// IsPostgres reports whether url names a PostgreSQL database; Open takes
// any other url for a SQLite file (or ":memory:").
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

func connect(url string) (*sqlx.DB, error) {
	if IsPostgres(url) {
		db, err := sqlx.Open(driverPostgres, url)
		if err != nil {
			return nil, fmt.Errorf("sqldb: open postgres: %w", err)
		}
		db.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
		db.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
		db.SetConnMaxIdleTime(5 * time.Minute)
		return db, nil
	}

	path, query, err := sqlitePath(url)
	if err != nil {
		return nil, err
	}
	memory := path == ":memory:" || strings.Contains(query, "mode=memory")
	if !memory {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("sqldb: create the directory of %s: %w", path, err)
		}
	}
	db, err := sqlx.Open(driverSQLite, path+"?"+sqliteParams(query))
	if err != nil {
		return nil, fmt.Errorf("sqldb: open sqlite: %w", err)
	}
	if memory {
		// Every connection to ":memory:" is a database of its own: keep
		// exactly one, forever.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	} else {
		// WAL lets readers run beside the one writer; writers wait on the
		// busy timeout. A few connections per CPU is all that helps.
		n := max(4, runtime.GOMAXPROCS(0))
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
	}
	return db, nil
}

// sqlitePath splits a SQLite url into the file path and its query string.
func sqlitePath(url string) (path, query string, err error) {
	path = url
	switch {
	case strings.HasPrefix(path, "sqlite://"):
		path = strings.TrimPrefix(path, "sqlite://")
	case strings.HasPrefix(path, "sqlite:"):
		path = strings.TrimPrefix(path, "sqlite:")
	case strings.HasPrefix(path, "file:"):
		return "", "", errors.New(`sqldb: "file:" URIs are not supported; give a path or "sqlite:PATH"`)
	}
	path, query, _ = strings.Cut(path, "?")
	if path == "" {
		return "", "", fmt.Errorf("sqldb: %q names no database", url)
	}
	return path, query, nil
}

// sqlitePragmas are set on every connection unless the url sets them.
var sqlitePragmas = []string{
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"foreign_keys(1)",
	// NORMAL is durable across application crashes in WAL mode; only a
	// power loss can lose the last transactions.
	"synchronous(NORMAL)",
}

// sqliteParams adds the default pragmas and transaction mode to the
// parameters the url gave, without overriding any of them.
func sqliteParams(query string) string {
	q, err := url.ParseQuery(query)
	if err != nil {
		q = url.Values{}
	}
	given := strings.ToLower(strings.Join(q["_pragma"], " "))
	for _, p := range sqlitePragmas {
		name, _, _ := strings.Cut(p, "(")
		if !strings.Contains(given, name) {
			q.Add("_pragma", p)
		}
	}
	if q.Get("_txlock") == "" {
		// Take the write lock at BEGIN: a deferred transaction that reads
		// and then writes fails at once with SQLITE_BUSY when another
		// connection wrote meanwhile, whatever the busy timeout.
		q.Set("_txlock", "immediate")
	}
	return q.Encode()
}
