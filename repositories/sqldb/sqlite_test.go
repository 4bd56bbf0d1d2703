package sqldb_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/charterhq/charter/repositories/repotest"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/stories/materials"
)

// newSQLite opens a migrated SQLite database in a file of its own, closed
// when tb ends.
func newSQLite(tb testing.TB) materials.Repository {
	db, err := sqldb.Open(context.Background(), filepath.Join(tb.TempDir(), "charter.db"), "materials")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return sqldb.NewMaterials(db)
}

func TestSQLiteMaterials(t *testing.T) {
	repotest.Materials(t, newSQLite)
}

func BenchmarkMaterials(b *testing.B) {
	b.Run("SQLite", func(b *testing.B) { repotest.BenchmarkMaterials(b, newSQLite) })
	b.Run("Postgres", func(b *testing.B) { repotest.BenchmarkMaterials(b, newPostgres) })
}
