package materials

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/docs"
	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/services/platform/idempotency"
	"github.com/charterhq/charter/services/platform/stack"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// Service is the materials service as a host runs it.
func Service() host.Service {
	return host.Service{
		Name:     "materials",
		Title:    "Materials",
		Addr:     ":8080",
		Spec:     api.GetSwagger,
		SpecJSON: specJSON,
		Events:   materialsevents.Document,
		// The events its stories record, through the outbox the host
		// gives it (Env.Events) and relays to the broker.
		Publishes: materialsevents.Types,
		Build:     build,
	}
}

// specJSON is the spec integrators read: the embedded one with the
// components of api/shared it refers to bundled in under their own names.
var specJSON = docs.Bundled(api.GetSwagger, api.PathToRawSpec)

// build wires the stories over the service's own database, or over the
// in-memory store when there is none.
func build(_ context.Context, env host.Env) (host.Built, error) {
	var repo domain.Repository = memory.NewMaterials()
	var tx story.Middleware
	var keys idempotency.Store = memory.NewIdempotencyKeys()
	if env.DB != nil {
		repo, tx = sqldb.NewMaterials(env.DB), sqldb.Transaction(env.DB)
		keys = sqldb.NewIdempotencyKeys(env.DB)
	}
	wiring, err := Wire(repo, env.Events, env.PayloadCheck(), env.Now, tx, env.StoryMiddleware...)
	if err != nil {
		return host.Built{}, err
	}
	mount, err := mountKeyed(NewController(wiring), keys, env.Now, env.Logger)
	if err != nil {
		return host.Built{}, err
	}
	return host.Built{
		Mount:    mount,
		Jobs:     []host.Job{idempotency.Job(keys, env.Now, env.Logger)},
		Seed:     func(ctx context.Context) (int, error) { return seedDemoThrough(ctx, repo, wiring.Staff.Create) },
		Describe: wiring.Describe,
	}, nil
}

// Mount registers the operations of api/materials.yaml over the
// controller, those that declare the Idempotency-Key header behind mw
// (none when mw is nil).
func Mount(c *Controller, mw ...func(http.Handler) http.Handler) stack.Mount {
	return func(r chi.Router, ct *contract.Contract) {
		strict := api.NewStrictHandlerWithOptions(c, nil, api.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  ct.RequestError,
			ResponseErrorHandlerFunc: ct.ResponseError,
		})
		r.Group(func(r chi.Router) {
			r.Use(mw...)
			api.HandlerWithOptions(strict, api.ChiServerOptions{BaseRouter: r, ErrorHandlerFunc: ct.ParamError})
		})
	}
}

// mountKeyed is Mount with the operations that declare the
// Idempotency-Key header kept idempotent under it in keys, which must
// store them in the database of the stories' transaction (see
// services/platform/idempotency).
func mountKeyed(c *Controller, keys idempotency.Store, now func() time.Time, logger *slog.Logger) (stack.Mount, error) {
	spec, err := api.GetSwagger()
	if err != nil {
		return nil, err
	}
	mw, err := idempotency.Middleware(idempotency.Options{Spec: spec, Store: keys, Now: now, Logger: logger})
	if err != nil {
		return nil, err
	}
	return Mount(c, mw), nil
}

// Options are what NewHandler builds the service from, for tests and
// benchmarks that serve it alone over a repository of their choice.
type Options struct {
	// Repository stores the materials. Required.
	Repository domain.Repository
	// Transaction wraps the stories that write; nil for none.
	Transaction story.Middleware
	// Events records the events of the stories that write, in the
	// database of Transaction (sqldb.NewOutbox); in an outbox in memory
	// when nil.
	Events story.Events
	// Idempotency keeps the keys of the Idempotency-Key header, in the
	// database of Transaction (sqldb.NewIdempotencyKeys); in memory when
	// nil.
	Idempotency idempotency.Store
	// Verify checks a bearer token (services/platform/auth). Required.
	Verify func(token string) (access.Caller, error)
	// Logger receives access logs and internal errors. Defaults to
	// slog.Default().
	Logger *slog.Logger
	// BodyLimit is the largest request body accepted; 1 MiB when zero.
	BodyLimit int64
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Ready reports whether the service can serve (for /readyz). Always
	// ready when nil.
	Ready func(context.Context) error
	// AccessLog turns the access log on. Benchmarks leave it off.
	AccessLog bool
	// Checks say which responses are checked against the spec, and which
	// payloads of the events the stories record against the event
	// contract; tests check them all (checks.Strict). The zero value
	// checks none, as a benchmark of the bare cost wants.
	Checks checks.Policy
	// Operations wrap every operation inside the contract (see
	// stack.Options).
	Operations []func(http.Handler) http.Handler
}

// NewHandler returns the whole materials service as one http.Handler, on
// the platform's stack.
func NewHandler(o Options) (http.Handler, error) {
	if o.Repository == nil {
		return nil, errors.New("materials: a repository is required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Events == nil {
		o.Events = memory.NewOutbox()
	}
	wiring, err := Wire(o.Repository, o.Events, events.PayloadCheck{Policy: o.Checks, Logger: o.Logger}, o.Now, o.Transaction)
	if err != nil {
		return nil, err
	}
	spec, err := api.GetSwagger()
	if err != nil {
		return nil, err
	}
	served, err := specJSON()
	if err != nil {
		return nil, err
	}
	if o.Idempotency == nil {
		o.Idempotency = memory.NewIdempotencyKeys()
	}
	mount, err := mountKeyed(NewController(wiring), o.Idempotency, o.Now, o.Logger)
	if err != nil {
		return nil, err
	}
	return stack.New(stack.Options{
		Title: "Materials", Spec: spec, SpecJSON: served, Events: materialsevents.Document(), Mount: mount,
		Verify: o.Verify, Logger: o.Logger, BodyLimit: o.BodyLimit, Ready: o.Ready,
		AccessLog: o.AccessLog, Operations: o.Operations, Responses: contract.ResponseCheckOf(o.Checks),
	})
}
