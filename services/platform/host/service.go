package host

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/services/platform/stack"
	"github.com/charterhq/charter/stories/story"
)

// Service is one service as a host runs it: what it is called, its
// contract, the services it calls, and how to build it over a store. A
// service package exports one; the binary lists them.
type Service struct {
	// Name names the service in configuration (CHARTER_<NAME>_ADDR...),
	// in its database (its SQLite file, its PostgreSQL schema and its
	// migrations) and in logs: lower-case letters.
	Name string
	// Title names the service in its docs.
	Title string
	// Addr is where the service listens unless CHARTER_<NAME>_ADDR says
	// otherwise, such as ":8080".
	Addr string
	// Spec returns the contract requests are validated against (the
	// generated GetSwagger) and SpecJSON the one served to integrators.
	Spec     func() (*openapi3.T, error)
	SpecJSON func() ([]byte, error)
	// Events returns the service's event contract, its generated
	// package's Document, which the docs serve; nil for a service
	// without events.
	Events func() []byte
	// Calls are the services this one calls through their generated
	// clients, and the scopes its service identity needs at each.
	Calls []Call
	// Publishes are the event types the service's stories record (the
	// Types of its gen/events package): the host relays its outbox to
	// the broker, and Env.Events refuses any other type.
	Publishes []string
	// Consumes are the event types the service handles: Built.Handlers
	// must handle exactly these. The host runs a durable consumer named
	// after the service, shared by its replicas.
	Consumes []string
	// ReadModels are the state the service keeps from the events of
	// others, each of which `charterd rebuild <service> <name>` builds
	// again by replaying them.
	ReadModels []ReadModel
	// Build builds the service over env. It runs once at start.
	Build func(ctx context.Context, env Env) (Built, error)
}

// ReadModel is state a service keeps from the events another service
// publishes, which can be built again from the events its stream holds
// (the streams keep them for ever unless CHARTER_NATS_MAX_AGE says
// otherwise): after a bug in its handlers, a restore of the service's
// database, or to fill one made new.
type ReadModel struct {
	// Name names it on the command line, such as "material-copies".
	Name string
	// Description says what it holds and what it is kept from, as
	// charterd rebuild lists it.
	Description string
	// Rebuild empties the read model in env.DB and replays every event
	// it is kept from that js's stream holds into it, from the first,
	// and returns how many it replayed. It must be safe to run beside
	// the service serving from the same database, and leave readers the
	// whole old state or the whole new one, never an empty or half
	// filled one (one transaction).
	Rebuild func(ctx context.Context, env Env, js jetstream.JetStream) (int, error)
}

// Call is one service another calls, and the scopes it needs there.
type Call struct {
	Service string
	Scopes  []string
	// Optional says that the service serves without this one (it keeps
	// its own copy of what it needs, fed by events, and calls only for
	// what the copy lacks): its readiness does not wait for it.
	Optional bool
}

// Env is what the host gives a service to build itself with.
type Env struct {
	// Logger is the service's logger, its records tagged with its name.
	Logger *slog.Logger
	// DB is the service's own database, migrated; nil when the service
	// runs on the in-memory store.
	DB *sqlx.DB
	// Now is the clock.
	Now func() time.Time
	// Dev is development mode.
	Dev bool
	// Peers are the services of Calls, by name.
	Peers map[string]Peer
	// StoryMiddleware wraps every story the service wires: metrics and
	// tracing per story and step, and the wake of the relay after a story
	// that recorded events. The service adds its own (a transaction)
	// inside them.
	StoryMiddleware []story.Middleware
	// Events records the events of Publishes in the service's outbox, in
	// the transaction of the story that records them (the DB's, joined
	// through the service's Transaction middleware); the relay publishes
	// them once it committed.
	Events story.Events
	// Checks decide which payloads of the events the stories record are
	// checked against the event contract, as they decide for the
	// responses (CHARTER_RESPONSE_CHECK): see PayloadCheck.
	Checks checks.Policy
}

// PayloadCheck is how the service's events.Payloads checks the payloads
// its stories record: under Checks, violations let through logged by the
// service's logger.
func (e Env) PayloadCheck() events.PayloadCheck {
	return events.PayloadCheck{Policy: e.Checks, Logger: e.Logger}
}

// Peer is how a service reaches one it calls: the base URL of its API and
// an HTTP client that authenticates as the calling service, with the
// scopes of its Call and nothing else. In a process that hosts both, the
// client calls the peer's handler in process, through its whole stack;
// otherwise it goes over the network.
type Peer struct {
	BaseURL string
	Client  *http.Client
}

// Built is a service ready to serve.
type Built struct {
	// Mount registers the generated operations over the controller.
	Mount stack.Mount
	// Ready reports what the service needs beyond its database and its
	// peers, which the host checks itself; nil when nothing.
	Ready func(context.Context) error
	// Jobs run on a schedule while the service runs.
	Jobs []Job
	// Seed adds demo data to an empty store in development mode, and
	// says how many records it added.
	Seed func(context.Context) (int, error)
	// Describe describes every wired story.
	Describe func() []story.Description
	// Handlers handle the events of Service.Consumes, each in a
	// transaction of DB with its inbox row; nil when it consumes none.
	Handlers *events.Handlers
}

// Job is work a service does on a schedule, such as expiring what is past
// its date. Run must be safe to run in several replicas at once: the host
// does not elect one.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context) error
}
