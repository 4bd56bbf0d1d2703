package pgtest

import (
	"errors"
	"testing"
)

func TestWithoutBinariesTestsAreSkipped(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	saved := packagedBinaries
	packagedBinaries = t.TempDir() + "/*/bin"
	t.Cleanup(func() {
		packagedBinaries = saved
		shared.mu.Lock()
		shared.err = nil
		shared.mu.Unlock()
	})

	if _, err := Binaries(); !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("Binaries() error = %v, want ErrNoBinaries", err)
	}
	var sub *testing.T
	t.Run("needs PostgreSQL", func(t *testing.T) {
		sub = t
		NewDatabase(t)
		t.Error("NewDatabase returned without PostgreSQL binaries")
	})
	if !sub.Skipped() {
		t.Error("the test was not skipped")
	}
}
