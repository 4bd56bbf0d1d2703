package main

import (
	"context"
	"strings"

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
	db, err := sqldb.Open(ctx, databaseURL)
	if err != nil {
		return nil, err
	}
	kind := "sqlite"
	if strings.HasPrefix(databaseURL, "postgres") {
		kind = "postgres"
	}
	return &store{repo: sqldb.NewMaterials(db), kind: kind, ping: db.PingContext, Close: db.Close}, nil
}
