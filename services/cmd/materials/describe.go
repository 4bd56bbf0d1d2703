package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/services/materials"
	stories "github.com/charterhq/charter/stories/materials"
)

// describe prints every wired story as it describes itself: its steps,
// its failures and what fills each dependency, with the repository that
// DATABASE_URL selects. It connects to nothing: SQLite and PostgreSQL
// share one repository implementation, which an in-memory SQLite
// database stands in for.
func describe(getenv func(string) string, w io.Writer) error {
	// Only DATABASE_URL matters here: a setting describe does not use
	// must not stop it.
	cfg, err := host.FromEnv(func(key string) string {
		if key == "DATABASE_URL" {
			return getenv(key)
		}
		return ""
	})
	if err != nil {
		return err
	}
	kind := storeKind(cfg.DatabaseURL)
	var repo stories.Repository = memory.NewMaterials()
	if kind != "memory" {
		db, err := sqldb.Open(context.Background(), ":memory:", "materials")
		if err != nil {
			return err
		}
		defer db.Close()
		repo = sqldb.NewMaterials(db)
	}
	wiring, err := materials.Wire(repo, time.Now)
	if err != nil {
		return err
	}
	// The kind only: a PostgreSQL URL may carry a password.
	fmt.Fprintf(w, "store: %s\n\n", kind)
	for _, d := range wiring.Describe() {
		fmt.Fprintln(w, d.String())
	}
	return nil
}
