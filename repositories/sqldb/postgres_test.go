package sqldb_test

import (
	"context"
	"testing"

	"github.com/charterhq/charter/repositories/repotest"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/materials"
)

// newPostgres opens a migrated database of its own on the shared throwaway
// server, closed when tb ends.
func newPostgres(tb testing.TB) materials.Repository {
	db, err := sqldb.Open(context.Background(), pgtest.NewDatabase(tb), "materials")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return sqldb.NewMaterials(db)
}

func TestPostgresMaterials(t *testing.T) {
	repotest.Materials(t, newPostgres)
}
