package events

import (
	"errors"
	"testing"
)

// Two servers on one store would corrupt it: the second is refused while
// the first runs, and starts once it has shut down.
func TestAStoreServesOneServerAtATime(t *testing.T) {
	dir := t.TempDir()
	first, err := StartServer(ServerOptions{StoreDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { storeLockWait = defaultStoreLockWait }()
	storeLockWait = 0
	if srv, err := StartServer(ServerOptions{StoreDir: dir}); !errors.Is(err, ErrStoreInUse) {
		if srv != nil {
			srv.Shutdown()
		}
		t.Fatalf("a second server on the store: %v, want ErrStoreInUse", err)
	}
	first.Shutdown()
	first.WaitForShutdown()
	storeLockWait = defaultStoreLockWait
	second, err := StartServer(ServerOptions{StoreDir: dir})
	if err != nil {
		t.Fatalf("after the first shut down: %v", err)
	}
	second.Shutdown()
	second.WaitForShutdown()
}
