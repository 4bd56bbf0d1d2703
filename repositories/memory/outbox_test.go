package memory_test

import (
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/repositories/repotest"
)

func TestOutbox(t *testing.T) {
	repotest.Outbox(t, func(testing.TB) (outbox.Store, outbox.Inbox) {
		return memory.NewOutbox(), memory.NewInbox()
	})
}
