package contract

import (
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/charterhq/charter/services/platform/checks"
)

// ResponseMode says which responses ValidateResponses checks and what a
// response that breaks the contract does: the mode of checks.Policy,
// which decides for the payloads of events too (CHARTER_RESPONSE_CHECK).
type ResponseMode = checks.Mode

const (
	// Off checks nothing: ValidateResponses returns the handler it wraps,
	// so that the check costs nothing where it is not wanted.
	Off = checks.Off
	// Strict checks every response before it leaves, for development and
	// tests. A violation is logged at error level and the client gets a
	// 500 problem naming it instead of the response, so that a test
	// through the real stack fails.
	Strict = checks.Strict
	// Sampled checks a share of the responses (ResponseCheck.Rate) as they
	// leave, for production. A violation is logged and reported, and the
	// response goes out exactly as the handler wrote it.
	Sampled = checks.Sampled
)

// DefaultMaxResponseBody is the largest response body checked when
// ResponseCheck.MaxBody is zero.
const DefaultMaxResponseBody = 1 << 20

// ResponseCheck configures ValidateResponses. The zero value checks
// nothing.
type ResponseCheck struct {
	// Mode is Off, Strict or Sampled.
	Mode ResponseMode
	// Rate is the share of responses Sampled checks, from 0 (none) to 1
	// (all). Strict ignores it.
	Rate float64
	// MaxBody is the largest response body, in bytes, that is kept to be
	// checked; DefaultMaxResponseBody when zero. A larger response goes
	// out unchecked, with a debug log, so that a big download neither
	// waits in memory nor costs a schema walk.
	MaxBody int
	// OnViolation, when set, is called once for each response that breaks
	// the contract, after it was logged: hand it to a metrics counter. err
	// is a *Violation. It runs on the request's goroutine and must be
	// quick.
	OnViolation func(operationID string, err error)
}

// ResponseCheckOf is the check of responses p decides: its mode and rate.
func ResponseCheckOf(p checks.Policy) ResponseCheck { return ResponseCheck{Mode: p.Mode, Rate: p.Rate} }

// Policy is the check's mode and rate, which decide which responses are
// checked (checks.Policy.Take).
func (c ResponseCheck) Policy() checks.Policy { return checks.Policy{Mode: c.Mode, Rate: c.Rate} }

// ValidateResponses returns middleware that checks the responses of the
// operations the contract accepted against the responses the spec
// documents for them, with kin-openapi's openapi3filter.ValidateResponse:
// the status must be documented (a default response counts), the content
// type must be one documented for it, the body must match its schema and
// every required header must be there. check.Mode says which responses are
// checked and what a violation does (see ResponseMode); every violation is
// counted in ResponseViolations.
//
// Mount it on the same chi group as Middleware, after it:
//
//	g.Use(c.Middleware, c.ValidateResponses(contract.ResponseCheck{Mode: contract.Strict}))
//
// Only the responses of requests the contract accepted are checked, which
// it records by operation ID, so an operation without an operationId is
// not checked.
//
// What the server answers deliberately, whatever the operation documents,
// is left alone: the contract's own refusals (400, 401, 403, 413, 415,
// ParamError's and RequestError's included); HEAD responses, 304s and
// redirects, which kin-openapi does not check; and in Strict mode a 5xx
// answer is reported but not replaced, since the client gets an internal
// error either way and the original's detail and request ID are the ones
// to keep. Any other problem+json answer (a story's 404 or 409, the 500 of
// ResponseError) is checked like any response and must match the Problem
// schema the operation documents for it.
//
// In Strict mode the response is held until the check, so http.Flusher
// still works but a flush ends the holding: what was written goes out,
// and the rest of the response is checked after it left and only
// reported, like Sampled. Sampled mode never holds anything back, and a
// request it does not sample goes to next with the writer untouched.
// Hijacking is reachable through http.ResponseController, but a handler
// that hijacks the connection writes no document to check: keep it out
// of the checked group.
//
// ValidateResponses panics when check is invalid (an unknown Mode, or a
// Rate outside [0, 1] in Sampled mode), so that a misconfiguration is
// caught when the routes are mounted, at start.
func (c *Contract) ValidateResponses(check ResponseCheck) func(http.Handler) http.Handler {
	nothing := func(next http.Handler) http.Handler { return next }
	if err := check.Policy().Validate(); err != nil {
		panic(fmt.Sprintf("contract: ResponseCheck: %v", err))
	}
	if check.Policy().None() {
		return nothing
	}
	if check.MaxBody <= 0 {
		check.MaxBody = DefaultMaxResponseBody
	}
	rc := &responseChecker{
		c:      c,
		check:  check,
		policy: check.Policy(),
		filter: &openapi3filter.Options{
			// An undocumented status is a violation; kin-openapi lets it
			// pass by default.
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	return rc.middleware
}

// ResponseViolations returns how many responses broke the contract, as
// found by every ValidateResponses middleware of c since it was made.
func (c *Contract) ResponseViolations() uint64 { return c.violations.Load() }
