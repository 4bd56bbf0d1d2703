// Package stack assembles the HTTP stack every service is served through,
// written once: the edge (request id, access log, recover, body limit),
// the docs and health endpoints, and the service's generated routes behind
// the contract middleware (authentication and validation) with one
// problem+json writer for every refusal. A service gives its spec and a
// function that mounts its generated handler over its controller; the rest
// is the same for every service.
package stack

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/docs"
	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/stories/access"
)

// Mount registers a service's generated operations on r, wired to the
// contract's error handlers. For a package gen/x generated with the strict
// server it is:
//
//	func(r chi.Router, c *contract.Contract) {
//		strict := x.NewStrictHandlerWithOptions(controller, nil, x.StrictHTTPServerOptions{
//			RequestErrorHandlerFunc:  c.RequestError,
//			ResponseErrorHandlerFunc: c.ResponseError,
//		})
//		x.HandlerWithOptions(strict, x.ChiServerOptions{BaseRouter: r, ErrorHandlerFunc: c.ParamError})
//	}
type Mount func(r chi.Router, c *contract.Contract)

// Options are what a service's handler is built from.
type Options struct {
	// Title names the service in the docs. Required.
	Title string
	// Spec is the service's contract, as its generated GetSwagger returns
	// it: requests are authenticated and validated against it. Required.
	Spec *openapi3.T
	// SpecJSON is the contract served at /openapi.json and /openapi.yaml.
	// Required.
	SpecJSON []byte
	// Events is the service's event contract, its generated package's
	// Document (gen/events/<service>): when given, it is served at
	// /events.json and /events.yaml and as a page at /docs/events, which
	// /docs links. None for a service without events.
	Events []byte
	// Mount registers the generated operations. Required.
	Mount Mount
	// Verify checks a bearer token (services/platform/auth). Required.
	Verify func(token string) (access.Caller, error)
	// Logger receives access logs and internal errors. Defaults to
	// slog.Default().
	Logger *slog.Logger
	// BodyLimit is the largest request body accepted; 1 MiB when zero.
	BodyLimit int64
	// Ready reports whether the service can serve (for /readyz): its
	// database and the services it depends on. Always ready when nil.
	Ready func(context.Context) error
	// AccessLog turns the access log on. Benchmarks leave it off.
	AccessLog bool
	// Edge wraps every request first, outside the access log and the
	// recovery from panics: tracing and metrics, which must see the 500
	// a panic becomes. The first is outermost.
	Edge []func(http.Handler) http.Handler
	// Operations wrap the operations only, inside the contract, where the
	// request's operation and caller are known: metrics and tracing per
	// operation, response validation. The first is outermost.
	Operations []func(http.Handler) http.Handler
	// Responses says how responses are checked against the spec: Strict
	// in development and tests, so that a violation fails loudly; Sampled
	// (logged and counted) or Off in production.
	Responses contract.ResponseCheck
	// Routes adds endpoints beside the operations, outside the contract,
	// such as /metrics. They get the edge middleware and no
	// authentication.
	Routes func(r chi.Router)
}

// New returns the whole service as one http.Handler.
func New(o Options) (http.Handler, error) {
	switch {
	case o.Title == "":
		return nil, errors.New("stack: a title is required")
	case o.Spec == nil || len(o.SpecJSON) == 0:
		return nil, fmt.Errorf("stack %s: the spec is required", o.Title)
	case o.Mount == nil:
		return nil, fmt.Errorf("stack %s: a Mount is required", o.Title)
	case o.Verify == nil:
		return nil, fmt.Errorf("stack %s: a token verifier is required", o.Title)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.BodyLimit <= 0 {
		o.BodyLimit = 1 << 20
	}
	specDocs, err := docs.NewSpec(o.SpecJSON)
	if err != nil {
		return nil, err
	}
	var events *docs.Events
	if len(o.Events) > 0 {
		if events, err = docs.NewEvents(o.Title, o.Events, o.Spec); err != nil {
			return nil, err
		}
	}
	c, err := contract.New(o.Spec, contract.Options{Verify: o.Verify, Logger: o.Logger})
	if err != nil {
		return nil, err
	}

	r := chi.NewRouter()
	r.Use(o.Edge...)
	if o.AccessLog {
		r.Use(edge.AccessLog(o.Logger))
	}
	r.Use(edge.Recover(o.Logger), edge.BodyLimit(o.BodyLimit))
	r.NotFound(edge.NotFound)
	r.MethodNotAllowed(edge.MethodNotAllowed)

	// Probes and the spec answer HEAD as they answer GET, without a body:
	// load balancers and caches probe with it.
	for path, h := range map[string]http.HandlerFunc{
		docs.HealthzPath:  docs.Healthz,
		docs.ReadyzPath:   docs.Readyz(o.Ready),
		docs.SpecJSONPath: specDocs.JSON,
		docs.SpecYAMLPath: specDocs.YAML,
	} {
		r.Get(path, h)
		r.Head(path, h)
	}
	var above []template.HTML
	if events != nil {
		for path, h := range map[string]http.HandlerFunc{
			docs.EventsJSONPath: events.JSON,
			docs.EventsYAMLPath: events.YAML,
			docs.EventsUIPath:   events.Page,
		} {
			r.Get(path, h)
			r.Head(path, h)
		}
		above = append(above, docs.EventsLink(o.Title))
	}
	// The root says where the docs are, for whoever opens the bare URL.
	r.Get("/", http.RedirectHandler(docs.UIPath, http.StatusFound).ServeHTTP)
	ui := docs.UI(o.Title, docs.UIPath, above...)
	r.Handle(docs.UIPath, ui)
	r.Handle(docs.UIPath+"/*", ui)
	if o.Routes != nil {
		o.Routes(r)
	}

	// The contract runs as chi middleware on the operations' group rather
	// than in the generated ChiServerOptions.Middlewares: chi chains it
	// once at start, where the generated wrapper would build the chain,
	// closure included, on every request.
	r.Group(func(ops chi.Router) {
		ops.Use(c.Middleware)
		if o.Responses.Mode != contract.Off {
			ops.Use(c.ValidateResponses(o.Responses))
		}
		ops.Use(o.Operations...)
		o.Mount(ops, c)
	})
	return edge.Root(r), nil
}
