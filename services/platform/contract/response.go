package contract

import (
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/services/platform/request"
)

// ResponseMode says which responses ValidateResponses checks and what a
// response that breaks the contract does.
type ResponseMode int

const (
	// Off checks nothing: ValidateResponses returns the handler it wraps,
	// so that the check costs nothing where it is not wanted.
	Off ResponseMode = iota
	// Strict checks every response before it leaves, for development and
	// tests. A violation is logged at error level and the client gets a
	// 500 problem naming it instead of the response, so that a test
	// through the real stack fails.
	Strict
	// Sampled checks a share of the responses (ResponseCheck.Rate) as they
	// leave, for production. A violation is logged and reported, and the
	// response goes out exactly as the handler wrote it.
	Sampled
)

// String returns the mode's name, as a log or a flag shows it.
func (m ResponseMode) String() string {
	switch m {
	case Off:
		return "off"
	case Strict:
		return "strict"
	case Sampled:
		return "sampled"
	}
	return fmt.Sprintf("ResponseMode(%d)", int(m))
}

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
// Before it works too (as in ChiServerOptions.Middlewares, whose last
// entry runs first); either way only the responses of accepted requests
// are checked. What the server answers deliberately without the
// operation's say is left alone: the contract's own refusals (401, 403,
// 413, 415, 400, and the 400 or 413 of ParamError and RequestError),
// which are written whatever the operation documents; HEAD responses, 304 and redirects, which
// kin-openapi does not check; and in Strict mode a 5xx answer is
// reported but not replaced, since the client is getting an internal
// error either way and the original's detail and request ID are the ones
// to keep. Any other problem+json answer (a story's 404 or 409, the
// 500 of ResponseError) is checked like any other response and must match
// the schema the operation documents for it.
//
// In Strict mode the response is held until the check, so http.Flusher
// still works but a flush ends the holding: what was written goes out,
// and the rest of the response is checked after it left and only
// reported, like Sampled. Sampled mode never holds anything back, and a
// request it does not sample goes to next with the writer untouched.
// Hijacking is reachable through http.ResponseController; a hijacked
// response is not a document and should not be checked.
//
// ValidateResponses panics when check is invalid (an unknown Mode, or a
// Rate outside [0, 1] in Sampled mode), so that a misconfiguration is
// caught when the routes are mounted, at start.
func (c *Contract) ValidateResponses(check ResponseCheck) func(http.Handler) http.Handler {
	nothing := func(next http.Handler) http.Handler { return next }
	switch check.Mode {
	case Off:
		return nothing
	case Strict:
	case Sampled:
		if math.IsNaN(check.Rate) || check.Rate < 0 || check.Rate > 1 {
			panic(fmt.Sprintf("contract: ResponseCheck.Rate %v is not within [0, 1]", check.Rate))
		}
		if check.Rate == 0 {
			return nothing
		}
	default:
		panic(fmt.Sprintf("contract: unknown ResponseMode %d", check.Mode))
	}
	if check.MaxBody <= 0 {
		check.MaxBody = DefaultMaxResponseBody
	}
	rc := &responseChecker{
		c:     c,
		check: check,
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

// responseChecker is one mounted ValidateResponses.
type responseChecker struct {
	c      *Contract
	check  ResponseCheck
	filter *openapi3filter.Options
}

func (rc *responseChecker) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := rc.c.lookup(r)
		// kin-openapi checks nothing of a HEAD response: holding it
		// would only cost.
		if op == nil || r.Method == http.MethodHead || !rc.sampled() {
			next.ServeHTTP(w, r)
			return
		}
		r, scope := scopeFor(r, op)
		cw := newCheckedWriter(w, rc.check.Mode == Strict, rc.check.MaxBody)
		next.ServeHTTP(cw, r)
		rc.finish(cw, r, op, scope)
		cw.free()
	})
}

// sampled reports whether this request's response is to be checked.
func (rc *responseChecker) sampled() bool {
	return rc.check.Mode == Strict || rc.check.Rate >= 1 || rand.Float64() < rc.check.Rate
}

// scopeFor returns r with the scope in which the contract records that it
// accepted r as op, so that finish can read it after next returned. Mounted
// after Middleware, that is r's own scope; mounted before it, a scope the
// contract will fill in, made here when r has none or when its scope was
// accepted as another operation (a request served within another one's
// context), which the contract would otherwise replace out of our sight.
func scopeFor(r *http.Request, op *operation) (*http.Request, *request.Scope) {
	s := request.ScopeFrom(r.Context())
	if s != nil && (!s.Accepted() || s.Operation() == op.id) {
		return r, s
	}
	own := new(request.Scope)
	if s != nil {
		own.ID = s.ID
	}
	return r.WithContext(request.NewContext(r.Context(), own)), own
}

// finish checks the response cw captured and sends it, or in Strict mode
// the 500 problem that replaces it.
func (rc *responseChecker) finish(cw *checkedWriter, r *http.Request, op *operation, s *request.Scope) {
	if !s.Accepted() || s.Operation() != op.id || cw.refused {
		// The contract refused the request: its problem answers for the
		// contract, not for the operation.
		cw.release()
		return
	}
	if cw.overflow {
		rc.c.logger.LogAttrs(r.Context(), slog.LevelDebug, "response not checked against the contract: body over the limit",
			slog.String("operation", op.id),
			slog.Int("limit", rc.check.MaxBody),
			slog.String("request_id", request.IDFrom(r.Context())))
		cw.release()
		return
	}
	v := rc.validate(r, op, cw)
	if v == nil {
		cw.release()
		return
	}
	replace := rc.check.Mode == Strict && !cw.committed && v.Status < 500
	rc.report(r, v, replace)
	if !replace {
		cw.release()
		return
	}
	p := problem.New(http.StatusInternalServerError,
		fmt.Sprintf("The response of %s broke the contract: %s.", op.id, v.describe()))
	cw.replace(r, p)
}

// validate checks the captured response with kin-openapi; nil when it
// keeps the contract.
func (rc *responseChecker) validate(r *http.Request, op *operation, cw *checkedWriter) *Violation {
	status := cw.status
	if status == 0 {
		// A handler that wrote nothing sends 200 with no body.
		status = http.StatusOK
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, Route: op.route, Options: rc.filter},
		Status:                 status,
		Header:                 cw.Header(),
		Options:                rc.filter,
	}
	cw.reader.Reset(cw.body)
	input.Body = &cw.reader
	err := openapi3filter.ValidateResponse(r.Context(), input)
	if err == nil {
		return nil
	}
	return newViolation(op, status, err)
}

// report logs v at error level, counts it and hands it to OnViolation.
func (rc *responseChecker) report(r *http.Request, v *Violation, replaced bool) {
	ctx := r.Context()
	attrs := []slog.Attr{
		slog.String("operation", v.Operation),
		slog.Int("status", v.Status),
		slog.String("violation", v.describe()),
		slog.Bool("replaced", replaced),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("request_id", request.IDFrom(ctx)),
	}
	if cause := v.cause(); cause != nil {
		attrs = append(attrs, slog.String("cause", cause.Error()))
	}
	rc.c.logger.LogAttrs(ctx, slog.LevelError, "response breaks the contract", attrs...)
	rc.c.violations.Add(1)
	if rc.check.OnViolation != nil {
		rc.check.OnViolation(v.Operation, v)
	}
}
