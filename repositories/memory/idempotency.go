package memory

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/charterhq/charter/repositories/idempotency"
)

var _ idempotency.Store = (*IdempotencyKeys)(nil)

// IdempotencyKeys is an idempotency.Store in memory, for services on the
// in-memory repository, which has no transactions: the work and the answer
// it records are together only in that both are in this process.
type IdempotencyKeys struct {
	mu   sync.Mutex
	keys map[idempotency.Key]memoryRecord
}

type memoryRecord struct {
	idempotency.Record
	created time.Time
}

// stale reports whether r is past its time: done and created before
// expired, or in progress and created before abandoned.
func (r memoryRecord) stale(expired, abandoned time.Time) bool {
	return r.Done && r.created.Before(expired) || !r.Done && r.created.Before(abandoned)
}

// NewIdempotencyKeys returns an empty store.
func NewIdempotencyKeys() *IdempotencyKeys {
	return &IdempotencyKeys{keys: make(map[idempotency.Key]memoryRecord)}
}

// Reserve implements idempotency.Store.
func (m *IdempotencyKeys) Reserve(_ context.Context, k idempotency.Key, hash string, now, expired, abandoned time.Time) (*idempotency.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.keys[k]; ok {
		if !r.stale(expired, abandoned) {
			held := r.Record
			held.Response.Header = held.Response.Header.Clone()
			return &held, nil
		}
	}
	m.keys[k] = memoryRecord{Record: idempotency.Record{Hash: hash}, created: now}
	return nil, nil
}

// Complete implements idempotency.Store. The work of a request whose
// reservation was taken over while it ran cannot be undone here: its
// answer is not kept, and the taker's stays.
func (m *IdempotencyKeys) Complete(ctx context.Context, k idempotency.Key, reserved time.Time, work func(ctx context.Context) (*idempotency.Response, error)) error {
	if !m.reservedAt(k, reserved) {
		return idempotency.ErrTakenOver
	}
	resp, err := work(ctx)
	if err != nil || resp == nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.keys[k]
	if !ok || r.Done || !r.created.Equal(reserved) {
		return idempotency.ErrTakenOver
	}
	r.Done = true
	r.Response = idempotency.Response{Status: resp.Status, Header: maps.Clone(resp.Header), Body: append([]byte(nil), resp.Body...)}
	m.keys[k] = r
	return nil
}

// reservedAt reports whether k is in progress under the reservation made
// at reserved.
func (m *IdempotencyKeys) reservedAt(k idempotency.Key, reserved time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.keys[k]
	return ok && !r.Done && r.created.Equal(reserved)
}

// Release implements idempotency.Store.
func (m *IdempotencyKeys) Release(_ context.Context, k idempotency.Key, reserved time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.keys[k]; ok && !r.Done && r.created.Equal(reserved) {
		delete(m.keys, k)
	}
	return nil
}

// Sweep implements idempotency.Store.
func (m *IdempotencyKeys) Sweep(_ context.Context, expired, abandoned time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for k, r := range m.keys {
		if r.stale(expired, abandoned) {
			delete(m.keys, k)
			n++
		}
	}
	return n, nil
}
