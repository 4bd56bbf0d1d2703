package repotest

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/idempotency"
)

// NewIdempotencyKeys returns an empty store of idempotency keys for one
// test. It registers its own cleanup with tb.
type NewIdempotencyKeys func(tb testing.TB) idempotency.Store

// The times of the idempotency suite: a TTL and a lease as the middleware
// uses them, and the instant the first request reserves its key.
const (
	keyTTL   = 24 * time.Hour
	keyLease = 5 * time.Minute
)

var keyEpoch = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// IdempotencyKeys runs the idempotency.Store contract against the stores
// newStore returns; each subtest gets a fresh, empty one.
func IdempotencyKeys(t *testing.T, newStore NewIdempotencyKeys) {
	tests := []struct {
		name string
		run  func(t *testing.T, s idempotency.Store)
	}{
		{"a reserved key is held in progress, then done with its answer", keyReserveComplete},
		{"a work that returns no answer keeps nothing and release frees the key", keyReleased},
		{"a key past its lease is taken over, and only the taker completes it", keyTakeover},
		{"the request whose key was taken over cannot release the taker's", keyTakeoverRelease},
		{"a done key past its TTL is forgotten by the next reservation", keyExpired},
		{"sweep forgets the keys past their time and only those", keySweep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newStore(t))
		})
	}
}

// reserveAt reserves k for hash at now, with the TTL and lease of the
// middleware.
func reserveAt(t *testing.T, s idempotency.Store, k idempotency.Key, hash string, now time.Time) *idempotency.Record {
	t.Helper()
	held, err := s.Reserve(context.Background(), k, hash, now, now.Add(-keyTTL), now.Add(-keyLease))
	if err != nil {
		t.Fatal(err)
	}
	return held
}

// answer is a work that answers with body.
func answer(body string) func(context.Context) (*idempotency.Response, error) {
	return func(context.Context) (*idempotency.Response, error) {
		return &idempotency.Response{Status: http.StatusCreated, Header: http.Header{"Etag": {`"1"`}}, Body: []byte(body)}, nil
	}
}

func keyReserveComplete(t *testing.T, s idempotency.Store) {
	ctx := context.Background()
	k := idempotency.Key{Subject: "ada", Value: "k"}
	if held := reserveAt(t, s, k, "h", keyEpoch); held != nil {
		t.Fatalf("a fresh key is held: %+v", held)
	}
	if held := reserveAt(t, s, k, "h", keyEpoch.Add(time.Second)); held == nil || held.Done || held.Hash != "h" {
		t.Fatalf("while in progress: %+v, want the record in progress", held)
	}
	if held := reserveAt(t, s, idempotency.Key{Subject: "bob", Value: "k"}, "other", keyEpoch); held != nil {
		t.Fatalf("another caller's key of the same value is held: %+v", held)
	}
	if err := s.Complete(ctx, k, keyEpoch, answer(`{"id":1}`)); err != nil {
		t.Fatal(err)
	}
	held := reserveAt(t, s, k, "h", keyEpoch.Add(keyTTL-time.Second))
	if held == nil || !held.Done {
		t.Fatalf("after completion: %+v, want the answer", held)
	}
	if got := held.Response; got.Status != http.StatusCreated || string(got.Body) != `{"id":1}` || got.Header.Get("ETag") != `"1"` {
		t.Errorf("answer = %d %v %s", got.Status, got.Header, got.Body)
	}
}

func keyReleased(t *testing.T, s idempotency.Store) {
	ctx := context.Background()
	k := idempotency.Key{Subject: "ada", Value: "k"}
	reserveAt(t, s, k, "h", keyEpoch)
	if err := s.Complete(ctx, k, keyEpoch, func(context.Context) (*idempotency.Response, error) { return nil, nil }); err != nil {
		t.Fatal(err)
	}
	if err := s.Release(ctx, k, keyEpoch); err != nil {
		t.Fatal(err)
	}
	if held := reserveAt(t, s, k, "h", keyEpoch.Add(time.Second)); held != nil {
		t.Errorf("a released key is held: %+v", held)
	}
}

