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
// the Lease only, after which a retry takes it over and does the work. A
// reservation is known by the time it was made, so that a request that
// was only slow, not gone, and finishes after its key was taken over
// records nothing: its work rolls back and it is answered 409, while the
// taker's answer is the one kept.
//
// Keys past their time are forgotten by the service's scheduled Job,
// every SweepEvery; a key past its TTL that a request meets before the
// sweep is forgotten then and there.
package idempotency

import (
	"context"
	"log/slog"
	"time"

	stored "github.com/charterhq/charter/repositories/idempotency"
	"github.com/charterhq/charter/services/platform/host"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// TTL is how long a key's answer is kept, as the contract documents it.
const TTL = 24 * time.Hour

// Lease is how long an in-progress key holds off its retries when the
// request that reserved it never completes (the process ended between the
// two steps). It is far longer than any request may run.
const Lease = 5 * time.Minute

// SweepEvery is how often Job forgets the keys past their time: the
// table holds about a TTL and a SweepEvery of keys at most.
const SweepEvery = time.Hour

// Job is the scheduled job that forgets the keys of store past their time
// (their answer older than TTL, their request in progress for longer than
// Lease), so that the keys a service keeps do not grow without end. Every
// replica may run it: a key is forgotten once whoever deletes it.
func Job(store Store, now func() time.Time, logger *slog.Logger) host.Job {
	if now == nil {
		now = time.Now
	}
	return host.Job{Name: "forget idempotency keys", Every: SweepEvery, Run: func(ctx context.Context) error {
		at := now()
		n, err := store.Sweep(ctx, at.Add(-TTL), at.Add(-Lease))
		if n > 0 && logger != nil {
			logger.InfoContext(ctx, "idempotency keys forgotten", "count", n)
		}
		return err
	}}
}

// The storage side, declared with the repositories that implement it.
type (
	// Key names one key of one caller.
	Key = stored.Key
	// Response is an answer as it is replayed.
	Response = stored.Response
	// Record is what a store holds for a key.
	Record = stored.Record
	// Store keeps the keys.
	Store = stored.Store
)
