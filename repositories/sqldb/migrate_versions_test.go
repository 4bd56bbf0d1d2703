package sqldb

import (
	"io/fs"
	"path"
	"testing"
)

// Two branches may each add a service's next migration under the same
// number, which git merges without a conflict: every service's
// migrations load, in both dialects, without sharing a version.
func TestEveryServicesMigrationsLoad(t *testing.T) {
	for _, dialect := range []string{"migrations/postgres", "migrations/sqlite"} {
		services, err := fs.ReadDir(migrationFiles, dialect)
		if err != nil || len(services) == 0 {
			t.Fatalf("%s: %v, %v", dialect, services, err)
		}
		for _, s := range services {
			if _, err := loadMigrations(path.Join(dialect, s.Name())); err != nil {
				t.Error(err)
			}
		}
	}
}
