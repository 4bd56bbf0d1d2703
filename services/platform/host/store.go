package host

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/sqldb"
)

// store is a service's database, or the in-memory store when db is nil.
type store struct {
	db   *sqlx.DB
	kind string
}

// openStore opens the store url names for service: "memory" for the
// in-memory store, a postgres:// URL for PostgreSQL (the service's own
// schema), anything else a SQLite file. SQL schemas are migrated on open.
func openStore(ctx context.Context, url, service string) (*store, error) {
	if url == "memory" {
		return &store{kind: "memory"}, nil
	}
	db, err := sqldb.Open(ctx, url, service)
	if err != nil {
		return nil, err
	}
	return &store{db: db, kind: StoreKind(url)}, nil
}

func (s *store) ping(ctx context.Context) error {
	if s.db == nil {
		return nil
	}
	return s.db.PingContext(ctx)
}

// Close closes the database.
func (s *store) Close() {
	if s.db != nil {
		s.db.Close()
	}
}

// StoreKind names the store a database URL selects: memory, postgres or
// sqlite.
func StoreKind(url string) string {
	switch {
	case url == "memory":
		return "memory"
	case sqldb.IsPostgres(url):
		return "postgres"
	default:
		return "sqlite"
	}
}

// databaseURL is the database of service: CHARTER_<NAME>_DATABASE_URL,
// else DATABASE_URL when it is "memory" or a PostgreSQL URL (every service
// in its own schema), else a SQLite file of its own under the data
// directory. A SQLite DATABASE_URL names one file, so it serves only a
// process that hosts one service.
func databaseURL(cfg Config, service string, getenv func(string) string, several bool) (string, error) {
	if v := getenv(envName(service, "DATABASE_URL")); v != "" {
		return v, nil
	}
	switch url := cfg.DatabaseURL; {
	case url == "":
		return filepath.Join(cfg.DataDir, service+".db"), nil
	case url == "memory" || sqldb.IsPostgres(url):
		return url, nil
	case several:
		return "", fmt.Errorf("DATABASE_URL names one SQLite file, and each service needs its own: set %s, or leave DATABASE_URL unset for files under CHARTER_DATA_DIR", envName(service, "DATABASE_URL"))
	default:
		return url, nil
	}
}
