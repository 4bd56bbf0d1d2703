// Package contract enforces a service's OpenAPI contract at the HTTP edge:
// before a generated handler runs, it authenticates the caller as the
// operation's security requirement says, checks the body's media type and
// validates path, query, headers and body against the embedded spec with
// kin-openapi. Every refusal is an RFC 9457 problem.
//
// The contract stands in front of every operation of every service, so a
// request pays only for what is its own: whatever depends on the spec
// alone is prepared in New, which is also where a spec that cannot be
// enforced is refused; and the common parameters and JSON bodies are
// checked by shortcuts that answer exactly as kin-openapi would, leaving
// anything they are not sure of to kin-openapi (params.go, verdicts.go and
// fastbody.go say how, and what each saves).
//
// The contract is mounted as package stack mounts it, with chi's Use on
// the group of routes the generated code registers, behind the edge
// middleware of package edge:
//
//	c, err := contract.New(spec, contract.Options{Verify: verifier.Verify, Logger: logger})
//	strict := materials.NewStrictHandlerWithOptions(controller, nil, materials.StrictHTTPServerOptions{
//		RequestErrorHandlerFunc:  c.RequestError,
//		ResponseErrorHandlerFunc: c.ResponseError,
//	})
//	r.Group(func(g chi.Router) {
//		g.Use(c.Middleware)
//		materials.HandlerWithOptions(strict, materials.ChiServerOptions{
//			BaseRouter:       g,
//			ErrorHandlerFunc: c.ParamError,
//		})
//	})
//
// On the group, the contract runs before the generated parameter binding,
// so that a caller without a token gets 401 rather than a 400 about a
// parameter, and chi chains it once at start, where the generated
// ChiServerOptions.Middlewares would chain it again on every request.
//
// The responses can be held to the contract as well: ValidateResponses,
// used after c.Middleware on the same group, checks every response in
// Strict mode (development and tests: a violation becomes a 500 problem)
// or a share of them in Sampled mode (production: a violation is logged
// and reported, the response left as it is); see ResponseCheck.
package contract

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/access"
)

// Options configure a Contract.
type Options struct {
	// Verify checks a bearer token and returns the caller it stands for;
	// services/auth's Verifier.Verify. The client is told why a token was
	// refused from the *auth.Error in the error's chain, never from the
	// error's text. Required when any operation has a security
	// requirement.
	Verify func(token string) (access.Caller, error)
	// Logger receives the internal errors that become 500 problems.
	// Defaults to slog.Default().
	Logger *slog.Logger
	// Realm is the realm named in WWW-Authenticate. Defaults to "charter".
	Realm string
	// BaseURL is the prefix the routes were mounted under, as given to
	// the generated HandlerWithOptions; "" when they were not.
	BaseURL string
}

// Contract is the prepared contract of one spec. It is safe for
// concurrent use.
type Contract struct {
	verify  func(string) (access.Caller, error)
	logger  *slog.Logger
	realm   string
	paths   map[string]*pathOps // chi route pattern -> its operations
	filter  *openapi3filter.Options
	bodyOpt []openapi3.SchemaValidationOption
	// paramOpt are the options openapi3filter.ValidateParameter would
	// pass for c.filter, prepared once.
	paramOpt []openapi3.SchemaValidationOption
	// violations counts the responses ValidateResponses found breaking
	// the contract (see ResponseViolations).
	violations atomic.Uint64
}

