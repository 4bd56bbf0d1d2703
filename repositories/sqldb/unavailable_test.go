package sqldb_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// TestUnavailablePostgres halts a PostgreSQL server of its own under an
// open pool: every way a repository reaches it fails with an error that
// wraps ErrUnavailable, and the same calls work again once it is back.
func TestUnavailablePostgres(t *testing.T) {
	server, err := pgtest.Start(context.Background())
	if errors.Is(err, pgtest.ErrNoBinaries) {
		t.Skipf("skipping the PostgreSQL tests: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Stop() })
	ctx := context.Background()
	db, err := sqldb.Open(ctx, server.NewDatabase(t), "materials")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	repo := sqldb.NewMaterials(db)
	if _, err := repo.Create(ctx, material("before")); err != nil {
		t.Fatal(err)
	}

	if err := server.Halt(); err != nil {
		t.Fatal(err)
	}
	for name, call := range calls(db, repo) {
		t.Run(name+" while the server is down", func(t *testing.T) {
			if err := call(ctx); !errors.Is(err, sqldb.ErrUnavailable) {
				t.Errorf("err = %v, want one that wraps sqldb.ErrUnavailable", err)
			}
		})
	}

	if err := server.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	for name, call := range calls(db, repo) {
		t.Run(name+" once it is back", func(t *testing.T) {
			// The pool may hold connections the outage broke: the first
			// call on one may still fail, as unavailable, and must not
			// fail twice.
			err := call(ctx)
			if errors.Is(err, sqldb.ErrUnavailable) {
				err = call(ctx)
			}
			if err != nil && !errors.Is(err, materials.ErrNotFound) {
				t.Errorf("err = %v, want none", err)
			}
		})
	}
}

// TestUnavailableSQLiteBusy holds SQLite's write lock from another
// connection for longer than the busy timeout: a write fails with an
// error that wraps ErrUnavailable, since trying again later may work.
func TestUnavailableSQLiteBusy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "materials.db")
	db, err := sqldb.Open(ctx, "sqlite:"+path+"?_pragma=busy_timeout(50)", "materials")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	holder, err := sqlx.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { holder.Close() })
	conn, err := holder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.ExecContext(ctx, "ROLLBACK")
		conn.Close()
	})

	_, err = sqldb.NewMaterials(db).Create(ctx, material("locked out"))
	if !errors.Is(err, sqldb.ErrUnavailable) {
		t.Errorf("Create while another connection holds the write lock: err = %v, want one that wraps sqldb.ErrUnavailable", err)
	}
}

// TestNotUnavailable checks that failures which trying again cannot cure
// do not claim to be unavailability.
func TestNotUnavailable(t *testing.T) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, filepath.Join(t.TempDir(), "materials.db"), "materials")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	repo := sqldb.NewMaterials(db)
	if _, err := repo.Create(ctx, material("taken")); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"a unique violation": func() error { _, err := repo.Create(ctx, material("taken")); return err },
		"no row":             func() error { _, err := repo.Get(ctx, 999); return err },
		"a statement the database refuses": func() error {
			_, err := db.ExecContext(ctx, "SELECT * FROM no_such_table")
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			if err := call(); err == nil || errors.Is(err, sqldb.ErrUnavailable) {
				t.Errorf("err = %v, want an error that does not wrap sqldb.ErrUnavailable", err)
			}
		})
	}
}

func material(name string) materials.Material {
	now := time.Now()
	return materials.Material{CompanyID: 1, Name: name, Quality: "steel", Thickness: 1, IsActive: true, CreatedAt: now, UpdatedAt: now}
}

// calls are the ways a repository reaches its database: a read, a write
// that returns a row, a write that does not, and a story transaction.
func calls(db *sqlx.DB, repo *sqldb.Materials) map[string]func(context.Context) error {
	tx := story.MustNew(story.Definition[struct{}]{
		Name:     "Read",
		Failures: []error{materials.ErrNotFound},
		Steps: []story.Step[struct{}]{
			story.Do("count", func(ctx context.Context, _ *struct{}) error {
				_, err := repo.Count(ctx, materials.Filter{})
				return err
			}),
		},
	}).With(sqldb.Transaction(db))
	return map[string]func(context.Context) error{
		"Get": func(ctx context.Context) error { _, err := repo.Get(ctx, 1); return err },
		"Create": func(ctx context.Context) error {
			_, err := repo.Create(ctx, material("during "+time.Now().String()))
			return err
		},
		"Delete":      func(ctx context.Context) error { return repo.Delete(ctx, 999, 0) },
		"Transaction": func(ctx context.Context) error { return tx.Run(ctx, &struct{}{}) },
	}
}
