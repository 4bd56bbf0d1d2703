// Package sqldb stores aggregates in SQL databases through sqlx: embedded
// SQLite (modernc.org/sqlite, pure Go) by default and PostgreSQL (pgx) for
// deployments that outgrow one machine. One implementation serves both; the
// schema lives in embedded migrations that Open applies.
package sqldb

import (
	"context"
	"errors"
	"fmt"
	neturl "net/url"
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

// Open connects to the database at url as the store of one service, brings
// that service's schema up to date with its migrations and returns the
// pool. A url starting with "postgres://" or "postgresql://" opens
// PostgreSQL; anything else is SQLite: "sqlite:PATH", "sqlite://PATH",
// ":memory:" or a plain file path, whose directory is created when missing.
//
// Each service owns its data: on SQLite it has a file of its own; on
// PostgreSQL, unless the url sets search_path, its tables live in a schema
// named after the service, so that several services can share one
// database server, or one database, without sharing a table.
//
// SQLite is opened in WAL mode with foreign keys on, a busy timeout and
// immediate write transactions, so that concurrent requests queue for the
// single writer instead of failing with SQLITE_BUSY.
func Open(ctx context.Context, url, service string) (*sqlx.DB, error) {
	if !validService(service) {
		return nil, fmt.Errorf("sqldb: %q is not a service name (lower-case letters, digits and _)", service)
	}
	schema := ""
	if IsPostgres(url) {
		var err error
		if url, schema, err = withSchema(url, service); err != nil {
			return nil, err
		}
	}
	db, err := connect(url)
	if err != nil {
		return nil, err
	}
	if err := ping(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqldb: connect: %w", err)
	}
	if err := migrate(ctx, db, service, schema); err != nil {
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

// ping checks the first connection. Switching a new SQLite file to WAL
// needs a moment of exclusive access, which SQLite refuses at once,
// without its busy timeout, while another process opens the same file:
// that refusal is retried for as long as the busy timeout would wait.
func ping(ctx context.Context, db *sqlx.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := db.PingContext(ctx)
		if !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// validService reports whether name can name a migration set and a
// PostgreSQL schema as it is, without quoting.
func validService(name string) bool {
	if name == "" || len(name) > 63 || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// withSchema returns a PostgreSQL url whose connections use the service's
// schema, and the schema to create, unless the url chose its own
// search_path: then it is returned as it is with no schema to create.
func withSchema(raw, service string) (string, string, error) {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("sqldb: the PostgreSQL url does not parse: %w", redact(err))
	}
	q := u.Query()
	if q.Has("search_path") {
		return raw, "", nil
	}
	q.Set("search_path", service)
	u.RawQuery = q.Encode()
	return u.String(), service, nil
}

// redact drops the url from a url.Error, which may hold a password.
func redact(err error) error {
	if ue, ok := errors.AsType[*neturl.Error](err); ok {
		return ue.Err
	}
	return err
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
	q, err := neturl.ParseQuery(query)
	if err != nil {
		q = neturl.Values{}
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
