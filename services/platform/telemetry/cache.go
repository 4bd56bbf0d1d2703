package telemetry

import (
	"sync"
	"sync/atomic"
)

// cache maps a label value (an operation, a story, a step) to the metrics
// bound to it, built on first use. Every request reads it and almost none
// writes it, so reads load an immutable map without a lock and a write
// copies the map: a read-write mutex would have every core write the
// same reader count on every request. The keys come from the spec and
// the router, a few dozen at most, so the copies stay small.
type cache[K comparable, V any] struct {
	m     atomic.Pointer[map[K]V]
	mu    sync.Mutex // serializes writers
	build func(K) V
}

func newCache[K comparable, V any](build func(K) V) *cache[K, V] {
	return &cache[K, V]{build: build}
}

// get returns the value of k, building it the first time k is asked for.
func (c *cache[K, V]) get(k K) V {
	if m := c.m.Load(); m != nil {
		if v, ok := (*m)[k]; ok {
			return v
		}
	}
	return c.add(k)
}

func (c *cache[K, V]) add(k K) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.m.Load()
	if old != nil {
		if v, ok := (*old)[k]; ok {
			return v // built by another request while this one waited
		}
	}
	next := make(map[K]V, 1+len(mapOrNil(old)))
	for key, v := range mapOrNil(old) {
		next[key] = v
	}
	v := c.build(k)
	next[k] = v
	c.m.Store(&next)
	return v
}

func mapOrNil[K comparable, V any](m *map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	return *m
}
