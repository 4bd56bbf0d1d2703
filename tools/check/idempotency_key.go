package check

import (
	"crypto/rand"
	"net/http"
	"strconv"
	"sync/atomic"
)

// idempotencyKeyHeader is the header of the IETF Idempotency-Key draft. A
// client makes up a new key for every request it means to happen once and
// sends it again only with a retry of that same request; a key drawn like
// any other string would come back with another request (after shrinking,
// every create sends the same one), which a server rightly answers 422 or
// with the first request's answer, and no check could tell that from a bug.
// So a valid request carries a key of its own, as a client's would; the
// negative checks still break the header as drawn.
const idempotencyKeyHeader = "Idempotency-Key"

// isIdempotencyKey reports whether the header parameter name is the
// Idempotency-Key header.
func isIdempotencyKey(name string) bool {
	return http.CanonicalHeaderKey(name) == idempotencyKeyHeader
}

// keyRun sets apart the keys of one process from those of the runs before
// it against the same server; keyCount the keys of one run.
var (
	keyRun   = rand.Text()[:12]
	keyCount atomic.Uint64
)

// freshIdempotencyKey returns a key no request has carried.
func freshIdempotencyKey() string {
	return "check-" + keyRun + "-" + strconv.FormatUint(keyCount.Add(1), 10)
}
