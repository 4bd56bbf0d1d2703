package contract

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/services/platform/request"
)

// responseChecker is one mounted ValidateResponses.
type responseChecker struct {
	c      *Contract
	check  ResponseCheck
	policy checks.Policy
	filter *openapi3filter.Options
}

func (rc *responseChecker) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// kin-openapi checks nothing of a HEAD response: holding it
		// would only cost. The draw comes first: most requests are not
		// sampled in production, and need no lookup.
		if r.Method == http.MethodHead || !rc.sampled() {
			next.ServeHTTP(w, r)
			return
		}
		op := rc.c.lookup(r)
		if op == nil {
			next.ServeHTTP(w, r)
			return
		}
		r, scope := scopeFor(r, op)
		cw := newCheckedWriter(w, rc.policy.Fails(), rc.check.MaxBody)
		next.ServeHTTP(cw, r)
		rc.finish(cw, r, op, scope)
		cw.free()
	})
}

// sampled reports whether this request's response is to be checked.
func (rc *responseChecker) sampled() bool {
	return rc.policy.Take()
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
	replace := rc.policy.Fails() && !cw.committed && v.Status < 500
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
