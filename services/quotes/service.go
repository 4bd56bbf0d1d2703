package quotes

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	api "github.com/charterhq/charter/gen/quotes"
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
	domain "github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// ExpireEvery is how often the scheduled job looks for lapsed quotes.
const ExpireEvery = time.Minute

// Service is the quotes service as a host runs it. It calls materials, as
// its own identity with the one scope it needs, to price submissions.
func Service() host.Service {
	return host.Service{
		Name:     "quotes",
		Title:    "Quotes",
		Addr:     ":8081",
		Spec:     api.GetSwagger,
		SpecJSON: specJSON,
		Events:   quotesevents.Document,
		// Materials is called only about a material quotes has no copy of
		// yet: quotes serves without it.
		Calls:     []host.Call{{Service: "materials", Scopes: []string{"materials:read"}, Optional: true}},
		Publishes: quotesevents.Types,
		// The materials' events, which keep quotes' copies of materials.
		Consumes: quotesevents.Received,
		ReadModels: []host.ReadModel{{
			Name:        "material-copies",
			Description: "quotes' copies of materials (material_copies), which submissions are priced from, kept from the events of the MATERIALS stream",
			Rebuild:     rebuildCopies,
		}},
		Build: build,
	}
}

// specJSON is the spec integrators read: the embedded one with the
// components of api/shared it refers to bundled in under their own names.
var specJSON = docs.Bundled(api.GetSwagger, api.PathToRawSpec)

func build(_ context.Context, env host.Env) (host.Built, error) {
	peer, ok := env.Peers["materials"]
	if !ok {
		return host.Built{}, errors.New("quotes needs the materials service")
	}
	prices, err := Materials(peer.BaseURL, peer.Client)
	if err != nil {
		return host.Built{}, err
	}
	var repo domain.Repository = memory.NewQuotes()
	var copies domain.MaterialCopies = memory.NewMaterialCopies()
	var tx story.Middleware
	var keys idempotency.Store = memory.NewIdempotencyKeys()
	if env.DB != nil {
		repo, copies, tx = sqldb.NewQuotes(env.DB), sqldb.NewMaterialCopies(env.DB), sqldb.Transaction(env.DB)
		keys = sqldb.NewIdempotencyKeys(env.DB)
	}
	wiring, err := Wire(Parts{
		Repository: repo, Copies: copies, Materials: prices, Events: env.Events, Checks: env.PayloadCheck(),
		Now: env.Now, Transaction: tx, Middleware: env.StoryMiddleware,
	})
	if err != nil {
		return host.Built{}, err
	}
	mount, err := mountKeyed(NewController(wiring), keys, env.Now, env.Logger)
	if err != nil {
		return host.Built{}, err
	}
	return host.Built{
		Mount: mount,
		Jobs: []host.Job{{Name: "expire quotes", Every: ExpireEvery, Run: func(ctx context.Context) error {
			n, err := wiring.Expire.Run(ctx, access.Caller{Subject: "service:quotes", Roles: []access.Role{access.Staff}}, domain.ExpireInput{})
			if n > 0 && env.Logger != nil {
				env.Logger.Info("quotes expired", "count", n)
			}
			return err
		}}, idempotency.Job(keys, env.Now, env.Logger)},
		Seed:     func(ctx context.Context) (int, error) { return SeedDemo(ctx, repo, env.Now()) },
		Describe: wiring.Describe,
		Handlers: Handlers(wiring.KeepMaterialCopy),
	}, nil
}

// Mount registers the operations of api/quotes.yaml over the controller,
// behind mw (the idempotency middleware, which acts only on the operations
// that declare the Idempotency-Key header).
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
// benchmarks that serve it alone.
type Options struct {
	// Parts are what the stories are built from. Required; their Checks
	// are set from Checks.
	Parts Parts
	// Verify checks a bearer token. Required.
	Verify func(token string) (access.Caller, error)
	// Logger receives access logs and internal errors.
	Logger *slog.Logger
	// Ready reports whether the service can serve (for /readyz).
	Ready func(context.Context) error
	// Checks say which responses are checked against the spec, and which
	// payloads of the events the stories record against the event
	// contract; tests check them all (checks.Strict). The zero value
	// checks none, as a benchmark of the bare cost wants.
	Checks checks.Policy
	// Operations wrap every operation inside the contract.
	Operations []func(http.Handler) http.Handler
	// Idempotency keeps the keys of the Idempotency-Key header, in the
	// database of Parts.Transaction (sqldb.NewIdempotencyKeys); in memory
	// when nil.
	Idempotency idempotency.Store
}

// NewHandler returns the whole quotes service as one http.Handler, on the
// platform's stack.
func NewHandler(o Options) (http.Handler, error) {
	if o.Parts.Events == nil {
		// Tests that look at no event: they go to an outbox nobody reads.
		o.Parts.Events = memory.NewOutbox()
	}
	o.Parts.Checks = events.PayloadCheck{Policy: o.Checks, Logger: o.Logger}
	wiring, err := Wire(o.Parts)
	if err != nil {
		return nil, err
	}
	spec, err := api.GetSwagger()
	if err != nil {
		return nil, fmt.Errorf("quotes: embedded spec: %w", err)
	}
	served, err := specJSON()
	if err != nil {
		return nil, fmt.Errorf("quotes: embedded spec: %w", err)
	}
	if o.Idempotency == nil {
		o.Idempotency = memory.NewIdempotencyKeys()
	}
	mount, err := mountKeyed(NewController(wiring), o.Idempotency, o.Parts.Now, o.Logger)
	if err != nil {
		return nil, err
	}
	return stack.New(stack.Options{
		Title: "Quotes", Spec: spec, SpecJSON: served, Events: quotesevents.Document(), Mount: mount,
		Verify: o.Verify, Logger: o.Logger, Ready: o.Ready, Operations: o.Operations,
		Responses: contract.ResponseCheckOf(o.Checks),
	})
}
