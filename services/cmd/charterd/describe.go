package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/services/platform/host"
)

// describe prints every wired story of every service as it describes
// itself: its steps, its failures and what fills each dependency, with the
// repositories that DATABASE_URL selects. It connects to nothing: SQLite
// and PostgreSQL share one repository implementation, which an in-memory
// SQLite database stands in for.
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
	kind := host.StoreKind(cfg.DatabaseURL)
	if cfg.DatabaseURL == "" {
		kind = "sqlite"
	}
	// The kind only: a PostgreSQL URL may carry a password.
	fmt.Fprintf(w, "store: %s\n\n", kind)
	ctx := context.Background()
	for _, s := range services() {
		// An outbox nobody relays: described, nothing is recorded.
		env := host.Env{Now: time.Now, Peers: map[string]host.Peer{}, Events: memory.NewOutbox()}
		for _, c := range s.Calls {
			// Described, never called.
			env.Peers[c.Service] = host.Peer{BaseURL: "http://" + c.Service, Client: http.DefaultClient}
		}
		if kind != "memory" {
			db, err := sqldb.Open(ctx, ":memory:", s.Name)
			if err != nil {
				return err
			}
			defer db.Close()
			env.DB = db
		}
		built, err := s.Build(ctx, env)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		fmt.Fprintf(w, "# %s\n\n", s.Title)
		for _, d := range built.Describe() {
			fmt.Fprintln(w, d.String())
		}
	}
	return nil
}
