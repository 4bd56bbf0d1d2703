// Package idempotency declares how the keys of the Idempotency-Key header
// are stored (the middleware that answers with them is in
// services/platform/idempotency): the record a key holds and the Store
// that repositories/sqldb and repositories/memory implement. It sits at the
// storage layer so that repositories never import the HTTP platform.
package idempotency

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Key names one key of one caller.
type Key struct {
	// Subject is the caller's subject: keys of different callers never
	// meet.
	Subject string
	// Value is the header's value.
	Value string
}

// Response is an answer as it is replayed.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Record is what a store holds for a key.
type Record struct {
	// Hash identifies the request that reserved the key.
	Hash string
	// Done reports whether Response holds the answer; false while the
	// first request runs.
	Done bool
	// Response is the first answer, when Done.
	Response Response
}

// ErrTakenOver is what Complete returns when the reservation it was given
// is no longer the key's: it outlived its lease and another request took
// the key over. The work is not kept (the SQL store rolls it back), and
// the taker's reservation and answer stay as they are.
var ErrTakenOver = errors.New("idempotency: the key was taken over by another request")

// Store keeps the keys. The SQL store of repositories/sqldb keeps them in
// the service's database, beside the rows the work writes; the store of
// repositories/memory is for services on the in-memory repository.
//
// A reservation is known by the time it was made (Reserve's now), which
// Complete and Release are given back: a request whose reservation was
// taken over after its lease finds the key reserved at another time, so
// that it can neither record its answer over the taker's nor free the key
// the taker holds.
type Store interface {
	// Reserve records k as in progress for a request of hash, created at
	// now, and returns nil, in a transaction of its own that commits
	// before it returns. When k is held already it returns the record that
	// holds it and changes nothing, unless that record is past its time: a
	// done record created before expired, or one in progress created
	// before abandoned, which is replaced as if it were not there.
	Reserve(ctx context.Context, k Key, hash string, now, expired, abandoned time.Time) (*Record, error)
	// Complete runs work in one transaction, with a context that carries
	// it, so that the stories the work runs join it. When work returns a
	// response, Complete records it as k's answer in that transaction and
	// commits, provided k is still reserved at reserved (ErrTakenOver
	// otherwise); when work returns nil or an error, it rolls back. It
	// returns work's error, or the one that kept the transaction from
	// committing.
	Complete(ctx context.Context, k Key, reserved time.Time, work func(ctx context.Context) (*Response, error)) error
	// Release forgets k, reserved at reserved and not completed, so that
	// a retry runs the request again. A key reserved at another time is
	// left alone.
	Release(ctx context.Context, k Key, reserved time.Time) error
	// Sweep forgets every key past its time: done and created before
	// expired, or in progress and created before abandoned. It returns
	// how many it forgot.
	Sweep(ctx context.Context, expired, abandoned time.Time) (int64, error)
}
