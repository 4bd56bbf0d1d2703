package materials

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/docs"
	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/materials"
)

// Options are what the service's handler is built from.
type Options struct {
	// Repository stores the materials. Required.
	Repository materials.Repository
	// Verify checks a bearer token (services/platform/auth). Required.
	Verify func(token string) (access.Caller, error)
	// Logger receives access logs and internal errors. Defaults to
	// slog.Default().
	Logger *slog.Logger
	// BodyLimit is the largest request body accepted; 1 MiB when zero.
	BodyLimit int64
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Ready reports whether the service can serve (for /readyz), for
	// example by pinging the database. Always ready when nil.
	Ready func(context.Context) error
	// AccessLog turns the access log on. Benchmarks leave it off.
	AccessLog bool
}

// NewHandler returns the whole materials service as one http.Handler:
// the edge (request id through edge.Root, access log, recover, body
// limit), the docs and health endpoints, and the operations of
// api/materials.yaml behind the contract middleware (authentication and
// validation), the generated strict handler and the controller.
func NewHandler(o Options) (http.Handler, error) {
	if o.Repository == nil {
		return nil, errors.New("materials: a repository is required")
	}
	if o.Verify == nil {
		return nil, errors.New("materials: a token verifier is required")
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.BodyLimit <= 0 {
		o.BodyLimit = 1 << 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Ready == nil {
		o.Ready = func(context.Context) error { return nil }
	}

	// Internal errors of the stories are logged once, with the request ID,
	// by the contract's ResponseError; a story's error names its step.
	wiring, err := Wire(o.Repository, o.Now)
	if err != nil {
		return nil, err
	}
	spec, err := api.GetSwagger()
	if err != nil {
		return nil, fmt.Errorf("materials: embedded spec: %w", err)
	}
	specJSON, err := api.GetSpecJSON()
	if err != nil {
		return nil, fmt.Errorf("materials: embedded spec: %w", err)
	}
	specDocs, err := docs.NewSpec(specJSON)
	if err != nil {
		return nil, err
	}
	c, err := contract.New(spec, contract.Options{Verify: o.Verify, Logger: o.Logger})
	if err != nil {
		return nil, err
	}

	r := chi.NewRouter()
	if o.AccessLog {
		r.Use(edge.AccessLog(o.Logger))
	}
	r.Use(edge.Recover(o.Logger), edge.BodyLimit(o.BodyLimit))
	r.NotFound(edge.NotFound)
	r.MethodNotAllowed(edge.MethodNotAllowed)

	r.Get(docs.HealthzPath, docs.Healthz)
	r.Get(docs.ReadyzPath, docs.Readyz(o.Ready))
	r.Get(docs.SpecJSONPath, specDocs.JSON)
	r.Get(docs.SpecYAMLPath, specDocs.YAML)
	ui := docs.UI("Materials", docs.UIPath)
	r.Handle(docs.UIPath, ui)
	r.Handle(docs.UIPath+"/*", ui)

	strict := api.NewStrictHandlerWithOptions(NewController(wiring), nil, api.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  c.RequestError,
		ResponseErrorHandlerFunc: c.ResponseError,
	})
	// The contract runs as chi middleware on the operations' group rather
	// than in ChiServerOptions.Middlewares: chi chains it once at start,
	// where the generated wrapper would build the chain, closure included,
	// on every request.
	r.Group(func(ops chi.Router) {
		ops.Use(c.Middleware)
		api.HandlerWithOptions(strict, api.ChiServerOptions{
			BaseRouter:       ops,
			ErrorHandlerFunc: c.ParamError,
		})
	})
	return edge.Root(r), nil
}
