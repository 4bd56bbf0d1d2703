package events

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// storeLockFile is the file under an embedded server's store directory
// that the process serving it holds locked.
const storeLockFile = "charter.lock"

// ErrStoreInUse is returned by StartServer for a store directory another
// process's embedded server holds: two servers writing one JetStream store
// would corrupt it. Reach that process's server instead (its client
// address, which charterd writes into $CHARTER_DATA_DIR/nats.url).
var ErrStoreInUse = errors.New("events: the broker's store directory is in use by another process")

// lockStore locks dir for this process until release is called; it
// returns ErrStoreInUse when another process holds it.
func lockStore(dir string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("events: the broker's store directory: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, storeLockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("events: the broker's store directory: %w", err)
	}
	// A server of this process that has just shut down releases the lock
	// a moment after: wait that long for it.
	deadline := time.Now().Add(storeLockWait)
	for {
		err := lockFile(f)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w (%s): %v", ErrStoreInUse, dir, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// defaultStoreLockWait is how long lockStore waits for a held lock.
const defaultStoreLockWait = 5 * time.Second

// storeLockWait is defaultStoreLockWait but in tests of a held lock.
var storeLockWait = defaultStoreLockWait
