package contract

import (
	"sync"
	"sync/atomic"

	"github.com/charterhq/charter/services/platform/problem"
)

// maxVerdicts bounds how many distinct values of one parameter keep their
// verdict. Parameters such as limit, ordering or a flag take few distinct
// values; ids take many, and past the bound they are validated each time.
const maxVerdicts = 512

// verdicts remembers, for one parameter, what validating a raw value
// found. Validation is a pure function of the schema and the raw value,
// and kin-openapi's schema walk costs more than the rest of the middleware
// together (for ordering=-thickness, 870 ns and 3 allocations against
// 12 ns and none remembered), so each distinct value is validated once.
//
// Readers load an immutable map with one atomic read and take no lock;
// a writer copies the map, which happens at most maxVerdicts times.
type verdicts struct {
	m  atomic.Pointer[map[string][]problem.FieldError]
	mu sync.Mutex
}

// get returns the field errors found for raw, and whether raw was seen.
func (v *verdicts) get(raw string) ([]problem.FieldError, bool) {
	m := v.m.Load()
	if m == nil {
		return nil, false
	}
	errs, ok := (*m)[raw]
	return errs, ok
}

// maxVerdictKey bounds the length of a remembered value, so that a
// client cannot fill memory with long junk values.
const maxVerdictKey = 64

// put remembers the field errors found for raw, while there is room.
func (v *verdicts) put(raw string, errs []problem.FieldError) {
	if len(raw) > maxVerdictKey {
		return
	}
	if m := v.m.Load(); m != nil && len(*m) >= maxVerdicts {
		// Full: the common case for ids, decided without the lock.
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	old := v.m.Load()
	var n int
	if old != nil {
		n = len(*old)
	}
	if n >= maxVerdicts {
		return
	}
	next := make(map[string][]problem.FieldError, n+1)
	if old != nil {
		for k, e := range *old {
			next[k] = e
		}
	}
	next[raw] = errs
	v.m.Store(&next)
}