func keyTakeover(t *testing.T, s idempotency.Store) {
	ctx := context.Background()
	k := idempotency.Key{Subject: "ada", Value: "k"}
	slow, taker := keyEpoch, keyEpoch.Add(keyLease+time.Second)
	reserveAt(t, s, k, "h", slow)
	if held := reserveAt(t, s, k, "h", keyEpoch.Add(keyLease-time.Second)); held == nil || held.Done {
		t.Fatalf("within its lease: %+v, want the record in progress", held)
	}
	if held := reserveAt(t, s, k, "h", taker); held != nil {
		t.Fatalf("past its lease the key is still held: %+v", held)
	}
	// The slow request finishes first: it must not record its answer.
	if err := s.Complete(ctx, k, slow, answer("slow")); !errors.Is(err, idempotency.ErrTakenOver) {
		t.Fatalf("the slow request completed: %v, want ErrTakenOver", err)
	}
	if held := reserveAt(t, s, k, "h", taker.Add(time.Second)); held == nil || held.Done {
		t.Fatalf("after the slow request: %+v, want the taker's reservation in progress", held)
	}
	if err := s.Complete(ctx, k, taker, answer("taker")); err != nil {
		t.Fatalf("the taker: %v", err)
	}
	// And a slow request that finishes last must not overwrite it.
	if err := s.Complete(ctx, k, slow, answer("slow")); !errors.Is(err, idempotency.ErrTakenOver) {
		t.Fatalf("the slow request completed after the taker: %v, want ErrTakenOver", err)
	}
	held := reserveAt(t, s, k, "h", taker.Add(2*time.Second))
	if held == nil || !held.Done || string(held.Response.Body) != "taker" {
		t.Fatalf("the kept answer = %+v, want the taker's", held)
	}
}

func keyTakeoverRelease(t *testing.T, s idempotency.Store) {
	ctx := context.Background()
	k := idempotency.Key{Subject: "ada", Value: "k"}
	slow, taker := keyEpoch, keyEpoch.Add(keyLease+time.Second)
	reserveAt(t, s, k, "h", slow)
	reserveAt(t, s, k, "h", taker)
	if err := s.Release(ctx, k, slow); err != nil {
		t.Fatal(err)
	}
	if held := reserveAt(t, s, k, "h", taker.Add(time.Second)); held == nil || held.Done {
		t.Errorf("the slow request's release freed the taker's key: %+v", held)
	}
}

func keyExpired(t *testing.T, s idempotency.Store) {
	ctx := context.Background()
	k := idempotency.Key{Subject: "ada", Value: "k"}
	reserveAt(t, s, k, "h", keyEpoch)
	if err := s.Complete(ctx, k, keyEpoch, answer("first")); err != nil {
		t.Fatal(err)
	}
	if held := reserveAt(t, s, k, "other", keyEpoch.Add(keyTTL+time.Second)); held != nil {
		t.Errorf("past its TTL the key is still held: %+v", held)
	}
}

func keySweep(t *testing.T, s idempotency.Store) {
	ctx := context.Background()
	now := keyEpoch.Add(48 * time.Hour)
	keys := map[string]struct {
		created time.Time
		done    bool
		kept    bool
	}{
		"old answer":         {now.Add(-keyTTL - time.Second), true, false},
		"recent answer":      {now.Add(-keyTTL + time.Second), true, true},
		"abandoned":          {now.Add(-keyLease - time.Second), false, false},
		"running":            {now.Add(-keyLease + time.Second), false, true},
		"answer of the hour": {now.Add(-time.Hour), true, true},
	}
	for value, k := range keys {
		key := idempotency.Key{Subject: "ada", Value: value}
		reserveAt(t, s, key, "h", k.created)
		if k.done {
			if err := s.Complete(ctx, key, k.created, answer(value)); err != nil {
				t.Fatal(err)
			}
		}
	}
	n, err := s.Sweep(ctx, now.Add(-keyTTL), now.Add(-keyLease))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("sweep forgot %d keys, want 2", n)
	}
	// What a reservation finds now, with times that forget nothing, says
	// what the sweep kept.
	for value, k := range keys {
		held, err := s.Reserve(ctx, idempotency.Key{Subject: "ada", Value: value}, "h", now, keyEpoch, keyEpoch)
		if err != nil {
			t.Fatal(err)
		}
		if kept := held != nil; kept != k.kept {
			t.Errorf("%s: kept = %v, want %v", value, kept, k.kept)
		}
	}
}
