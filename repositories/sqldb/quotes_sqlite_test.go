package sqldb_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/charterhq/charter/repositories/repotest"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/stories/quotes"
)

// newSQLiteQuotes opens a migrated quotes database in a SQLite file of its
// own, closed when tb ends.
func newSQLiteQuotes(tb testing.TB) quotes.Repository {
	db, err := sqldb.Open(context.Background(), filepath.Join(tb.TempDir(), "quotes.db"), "quotes")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return sqldb.NewQuotes(db)
}

func TestSQLiteQuotes(t *testing.T) {
	repotest.Quotes(t, newSQLiteQuotes)
}
