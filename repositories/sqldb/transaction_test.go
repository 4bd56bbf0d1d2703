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

// twoWrites is a story that creates two materials, then fails as its
// third step says: what the transaction leaves behind is what a story
// that failed after its first write would.
type twoWrites struct{ created int }

func runTwoWrites(t *testing.T, db *sqlx.DB, third func() error) error {
	t.Helper()
	repo := sqldb.NewMaterials(db)
	now := time.Now()
	create := func(name string) func(context.Context, *twoWrites) error {
		return func(ctx context.Context, s *twoWrites) error {
			_, err := repo.Create(ctx, materials.Material{CompanyID: 1, Name: name, Quality: "steel", Thickness: 1, IsActive: true, CreatedAt: now, UpdatedAt: now})
			if err == nil {
				s.created++
			}
			return err
		}
	}
	s := story.MustNew(story.Definition[twoWrites]{
		Name:     "TwoWrites",
		Failures: []error{materials.ErrConflict},
		Steps: []story.Step[twoWrites]{
			story.Do("create first", create("first")),
			story.Do("create second", create("second")),
			story.Do("then", func(context.Context, *twoWrites) error { return third() }),
		},
	}).With(sqldb.Transaction(db))
	return s.Run(context.Background(), &twoWrites{})
}

func count(t *testing.T, db *sqlx.DB) int64 {
	t.Helper()
	n, err := sqldb.NewMaterials(db).Count(context.Background(), materials.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTransaction(t *testing.T) {
	stores := map[string]func(t *testing.T) string{
		"SQLite":           func(t *testing.T) string { return filepath.Join(t.TempDir(), "materials.db") },
		"SQLite in memory": func(t *testing.T) string { return ":memory:" },
		"Postgres":         func(t *testing.T) string { return pgtest.NewDatabase(t) },
	}
	for name, newURL := range stores {
		t.Run(name, func(t *testing.T) {
			cases := []struct {
				name  string
				third func() error
				want  int64
			}{
				{"a story that succeeds commits both rows", func() error { return nil }, 2},
				{"a story ended early with Done commits", func() error { return story.Done }, 2},
				{"a declared failure after two writes leaves nothing", func() error { return materials.ErrConflict }, 0},
				{"an internal error after two writes leaves nothing", func() error { return errors.New("disk on fire") }, 0},
				{"a panic after two writes leaves nothing", func() error { panic("step panicked") }, 0},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					db, err := sqldb.Open(context.Background(), newURL(t), "materials")
					if err != nil {
						t.Fatal(err)
					}
					defer db.Close()
					func() {
						defer func() { recover() }()
						_ = runTwoWrites(t, db, c.third)
					}()
					if got := count(t, db); got != c.want {
						t.Fatalf("%d materials after the story, want %d", got, c.want)
					}
				})
			}
		})
	}
}

func TestTransactionsOfTwoServicesStayApart(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	db, err := sqldb.Open(ctx, url, "materials")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var schema string
	if err := db.GetContext(ctx, &schema, "SELECT current_schema()"); err != nil {
		t.Fatal(err)
	}
	if schema != "materials" {
		t.Fatalf("current schema %q, want materials", schema)
	}
}
