package idempotency

import (
	"context"
	"maps"
	"sync"
	"time"
)

// Memory is a Store in memory, for services on the in-memory repository,
// which has no transactions: the work and the answer it records are
// together only in that both are in this process.
type Memory struct {
	mu   sync.Mutex
	keys map[Key]memoryRecord
}

type memoryRecord struct {
	Record
	created time.Time
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{keys: make(map[Key]memoryRecord)}
}

// Reserve implements Store.
func (m *Memory) Reserve(_ context.Context, k Key, hash string, now, expired, abandoned time.Time) (*Record, error) {
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
	m.keys[k] = memoryRecord{Record: Record{Hash: hash}, created: now}
	return nil, nil
}

// Complete implements Store.
func (m *Memory) Complete(ctx context.Context, k Key, work func(ctx context.Context) (*Response, error)) error {
	resp, err := work(ctx)
	if err != nil || resp == nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r := m.keys[k]
	r.Done = true
	r.Response = Response{Status: resp.Status, Header: maps.Clone(resp.Header), Body: append([]byte(nil), resp.Body...)}
	m.keys[k] = r
	return nil
}

// Release implements Store.
func (m *Memory) Release(_ context.Context, k Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.keys[k]; ok && !r.Done {
		delete(m.keys, k)
	}
	return nil
}
