package pgtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
)

// packagedBinaries is where Debian and Ubuntu install each major version.
var packagedBinaries = "/usr/lib/postgresql/*/bin"

// Binaries returns the directory holding initdb and postgres: the one of
// initdb on PATH, or else the newest /usr/lib/postgresql/VERSION/bin, where
// Debian and Ubuntu packages put them off PATH. Returns ErrNoBinaries.
func Binaries() (string, error) {
	if initdb, err := exec.LookPath("initdb"); err == nil && hasServer(filepath.Dir(initdb)) {
		return filepath.Dir(initdb), nil
	}
	dirs, _ := filepath.Glob(packagedBinaries)
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, dir := range dirs {
		if hasServer(dir) {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "postgres"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.IsDir() {
			return false
		}
	}
	return true
}

// version is the major version in /usr/lib/postgresql/VERSION/bin, or 0.
func version(bin string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return v
}
