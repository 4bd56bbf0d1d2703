package events

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/nats-io/nats.go"
)

// A cluster answers "no responders" for a moment while it chooses a
// leader: the dead letters are read again, and other errors are not.
func TestDeadLetterReadsWaitWhileTheClusterSettles(t *testing.T) {
	calls := 0
	err := whileClusterSettles(context.Background(), func() error {
		calls++
		if calls < 3 {
			return fmt.Errorf("events: read the dead letters: %w", nats.ErrNoResponders)
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("after two answers of no responders: %v after %d reads, want nil after 3", err, calls)
	}

	calls = 0
	refused := errors.New("stream not found")
	if err := whileClusterSettles(context.Background(), func() error { calls++; return refused }); !errors.Is(err, refused) || calls != 1 {
		t.Errorf("another error: %v after %d reads, want it after 1", err, calls)
	}

	calls = 0
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := whileClusterSettles(ctx, func() error { calls++; return nats.ErrNoResponders }); !errors.Is(err, nats.ErrNoResponders) || calls != 1 {
		t.Errorf("a context that ended: %v after %d reads, want no responders after 1", err, calls)
	}
}
