package sqldb

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jmoiron/sqlx"
	"modernc.org/sqlite"
)

// dialect is what differs between the two databases. Everything else,
// queries included, is shared: sqlx rebinds the placeholders.
type dialect struct {
	postgres   bool
	migrations string // directory in migrationFiles
	schema     string // PostgreSQL schema to create before migrating, if any
}

func dialectOf(db *sqlx.DB) (dialect, error) {
	switch db.DriverName() {
	case driverPostgres:
		return dialect{postgres: true, migrations: "migrations/postgres"}, nil
	case driverSQLite:
		return dialect{migrations: "migrations/sqlite"}, nil
	}
	return dialect{}, fmt.Errorf("sqldb: unsupported driver %q: open the database with Open", db.DriverName())
}

// Error codes of a unique-constraint violation.
const (
	sqliteConstraintUnique  = 2067    // SQLITE_CONSTRAINT_UNIQUE
	postgresUniqueViolation = "23505" // unique_violation
)

// isUniqueViolation reports whether err is a unique-index violation in
// either database.
func isUniqueViolation(err error) bool {
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		return pgErr.Code == postgresUniqueViolation
	}
	if liteErr, ok := errors.AsType[*sqlite.Error](err); ok {
		return liteErr.Code() == sqliteConstraintUnique
	}
	return false
}
