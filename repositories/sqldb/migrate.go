package sqldb

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// migrationFiles holds one directory of numbered SQL files per dialect and
// service, "migrations/sqlite/materials/0001_materials.sql" and its
// PostgreSQL twin: each service migrates its own database.
//
//go:embed migrations
var migrationFiles embed.FS

// migrationLock is the PostgreSQL advisory lock that serializes
// migrations when several processes start at once. SQLite needs none: each
// migration runs in an immediate transaction, which holds the write lock.
const migrationLock int64 = 0x63_68_61_72_74_65_72 // "charter"

type migration struct {
	version int64
	name    string
	sql     string
}

// Migrate applies, in version order, every embedded migration of service
// that the database has not recorded in schema_migrations. Each runs in
// its own transaction with its record, so a failed migration leaves
// nothing behind and a rerun starts where the last one stopped. Open calls
// it; it is exported for callers that build their own pool, whose
// PostgreSQL connections must already use the schema they want.
func Migrate(ctx context.Context, db *sqlx.DB, service string) error {
	if !validService(service) {
		return fmt.Errorf("sqldb: %q is not a service name", service)
	}
	return migrate(ctx, db, service, "")
}

// migrate applies service's migrations, first creating schema on
// PostgreSQL when it is not empty.
func migrate(ctx context.Context, db *sqlx.DB, service, schema string) error {
	d, err := dialectOf(db)
	if err != nil {
		return err
	}
	pending, err := loadMigrations(path.Join(d.migrations, service))
	if err != nil {
		return err
	}
	if len(pending) == 0 {
		return fmt.Errorf("sqldb: no migrations for service %q", service)
	}
	d.schema = schema
	for _, m := range pending {
		if err := applyMigration(ctx, db, d, m); err != nil {
			return fmt.Errorf("sqldb: migration %s: %w", m.name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sqlx.DB, d dialect, m migration) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	if d.postgres {
		// A transaction-level lock, released by commit or rollback, so a
		// failure can never leave a session holding it.
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return err
		}
		if d.schema != "" {
			// The name passed validService: it needs no quoting.
			if _, err := tx.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+d.schema); err != nil {
				return err
			}
		}
	}
	// Created under the lock: concurrent CREATE TABLE IF NOT EXISTS can
	// still collide in PostgreSQL's catalog.
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    BIGINT PRIMARY KEY,
		name       TEXT   NOT NULL,
		applied_at BIGINT NOT NULL
	)`); err != nil {
		return err
	}
	var applied int
	if err := tx.GetContext(ctx, &applied, tx.Rebind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), m.version); err != nil {
		return err
	}
	if applied > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
		m.version, m.name, time.Now().UTC().UnixNano()); err != nil {
		return err
	}
	return tx.Commit()
}

// loadMigrations reads the migrations of one dialect's directory, sorted by
// the number their name starts with.
func loadMigrations(dir string) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("sqldb: migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		number, _, _ := strings.Cut(e.Name(), "_")
		version, err := strconv.ParseInt(number, 10, 64)
		if err != nil || version <= 0 {
			return nil, fmt.Errorf("sqldb: migration %s: name must start with a positive number and _", e.Name())
		}
		sql, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: version, name: e.Name(), sql: string(sql)})
	}
	slices.SortFunc(out, func(a, b migration) int { return cmp.Compare(a.version, b.version) })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("sqldb: migrations %s and %s share a version", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}
