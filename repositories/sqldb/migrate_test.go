package sqldb_test

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
)

func TestMigrate(t *testing.T) {
	urls := map[string]func(t *testing.T) string{
		"SQLite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "var", "charter.db") },
		"Postgres": func(t *testing.T) string { return pgtest.NewDatabase(t) },
	}
	for name, newURL := range urls {
		t.Run(name+": opening again applies nothing twice", func(t *testing.T) {
			url := newURL(t)
			for range 3 {
				db := open(t, url)
				assertMigrated(t, db)
				db.Close()
			}
		})
		t.Run(name+": processes starting at once migrate once", func(t *testing.T) {
			url := newURL(t)
			// Separate pools stand for separate processes.
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range errs {
				wg.Go(func() {
					db, err := sqldb.Open(context.Background(), url, "materials")
					if err == nil {
						db.Close()
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			db := open(t, url)
			defer db.Close()
			assertMigrated(t, db)
		})
	}
}

func open(t *testing.T, url string) *sqlx.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, "materials")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func assertMigrated(t *testing.T, db *sqlx.DB) {
	t.Helper()
	var versions []int64
	if err := db.Select(&versions, "SELECT version FROM schema_migrations ORDER BY version"); err != nil {
		t.Fatal(err)
	}
	// Every migration of materials, numbered from 1 without a gap.
	files, err := filepath.Glob("migrations/sqlite/materials/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("the migrations of materials: %v, %v", files, err)
	}
	want := make([]int64, len(files))
	for i := range want {
		want[i] = int64(i + 1)
	}
	if !slices.Equal(versions, want) {
		t.Errorf("schema_migrations versions = %v, want %v", versions, want)
	}
}

func TestOpenRejects(t *testing.T) {
	for _, url := range []string{"", "sqlite:", "file:charter.db"} {
		if db, err := sqldb.Open(context.Background(), url, "materials"); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", url)
		}
	}
}

func TestOpenMemory(t *testing.T) {
	db := open(t, "sqlite::memory:")
	defer db.Close()
	assertMigrated(t, db)
}
