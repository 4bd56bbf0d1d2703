package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
)

// shared is the server of one test binary, started by the first
// NewDatabase and stopped by Main.
var shared struct {
	mu     sync.Mutex
	server *Server
	err    error
}

// NewDatabase returns the URL of a new empty database on the test binary's
// shared server, starting the server on first use. When PostgreSQL is not
// installed it skips tb with a message saying so; any other failure to start
// fails tb.
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	shared.mu.Lock()
	if shared.server == nil && shared.err == nil {
		shared.server, shared.err = Start(context.Background())
	}
	server, err := shared.server, shared.err
	shared.mu.Unlock()
	if errors.Is(err, ErrNoBinaries) {
		tb.Skipf("skipping the PostgreSQL tests: %v", err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return server.NewDatabase(tb)
}

// Main runs the tests of m, stops the shared server if a test started it,
// and exits with the tests' status. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	shared.mu.Lock()
	if shared.server != nil {
		if err := shared.server.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: stop:", err)
			code = max(code, 1)
		}
	}
	shared.mu.Unlock()
	os.Exit(code)
}
