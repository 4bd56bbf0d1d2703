package sqldb_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/charterhq/charter/repositories/repotest"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/quotes"
)

func TestSQLiteMaterialCopies(t *testing.T) {
	repotest.MaterialCopies(t, func(tb testing.TB) quotes.MaterialCopies {
		db, err := sqldb.Open(context.Background(), filepath.Join(tb.TempDir(), "quotes.db"), "quotes")
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return sqldb.NewMaterialCopies(db)
	})
}

func TestPostgresMaterialCopies(t *testing.T) {
	repotest.MaterialCopies(t, func(tb testing.TB) quotes.MaterialCopies {
		db, err := sqldb.Open(context.Background(), pgtest.NewDatabase(tb), "quotes")
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return sqldb.NewMaterialCopies(db)
	})
}
