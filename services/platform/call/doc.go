// Package call is how one service calls another through the other's
// generated client: an http.Client whose transport authenticates as the
// calling service's identity, bounds every attempt with a timeout, retries
// idempotent requests with exponential backoff when the peer fails or
// cannot be reached, and stops calling a peer that keeps failing (a
// circuit breaker), so that a caller gets a quick, clear ErrUnavailable
// instead of hanging on a dead service.
//
// Retries use github.com/cenkalti/backoff/v5 and the breaker
// github.com/sony/gobreaker/v2, both small and well kept.
package call