// New prepares spec for validation. It fails when the spec is invalid,
// uses a security scheme other than HTTP bearer, or has secured
// operations and opts.Verify is nil: a contract that cannot be enforced is
// caught at start, never at request time.
func New(spec *openapi3.T, opts Options) (*Contract, error) {
	if spec == nil {
		return nil, errors.New("contract: nil spec")
	}
	if err := spec.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("contract: invalid spec: %w", err)
	}
	c := &Contract{
		verify: opts.Verify,
		logger: opts.Logger,
		realm:  opts.Realm,
		paths:  make(map[string]*pathOps),
		filter: &openapi3filter.Options{
			// The body is read and validated by the middleware itself, so
			// that it is read once and a 413 is told apart from a 400.
			ExcludeRequestBody:  true,
			ExcludeResponseBody: true,
			MultiError:          true,
			// Defaults are the generated types' and controllers' business:
			// writing them into the request would mean re-encoding the
			// query on every request that leaves one out.
			SkipSettingDefaults: true,
			// Security is checked before validation, by the middleware;
			// the prepared routes carry no security requirement.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		},
		paramOpt: []openapi3.SchemaValidationOption{openapi3.MultiErrors()},
	}
	c.bodyOpt = c.bodyOptions()
	if c.logger == nil {
		c.logger = slog.Default()
	}
	if c.realm == "" {
		c.realm = "charter"
	}
	if err := c.prepare(spec, opts.BaseURL); err != nil {
		return nil, err
	}
	return c, nil
}

// Middleware enforces the contract of the operation chi routed the
// request to, then calls next with the caller in the request's context
// (see request.CallerFrom) and the body restored.
//
// It must run after chi routed the request: Use it on the chi Group given
// to the generated HandlerWithOptions as BaseRouter (see the package
// comment). A route the spec does not know passes through untouched.
func (c *Contract) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := c.lookup(r)
		if op == nil {
			next.ServeHTTP(w, r)
			return
		}
		r, ok := c.check(w, r, op)
		if !ok {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// lookup finds the operation of the route chi matched.
func (c *Contract) lookup(r *http.Request) *operation {
	// chi sets r.Pattern before it calls the route's handler chain; the
	// route context is the fallback for requests built by hand.
	pattern := r.Pattern
	if pattern == "" {
		rctx := chi.RouteContext(r.Context())
		if rctx == nil {
			return nil
		}
		pattern = rctx.RoutePattern()
	}
	p := c.paths[pattern]
	if p == nil {
		return nil
	}
	return p.find(r.Method)
}

// check enforces op's contract on r. It writes the problem and returns
// false when r breaks it, or when r's context ends before it is judged;
// otherwise it returns the request to pass on.
func (c *Contract) check(w http.ResponseWriter, r *http.Request, op *operation) (*http.Request, bool) {
	if ended(w, r) {
		return r, false
	}
	var caller *access.Caller
	if op.secured {
		who, ok := c.authenticate(w, r, op)
		if !ok {
			return r, false
		}
		caller = &who
	}
	if preconditionMissing(w, r, op) {
		return r, false
	}
	ctx := r.Context()
	var body requestBody
	if op.body != nil {
		var ok bool
		if body, ok = c.readBody(w, r, op); !ok {
			return r, false
		}
	}
	var fields fieldList
	if op.params {
		c.validateParams(ctx, r, op, &fields)
	}
	if op.body != nil {
		c.validateBody(ctx, r, op, body, &fields)
	}
	// Between each step and the next, and as the errors are read: the
	// handler must not run for a request nobody waits for.
	if ended(w, r) {
		return r, false
	}
	if len(fields.fields) > 0 {
		fields.write(w, r)
		return r, false
	}
	return accept(r, op, caller), true
}

// accept records in r's scope that the contract accepted r as op, with
// its caller. The scope is the one edge.Root put in the context; r gets a
// scope of its own when it has none (no Root in front)
// or when its scope was accepted already (a request served within the
// context of another one), so that no request's caller changes under it.
func accept(r *http.Request, op *operation, caller *access.Caller) *http.Request {
	s := request.ScopeFrom(r.Context())
	if s == nil || s.Accepted() {
		own := new(request.Scope)
		if s != nil {
			own.ID = s.ID
		}
		s = own
		r = r.WithContext(request.NewContext(r.Context(), s))
	}
	s.Accept(op.id, caller)
	return r
}

// bodyOptions are the options openapi3filter.ValidateRequestBody would
// pass for c.filter, prepared once.
func (c *Contract) bodyOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{openapi3.VisitAsRequest(), openapi3.MultiErrors()}
}
