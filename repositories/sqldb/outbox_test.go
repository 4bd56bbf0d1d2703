package sqldb_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/repositories/repotest"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// eventStores are the databases the outbox is tested on, each opened for
// the service named.
var eventStores = map[string]func(t testing.TB) string{
	"SQLite":           func(t testing.TB) string { return filepath.Join(t.TempDir(), "charter.db") },
	"SQLite in memory": func(testing.TB) string { return ":memory:" },
	"Postgres":         func(t testing.TB) string { return pgtest.NewDatabase(t) },
}

func openService(t testing.TB, url, service string) *sqlx.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, service)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOutbox(t *testing.T) {
	for name, newURL := range eventStores {
		for _, service := range []string{"materials", "quotes"} {
			t.Run(name+"/"+service, func(t *testing.T) {
				repotest.Outbox(t, func(tb testing.TB) (outbox.Store, outbox.Inbox) {
					db := openService(tb, newURL(tb), service)
					return sqldb.NewOutbox(db), sqldb.NewInbox(db)
				})
			})
		}
	}
}

// createAndRecord is a story that creates a material, records its event,
// then ends as its last step says.
type createAndRecord struct{ id int64 }

func runCreateAndRecord(db *sqlx.DB, last func() error) error {
	repo, events := sqldb.NewMaterials(db), sqldb.NewOutbox(db)
	now := time.Now()
	s := story.MustNew(story.Definition[createAndRecord]{
		Name:     "CreateAndRecord",
		Failures: []error{materials.ErrConflict},
		Steps: []story.Step[createAndRecord]{
			story.Do("create", func(ctx context.Context, s *createAndRecord) error {
				m, err := repo.Create(ctx, materials.Material{CompanyID: 1, Name: "steel sheet", Quality: "steel", Thickness: 1, IsActive: true, CreatedAt: now, UpdatedAt: now})
				s.id = m.ID
				return err
			}),
			story.Do("record", func(ctx context.Context, s *createAndRecord) error {
				return events.Record(ctx, story.Event{Type: "charter.materials.material.created", Subject: "1", Data: map[string]any{"id": s.id}})
			}),
			story.Do("then", func(context.Context, *createAndRecord) error { return last() }),
		},
	}).With(sqldb.Transaction(db))
	return s.Run(context.Background(), &createAndRecord{})
}

func TestEventsExistIffTheStoryCommits(t *testing.T) {
	for name, newURL := range eventStores {
		t.Run(name, func(t *testing.T) {
			cases := []struct {
				name string
				last func() error
				want int64
			}{
				{"a story that succeeds commits the material and its event", func() error { return nil }, 1},
				{"a story ended early with Done commits both", func() error { return story.Done }, 1},
				{"a declared failure after recording leaves neither", func() error { return materials.ErrConflict }, 0},
				{"an internal error after recording leaves neither", func() error { return errors.New("disk on fire") }, 0},
				{"a panic after recording leaves neither", func() error { panic("step panicked") }, 0},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					db := openService(t, newURL(t), "materials")
					func() {
						defer func() { recover() }()
						_ = runCreateAndRecord(db, c.last)
					}()
					events, err := sqldb.NewOutbox(db).Backlog(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					if got := count(t, db); got != c.want || events != c.want {
						t.Fatalf("%d materials and %d events after the story, want %d of each", got, events, c.want)
					}
				})
			}
		})
	}
}

func TestInboxCommitsWithTheHandlersWrites(t *testing.T) {
	for name, newURL := range eventStores {
		t.Run(name, func(t *testing.T) {
			db := openService(t, newURL(t), "materials")
			inbox, repo := sqldb.NewInbox(db), sqldb.NewMaterials(db)
			ctx := context.Background()
			now := time.Now()
			create := func(ctx context.Context) error {
				_, err := repo.Create(ctx, materials.Material{CompanyID: 1, Name: "from an event", Quality: "steel", Thickness: 1, CreatedAt: now, UpdatedAt: now})
				return err
			}
			boom := errors.New("boom")
			if _, err := inbox.Once(ctx, "quotes", "e1", func(ctx context.Context) error {
				if err := create(ctx); err != nil {
					return err
				}
				return boom
			}); !errors.Is(err, boom) {
				t.Fatalf("a handler failing after its write: %v, want boom", err)
			}
			if n := count(t, db); n != 0 {
				t.Fatalf("%d materials after the failed handler, want 0: its write must roll back", n)
			}
			for range 2 {
				if _, err := inbox.Once(ctx, "quotes", "e1", create); err != nil {
					t.Fatal(err)
				}
			}
			if n := count(t, db); n != 1 {
				t.Fatalf("%d materials after two deliveries, want 1", n)
			}
		})
	}
}
