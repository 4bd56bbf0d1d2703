// Package idempotency implements the Idempotency-Key request header (the
// IETF httpapi draft, with Stripe's semantics) for the operations whose
// contract declares it: a retry that carries the key of a request already
// answered gets that first answer (status, headers and body) again without
// the work being done again; the same key with another request is answered
// 422, and a retry while the first request still runs 409.
//
// A key belongs to the caller that sent it (the token's subject) and is
// forgotten after a TTL the contract documents (24 hours). Only successful
// answers are kept: a request that fails has done nothing, so its retry
// runs again.
//
// The guarantee that matters is that the answer kept for a key and the
// effect it describes commit together. Middleware does it in two steps:
//
//  1. Store.Reserve records the key as in progress in a short transaction
//     of its own. The key's uniqueness makes a concurrent duplicate find
//     it (409), a retry after the first answer find that answer (replayed)
//     and another request under the same key find another hash (422).
//  2. Store.Complete opens the transaction the work runs in (the story's
//     transaction middleware joins it rather than starting its own), runs
//     the operation with its response held back, and writes that response
//     into the key's record in the same transaction before it commits.
//     Only then is the response sent.
//
// So a committed effect always has its record, and a record that holds an
// answer always has its effect. What can be left after a crash between the
// two steps is an in-progress record with no effect; it holds the key for
// the Lease only, after which a retry takes it over and does the work.
package idempotency

import (
	"context"
	"net/http"
	"time"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// TTL is how long a key's answer is kept, as the contract documents it.
const TTL = 24 * time.Hour

// Lease is how long an in-progress key holds off its retries when the
// request that reserved it never completes (the process ended between the
// two steps). It is far longer than any request may run.
const Lease = 5 * time.Minute

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

// Store keeps the keys. The SQL store of repositories/sqldb keeps them in
// the service's database, beside the rows the work writes; the memory
// store of this package is for services on the in-memory repository.
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
	// commits; when work returns nil or an error, it rolls back. It
	// returns work's error, or the one that kept the transaction from
	// committing.
	Complete(ctx context.Context, k Key, work func(ctx context.Context) (*Response, error)) error
	// Release forgets k, reserved and not completed, so that a retry runs
	// the request again.
	Release(ctx context.Context, k Key) error
}
