package sqldb_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
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

// inboxOn opens a database of materials and returns it, its inbox, and
// the handler that creates a material of the name it is given.
func inboxOn(t *testing.T, url string) (*sqlx.DB, *sqldb.Inbox, func(name string) func(ctx context.Context) error) {
	db := openService(t, url, "materials")
	repo, now := sqldb.NewMaterials(db), time.Now()
	return db, sqldb.NewInbox(db), func(name string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := repo.Create(ctx, materials.Material{CompanyID: 1, Name: name, Quality: "steel", Thickness: 1, CreatedAt: now, UpdatedAt: now})
			return err
		}
	}
}

func TestInboxCommitsWithTheHandlersWrites(t *testing.T) {
	for name, newURL := range eventStores {
		t.Run(name, func(t *testing.T) {
			db, inbox, createNamed := inboxOn(t, newURL(t))
			ctx := context.Background()
			create := createNamed("from an event")
			boom := errors.New("boom")
			if _, err := outbox.Once(ctx, inbox, "quotes", "e1", func(ctx context.Context) error {
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
				if _, err := outbox.Once(ctx, inbox, "quotes", "e1", create); err != nil {
					t.Fatal(err)
				}
			}
			if n := count(t, db); n != 1 {
				t.Fatalf("%d materials after two deliveries, want 1", n)
			}
		})
	}
}

func TestInboxBatchRollsBackAFailingEventAlone(t *testing.T) {
	for name, newURL := range eventStores {
		t.Run(name, func(t *testing.T) {
			db, inbox, create := inboxOn(t, newURL(t))
			ctx := context.Background()
			boom := errors.New("boom")
			// e4 and e6 come without being announced: their rows are
			// written in their savepoints rather than by Begin.
			b, err := inbox.Begin(ctx, "quotes", []string{"e1", "e2", "e3"})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Rollback()
			run := func(id string, fn func(ctx context.Context) error) (bool, error) {
				t.Helper()
				ran, err := b.Once(ctx, id, fn)
				if errors.Is(err, outbox.ErrBatchFailed) {
					t.Fatalf("%s broke the batch: %v", id, err)
				}
				return ran, err
			}
			if ran, err := run("e1", create("one")); err != nil || !ran {
				t.Fatalf("e1: ran %v, %v", ran, err)
			}
			if _, err := run("e2", func(ctx context.Context) error {
				if err := create("two")(ctx); err != nil {
					return err
				}
				return boom
			}); !errors.Is(err, boom) {
				t.Fatalf("e2: %v, want boom", err)
			}
			// Statements that fail (the name is taken), which on
			// PostgreSQL abort the transaction until the rollback to the
			// event's savepoint.
			for _, id := range []string{"e3", "e4"} {
				if _, err := run(id, create("one")); !errors.Is(err, materials.ErrConflict) {
					t.Fatalf("%s: %v, want a conflict", id, err)
				}
			}
			if ran, err := run("e6", create("six")); err != nil || !ran {
				t.Fatalf("e6: ran %v, %v", ran, err)
			}
			if err := b.Commit(); err != nil {
				t.Fatal(err)
			}
			if names := column(t, db, "SELECT name FROM materials ORDER BY name"); names != "one,six" {
				t.Errorf("materials %v after the batch, want one and six: the failed events' writes roll back alone", names)
			}
			if handled := column(t, db, "SELECT event_id FROM inbox ORDER BY event_id"); handled != "e1,e6" {
				t.Errorf("inbox %v after the batch, want e1 and e6: a failed event is handled when it comes again", handled)
			}
		})
	}
}

func TestInboxBatchWithAFailedStatementAHandlerSwallowed(t *testing.T) {
	for name, newURL := range eventStores {
		t.Run(name, func(t *testing.T) {
			url := newURL(t)
			db, inbox, create := inboxOn(t, url)
			ctx := context.Background()
			b, err := inbox.Begin(ctx, "quotes", []string{"e1", "e2", "e3"})
			if err != nil {
				t.Fatal(err)
			}
			defer b.Rollback()
			var failed error
			for _, h := range []struct {
				id string
				fn func(ctx context.Context) error
			}{
				{"e1", create("one")},
				{"e2", func(ctx context.Context) error {
					_ = create("one")(ctx) // the name is taken
					return nil
				}},
				{"e3", create("three")},
			} {
				if _, err := b.Once(ctx, h.id, h.fn); err != nil {
					failed = err
					break
				}
			}
			if failed == nil {
				failed = b.Commit()
			}
			names, handled := column(t, db, "SELECT name FROM materials ORDER BY name"), column(t, db, "SELECT event_id FROM inbox ORDER BY event_id")
			if sqldb.IsPostgres(url) {
				// The failed statement aborted the transaction: the batch
				// fails at its next statement, and commits nothing.
				if failed == nil || names != "" || handled != "" {
					t.Errorf("the batch ended with %v, leaving materials %q and inbox %q; want a failure and nothing", failed, names, handled)
				}
				return
			}
			// SQLite rolls back the failed statement alone.
			if failed != nil || names != "one,three" || handled != "e1,e2,e3" {
				t.Errorf("the batch ended with %v, leaving materials %q and inbox %q", failed, names, handled)
			}
		})
	}
}

// column returns the values of a one-column query, comma-separated.
func column(t *testing.T, db *sqlx.DB, query string) string {
	t.Helper()
	var values []string
	if err := db.Select(&values, query); err != nil {
		t.Fatal(err)
	}
	return strings.Join(values, ",")
}

func TestInboxBatchRolledBackLeavesNothing(t *testing.T) {
	for name, newURL := range eventStores {
		t.Run(name, func(t *testing.T) {
			db, inbox, create := inboxOn(t, newURL(t))
			ctx := context.Background()
			b, err := inbox.Begin(ctx, "quotes", []string{"e1"})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{"e1", "e2"} {
				if ran, err := b.Once(ctx, id, create(id)); err != nil || !ran {
					t.Fatalf("%s: ran %v, %v", id, ran, err)
				}
			}
			if err := b.Rollback(); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db); n != 0 {
				t.Errorf("%d materials after the rollback, want 0", n)
			}
			if ran, err := outbox.Once(ctx, inbox, "quotes", "e1", func(context.Context) error { return nil }); err != nil || !ran {
				t.Errorf("e1 after the rollback: ran %v, %v; want it handled anew", ran, err)
			}
		})
	}
}
