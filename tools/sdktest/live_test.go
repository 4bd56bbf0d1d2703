package sdktest

import (
	"os"
	"testing"
)

// The scenarios of this package share one server ([Shared]): they only
// add data of their own, and the machine builds and starts one charterd.

func TestMain(m *testing.M) {
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

// running is the server the scenarios share, started by the first.
func running(t *testing.T) *Server {
	t.Helper()
	return Shared(t)
}

// repoRoot is the repository's root.
func repoRoot(t *testing.T) string {
	t.Helper()
	return Shared(t).Root
}

// missing skips t because a tool a scenario needs is not installed (see
// [Missing]).
func missing(t *testing.T, why string) {
	t.Helper()
	Missing(t, why)
}

// runScenario runs name with args in dir with the server's environment
// and fails t when it fails; its output goes to the test's log.
func runScenario(t *testing.T, c *Server, dir string, name string, args ...string) {
	t.Helper()
	c.Run(t, dir, name, args...)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
