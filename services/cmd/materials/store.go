package main

import (
	"context"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/stories/materials"
)

// store is the repository the server runs on, and how to probe and close
// what is behind it.
type store struct {
	repo  materials.Repository
	kind  string
	ping  func(context.Context) error
	Close func() error
}

// openStore opens the store databaseURL names: "memory" for the in-memory
// repository, a postgres:// URL for PostgreSQL, anything else a SQLite
// file. SQL schemas are migrated on open.
func openStore(ctx context.Context, databaseURL string) (*store, error) {
	if databaseURL == "memory" {
		return &store{
			repo:  memory.NewMaterials(),
			kind:  "memory",
			ping:  func(context.Context) error { return nil },
			Close: func() error { return nil },
		}, nil
	}
	db, err := sqldb.Open(ctx, databaseURL, "materials")
	if err != nil {
		return nil, err
	}
	return &store{repo: sqldb.NewMaterials(db), kind: storeKind(databaseURL), ping: db.PingContext, Close: db.Close}, nil
}

// storeKind names the store databaseURL selects: memory, postgres or
// sqlite.
func storeKind(databaseURL string) string {
	switch {
	case databaseURL == "memory":
		return "memory"
	case sqldb.IsPostgres(databaseURL):
		return "postgres"
	default:
		return "sqlite"
	}
}
