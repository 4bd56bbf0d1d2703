package diff_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func join(s []string) string { return strings.Join(s, " ") }
