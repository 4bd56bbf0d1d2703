package sqldb_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/idempotency"
	"github.com/charterhq/charter/repositories/repotest"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/quotes"
)

// The databases the idempotency keys are tested on: each service's
// migrations create the table, so the keys of both are.
var keyDatabases = []struct {
	name string
	open func(tb testing.TB, service string) *sqlx.DB
}{
	{"sqlite", func(tb testing.TB, service string) *sqlx.DB {
		return openKeys(tb, filepath.Join(tb.TempDir(), service+".db"), service)
	}},
	{"postgres", func(tb testing.TB, service string) *sqlx.DB {
		return openKeys(tb, pgtest.NewDatabase(tb), service) // skips without PostgreSQL
	}},
}

func openKeys(tb testing.TB, url, service string) *sqlx.DB {
	db, err := sqldb.Open(context.Background(), url, service)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestIdempotencyKeys(t *testing.T) {
	for _, d := range keyDatabases {
		for _, service := range []string{"materials", "quotes"} {
			t.Run(d.name+"/"+service, func(t *testing.T) {
				repotest.IdempotencyKeys(t, func(tb testing.TB) idempotency.Store {
					return sqldb.NewIdempotencyKeys(d.open(tb, service))
				})
			})
		}
	}
}

// TestIdempotencyTakeoverRollsBackTheSlowWork has a request outlive its
// key's lease, another take the key over, and the first finish with its
// quote created: that quote is rolled back with its answer, so that the
// key's one effect is the taker's.
func TestIdempotencyTakeoverRollsBackTheSlowWork(t *testing.T) {
	for _, d := range keyDatabases {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			db := d.open(t, "quotes")
			keys, repo := sqldb.NewIdempotencyKeys(db), sqldb.NewQuotes(db)
			k := idempotency.Key{Subject: "bob", Value: "k"}
			epoch := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
			slow, taker := epoch, epoch.Add(6*time.Minute)
			reserve := func(at time.Time) {
				held, err := keys.Reserve(ctx, k, "h", at, at.Add(-24*time.Hour), at.Add(-5*time.Minute))
				if err != nil || held != nil {
					t.Fatalf("reserve at %v: %+v, %v", at, held, err)
				}
			}
			create := func(ctx context.Context) (*idempotency.Response, error) {
				q, err := repo.Create(ctx, quotes.Quote{CompanyID: 1, State: quotes.Draft, CreatedAt: epoch, UpdatedAt: epoch})
				if err != nil {
					return nil, err
				}
				return &idempotency.Response{Status: http.StatusCreated, Header: http.Header{}, Body: []byte{byte('0' + q.ID)}}, nil
			}
			reserve(slow)
			reserve(taker)
			if err := keys.Complete(ctx, k, slow, create); !errors.Is(err, idempotency.ErrTakenOver) {
				t.Fatalf("the slow request completed: %v, want ErrTakenOver", err)
			}
			if err := keys.Complete(ctx, k, taker, create); err != nil {
				t.Fatal(err)
			}
			n, err := repo.Count(ctx, quotes.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("%d quotes, want the taker's only", n)
			}
		})
	}
}
