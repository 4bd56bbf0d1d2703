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
	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/docs"
	"github.com/charterhq/charter/services/platform/host"
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
		Build:    build,
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
	if env.DB != nil {
		repo, copies, tx = sqldb.NewQuotes(env.DB), sqldb.NewMaterialCopies(env.DB), sqldb.Transaction(env.DB)
	}
	wiring, err := Wire(Parts{
		Repository: repo, Copies: copies, Materials: prices, Events: env.Events, Now: env.Now, Transaction: tx,
		Middleware: env.StoryMiddleware,
	})
	if err != nil {
		return host.Built{}, err
	}
	return host.Built{
		Mount: Mount(NewController(wiring)),
		Jobs: []host.Job{{Name: "expire quotes", Every: ExpireEvery, Run: func(ctx context.Context) error {
			n, err := wiring.Expire.Run(ctx, access.Caller{Subject: "service:quotes", Roles: []access.Role{access.Staff}}, domain.ExpireInput{})
			if n > 0 && env.Logger != nil {
				env.Logger.Info("quotes expired", "count", n)
			}
			return err
		}}},
		Seed:     func(ctx context.Context) (int, error) { return SeedDemo(ctx, repo, env.Now()) },
		Describe: wiring.Describe,
		Handlers: Handlers(wiring.KeepMaterialCopy),
	}, nil
}

// Mount registers the operations of api/quotes.yaml over the controller.
func Mount(c *Controller) stack.Mount {
	return func(r chi.Router, ct *contract.Contract) {
		strict := api.NewStrictHandlerWithOptions(c, nil, api.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  ct.RequestError,
			ResponseErrorHandlerFunc: ct.ResponseError,
		})
		api.HandlerWithOptions(strict, api.ChiServerOptions{BaseRouter: r, ErrorHandlerFunc: ct.ParamError})
	}
}

// Options are what NewHandler builds the service from, for tests and
// benchmarks that serve it alone.
type Options struct {
	// Parts are what the stories are built from. Required.
	Parts Parts
	// Verify checks a bearer token. Required.
	Verify func(token string) (access.Caller, error)
	// Logger receives access logs and internal errors.
	Logger *slog.Logger
	// Ready reports whether the service can serve (for /readyz).
	Ready func(context.Context) error
	// Responses says how responses are checked against the spec; tests
	// check them all (contract.Strict).
	Responses contract.ResponseCheck
	// Operations wrap every operation inside the contract.
	Operations []func(http.Handler) http.Handler
}

// NewHandler returns the whole quotes service as one http.Handler, on the
// platform's stack.
func NewHandler(o Options) (http.Handler, error) {
	if o.Parts.Events == nil {
		// Tests that look at no event: they go to an outbox nobody reads.
		o.Parts.Events = memory.NewOutbox()
	}
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
	return stack.New(stack.Options{
		Title: "Quotes", Spec: spec, SpecJSON: served, Events: quotesevents.Document(), Mount: Mount(NewController(wiring)),
		Verify: o.Verify, Logger: o.Logger, Ready: o.Ready, Operations: o.Operations, Responses: o.Responses,
	})
}
