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
	"time"

	stored "github.com/charterhq/charter/repositories/idempotency"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// TTL is how long a key's answer is kept, as the contract documents it.
const TTL = 24 * time.Hour

// Lease is how long an in-progress key holds off its retries when the
// request that reserved it never completes (the process ended between the
// two steps). It is far longer than any request may run.
const Lease = 5 * time.Minute

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
