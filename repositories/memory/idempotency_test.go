package memory_test

import (
	"testing"

	"github.com/charterhq/charter/repositories/idempotency"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/repotest"
)

func TestIdempotencyKeys(t *testing.T) {
	repotest.IdempotencyKeys(t, func(testing.TB) idempotency.Store { return memory.NewIdempotencyKeys() })
}
