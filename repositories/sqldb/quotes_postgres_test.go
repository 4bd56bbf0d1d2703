package sqldb_test

import (
	"context"
	"testing"

	"github.com/charterhq/charter/repositories/repotest"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/quotes"
)

// newPostgresQuotes opens a migrated quotes database of its own on the
// shared throwaway server, closed when tb ends.
func newPostgresQuotes(tb testing.TB) quotes.Repository {
	db, err := sqldb.Open(context.Background(), pgtest.NewDatabase(tb), "quotes")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return sqldb.NewQuotes(db)
}

func TestPostgresQuotes(t *testing.T) {
	repotest.Quotes(t, newPostgresQuotes)
}
