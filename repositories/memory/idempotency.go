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

// NewIdempotencyKeys returns an empty store.
func NewIdempotencyKeys() *IdempotencyKeys {
	return &IdempotencyKeys{keys: make(map[idempotency.Key]memoryRecord)}
}

// Reserve implements idempotency.Store.
func (m *IdempotencyKeys) Reserve(_ context.Context, k idempotency.Key, hash string, now, expired, abandoned time.Time) (*idempotency.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.keys[k]; ok {
		stale := r.Done && r.created.Before(expired) || !r.Done && r.created.Before(abandoned)
		if !stale {
			held := r.Record
			held.Response.Header = held.Response.Header.Clone()
			return &held, nil
		}
	}
	m.keys[k] = memoryRecord{Record: idempotency.Record{Hash: hash}, created: now}
	return nil, nil
}

// Complete implements idempotency.Store.
func (m *IdempotencyKeys) Complete(ctx context.Context, k idempotency.Key, work func(ctx context.Context) (*idempotency.Response, error)) error {
	resp, err := work(ctx)
	if err != nil || resp == nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.keys[k]
	r.Done = true
	r.Response = idempotency.Response{Status: resp.Status, Header: maps.Clone(resp.Header), Body: append([]byte(nil), resp.Body...)}
	m.keys[k] = r
	return nil
}

// Release implements idempotency.Store.
func (m *IdempotencyKeys) Release(_ context.Context, k idempotency.Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.keys[k]; ok && !r.Done {
		delete(m.keys, k)
	}
	return nil
}
