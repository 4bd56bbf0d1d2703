package sqldb_test

import (
	"path/filepath"
	"testing"
)

func TestOpenSQLiteSettings(t *testing.T) {
	for _, url := range []string{
		filepath.Join(t.TempDir(), "a.db"),
		"sqlite:" + filepath.Join(t.TempDir(), "b.db"),
		"sqlite://" + filepath.Join(t.TempDir(), "c.db") + "?_pragma=busy_timeout(2000)",
	} {
		db := open(t, url)
		defer db.Close()
		var journal string
		var foreignKeys, busyTimeout int
		if err := db.Get(&journal, "PRAGMA journal_mode"); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&foreignKeys, "PRAGMA foreign_keys"); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&busyTimeout, "PRAGMA busy_timeout"); err != nil {
			t.Fatal(err)
		}
		want := 10000
		if filepath.Base(url) == "c.db?_pragma=busy_timeout(2000)" {
			want = 2000 // the url's own setting wins
		}
		if journal != "wal" || foreignKeys != 1 || busyTimeout != want {
			t.Errorf("%s: journal_mode %s, foreign_keys %d, busy_timeout %d; want wal, 1, %d",
				url, journal, foreignKeys, busyTimeout, want)
		}
	}
}
