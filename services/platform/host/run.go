package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/call"
	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/services/platform/stack"
	"github.com/charterhq/charter/services/platform/telemetry"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// Host is a set of services built to run in one process.
type Host struct {
	// Running are the services of this process, in the order they were
	// built: a service after those it calls.
	Running []*Running
	logger  *slog.Logger
	cfg     Config
	// registry holds the metrics of every service of the process, served
	// by each one's /metrics.
	registry *prometheus.Registry
	tracing  []*telemetry.Tracing
	// events is the broker and the relays and consumers; nil when no
	// service publishes or consumes events.
	events *eventing
	// draining is set when a shutdown begins: every service's /readyz
	// answers 503 from then on.
	draining atomic.Bool
	// afterDrain is time.After (when nil), which tests replace to end a
	// drain when they have seen it.
	afterDrain func(time.Duration) <-chan time.Time
}

// Running is one built service with its handler and its store.
type Running struct {
	Service Service
	Built   Built
	Handler http.Handler
	// Addr is where it listens.
	Addr string
	// Scopes are every scope the operations of its contract require, in
	// the order they first appear (see Scopes).
	Scopes []string
	store  *store
}

// Options are what a host is built from besides the configuration.
type Options struct {
	// Services are every service the binary knows; Config.Services
	// chooses among them.
	Services []Service
	// Auth verifies callers' tokens and, when it can sign, issues the
	// tokens services call each other with.
	Auth auth.Config
	// Logger is the process's logger.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Getenv reads the per-service variables (CHARTER_<NAME>_ADDR,
	// CHARTER_<NAME>_DATABASE_URL, CHARTER_<NAME>_URL).
	Getenv func(string) string
	// AccessLog turns the access log on.
	AccessLog bool
}

// Build opens the store of every chosen service and builds it, each after
// the services it calls, so that a service whose peer runs in this
// process calls it in process.
func Build(ctx context.Context, cfg Config, o Options) (h *Host, err error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Getenv == nil {
		o.Getenv = func(string) string { return "" }
	}
	chosen, err := choose(o.Services, cfg.Services)
	if err != nil {
		return nil, err
	}
	verifier, err := auth.NewVerifier(o.Auth)
	if err != nil {
		return nil, err
	}
	built := &Host{logger: o.Logger, cfg: cfg}
	h = built
	defer func() {
		// Not h: a failed Build returns nil for it.
		if err != nil {
			built.Close()
		}
	}()
	if needsBroker(chosen) {
		broker, err := startBroker(cfg, o.Logger)
		if err != nil {
			return nil, fmt.Errorf("event broker: %w", err)
		}
		h.events = &eventing{broker: broker}
		h.events.urlFile = writeBrokerURL(cfg, broker, o.Logger)
	}
	inProcess := map[string]*Running{}
	for _, s := range chosen {
		r, err := h.build(ctx, s, cfg, o, verifier, inProcess)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name, err)
		}
		inProcess[s.Name] = r
		h.Running = append(h.Running, r)
	}
	return h, nil
}

func (h *Host) build(ctx context.Context, s Service, cfg Config, o Options, verifier *auth.Verifier, inProcess map[string]*Running) (*Running, error) {
	logger := o.Logger.With("service", s.Name)
	url, err := databaseURL(cfg, s.Name, o.Getenv, len(inProcess) > 0 || len(cfg.Services) != 1)
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, url, s.Name)
	if err != nil {
		return nil, err
	}
	r := &Running{Service: s, store: st, Addr: s.Addr}
	if v := o.Getenv(envName(s.Name, "ADDR")); v != "" {
		r.Addr = v
	}
	// The first service makes the process's registry, with the runtime
	// collectors; the others add to it.
	metrics, err := telemetry.NewMetrics(s.Name, telemetry.MetricsOptions{Registry: h.registry})
	if err != nil {
		st.Close()
		return nil, err
	}
	h.registry = metrics.Registry()
	if h.events != nil && h.events.metrics == nil {
		if h.events.metrics, err = events.NewMetrics(h.registry); err != nil {
			st.Close()
			return nil, err
		}
	}
	tracing, err := telemetry.NewTracing(ctx, s.Name, telemetry.TracingOptions{Getenv: o.Getenv})
	if err != nil {
		st.Close()
		return nil, err
	}
	if len(h.tracing) == 0 {
		// The first service's provider serves the libraries that use
		// the global one; each service's spans carry its own name.
		tracing.Install()
	}
	h.tracing = append(h.tracing, tracing)
	peers, peerReady, err := h.peers(s, o, inProcess, tracing)
	if err != nil {
		st.Close()
		return nil, err
	}
	policy, err := cfg.Checks()
	if err != nil {
		st.Close()
		return nil, err
	}
	env := Env{
		Logger: logger, DB: st.db, Now: o.Now, Dev: cfg.Dev, Peers: peers, Checks: policy,
		StoryMiddleware: []story.Middleware{metrics.Story(), tracing.Story()},
	}
	relay, err := h.wireEvents(s, st, &env, logger)
	if err != nil {
		st.Close()
		return nil, err
	}
	built, err := s.Build(ctx, env)
	if err != nil {
		st.Close()
		return nil, err
	}
	consumer, err := h.consumerOf(s, st, built.Handlers, logger)
	if err != nil {
		st.Close()
		return nil, err
	}
	if relay != nil {
		h.events.relays = append(h.events.relays, relay)
	}
	if consumer != nil {
		h.events.consumers = append(h.events.consumers, consumer)
	}
	r.Built = built
	if cfg.Dev && built.Seed != nil {
		n, err := built.Seed(ctx)
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("demo data: %w", err)
		}
		if n > 0 {
			logger.Info("demo data added", "records", n)
		}
	}
	spec, err := s.Spec()
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("embedded spec: %w", err)
	}
	r.Scopes = Scopes(spec)
	specJSON, err := s.SpecJSON()
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("embedded spec: %w", err)
	}
	var events []byte
	if s.Events != nil {
		events = s.Events()
	}
	ready := []func(context.Context) error{h.ready, st.ping}
	if h.events != nil {
		ready = append(ready, h.events.broker.Ready)
	}
	if built.Ready != nil {
		ready = append(ready, built.Ready)
	}
	ready = append(ready, peerReady...)
	r.Handler, err = stack.New(stack.Options{
		Responses: contract.ResponseCheckOf(policy),
		Title:     s.Title, Spec: spec, SpecJSON: specJSON, Events: events, Mount: built.Mount,
		Verify: verifier.Verify, Logger: logger, BodyLimit: cfg.BodyLimit,
		Ready: all(ready), AccessLog: o.AccessLog,
		Edge:   []func(http.Handler) http.Handler{tracing.Middleware, metrics.Middleware},
		Routes: func(r chi.Router) { r.Handle(MetricsPath, metrics.Handler()) },
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	return r, nil
}

// peers returns how s reaches each service it calls, and the readiness
// check of each: the in-process handler's own /readyz, or the remote one.
func (h *Host) peers(s Service, o Options, inProcess map[string]*Running, tracing *telemetry.Tracing) (map[string]Peer, []func(context.Context) error, error) {
	if len(s.Calls) == 0 {
		return nil, nil, nil
	}
	var signer *auth.Signer
	if o.Auth.SigningKey != nil || len(o.Auth.HMACSecret) > 0 {
		var err error
		if signer, err = auth.NewSigner(o.Auth); err != nil {
			return nil, nil, err
		}
	}
	peers := map[string]Peer{}
	var ready []func(context.Context) error
	for _, c := range s.Calls {
		if signer == nil {
			return nil, nil, fmt.Errorf("calls %s as a service, which needs a key to sign its token with (CHARTER_JWT_HS256_SECRET or a signing key)", c.Service)
		}
		var transport http.RoundTripper
		baseURL := o.Getenv(envName(c.Service, "URL"))
		if peer, ok := inProcess[c.Service]; ok && baseURL == "" {
			transport, baseURL = call.InProcess(peer.Handler), "http://"+c.Service+".in-process"
		} else if baseURL == "" {
			addr := ""
			for _, known := range o.Services {
				if known.Name == c.Service {
					addr = known.Addr
				}
			}
			if addr == "" {
				return nil, nil, fmt.Errorf("calls %s, which is not a known service", c.Service)
			}
			baseURL = "http://" + displayAddr(addr)
		}
		client := call.NewClient(call.Options{
			Name:      c.Service,
			Transport: transport,
			Wrap:      tracing.Transport,
			Token:     serviceToken(signer, access.Caller{Subject: "service:" + s.Name, Roles: []access.Role{access.Staff}, Scopes: c.Scopes}),
		})
		peers[c.Service] = Peer{BaseURL: baseURL, Client: client}
		if !c.Optional {
			ready = append(ready, readyz(c.Service, baseURL, transport))
		}
	}
	return peers, ready, nil
}

// serviceToken returns a token source that signs a token for caller and
// signs a new one shortly before it expires.
func serviceToken(signer *auth.Signer, caller access.Caller) func(context.Context) (string, error) {
	const ttl = time.Hour
	var (
		mu      sync.Mutex
		token   string
		expires time.Time
	)
	return func(context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if time.Until(expires) > 5*time.Minute {
			return token, nil
		}
		t, err := signer.Sign(caller, ttl)
		if err != nil {
			return "", err
		}
		token, expires = t, time.Now().Add(ttl)
		return token, nil
	}
}

// readyz checks a peer's readiness probe. It goes around the breaker: a
// probe must see the peer come back even while the breaker is open.
func readyz(name, baseURL string, transport http.RoundTripper) func(context.Context) error {
	client := &http.Client{Transport: transport, Timeout: time.Second}
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(baseURL, "/")+"/readyz", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: readyz answered %s", name, resp.Status)
		}
		return nil
	}
}

// all returns a check that passes when every check does.
func all(checks []func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		for _, c := range checks {
			if err := c(ctx); err != nil {
				return err
			}
		}
		return nil
	}
}

// choose returns the services names selects, in the order that builds a
// service after the services it calls; every service when names is empty.
func choose(known []Service, names []string) ([]Service, error) {
	byName := map[string]Service{}
	for _, s := range known {
		byName[s.Name] = s
	}
	want := map[string]bool{}
	for _, n := range names {
		if _, ok := byName[n]; !ok {
			return nil, fmt.Errorf("no service %q (known: %s)", n, strings.Join(serviceNames(known), ", "))
		}
		want[n] = true
	}
	var out []Service
	done := map[string]bool{}
	var visit func(s Service, path []string) error
	visit = func(s Service, path []string) error {
		if done[s.Name] {
			return nil
		}
		for _, p := range path {
			if p == s.Name {
				return fmt.Errorf("services call each other in a cycle: %s", strings.Join(append(path, s.Name), " -> "))
			}
		}
		for _, c := range s.Calls {
			if peer, ok := byName[c.Service]; ok && (len(want) == 0 || want[c.Service]) {
				if err := visit(peer, append(path, s.Name)); err != nil {
					return err
				}
			}
		}
		done[s.Name] = true
		out = append(out, s)
		return nil
	}
	for _, s := range known {
		if len(want) == 0 || want[s.Name] {
			if err := visit(s, nil); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func serviceNames(ss []Service) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

// envName is the per-service variable CHARTER_<NAME>_<WHAT>.
func envName(service, what string) string {
	return "CHARTER_" + strings.ToUpper(service) + "_" + what
}

// MetricsPath is where every service serves the process's metrics in
// Prometheus's text format.
const MetricsPath = "/metrics"

// Close closes the broker and every service's store, and flushes the
// traces.
func (h *Host) Close() {
	if h.events != nil {
		h.events.broker.Close()
		if h.events.urlFile != "" {
			_ = os.Remove(h.events.urlFile)
		}
	}
	for _, r := range h.Running {
		r.store.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, t := range h.tracing {
		if err := t.Shutdown(ctx); err != nil {
			h.logger.Warn("flushing traces", "err", err)
		}
	}
}

// Serve listens on every service's address and serves until ctx is done
// (SIGTERM), then shuts down in two phases. First the drain: for
// Config.DrainTimeout every service still serves, on the connections it
// has and on new ones, while its /readyz answers 503 and each connection
// closes after its next response, so that a load balancer stops sending
// requests here and its clients reconnect elsewhere. Then every server
// shuts down together (Server.Serve). Scheduled jobs run until the drain
// begins. listening, when not nil, is told each service's address once
// it listens.
func (h *Host) Serve(ctx context.Context, listening func(r *Running, addr net.Addr)) error {
	lns := make([]net.Listener, len(h.Running))
	for i, r := range h.Running {
		ln, err := net.Listen("tcp", r.Addr)
		if err != nil {
			for _, l := range lns[:i] {
				l.Close()
			}
			return fmt.Errorf("%s: %w", r.Service.Name, err)
		}
		lns[i] = ln
	}
	cfg := h.cfg
	cfg.MaxConnections = connectionLimit(cfg.MaxConnections, len(h.Running), h.logger)
	// One server failing stops the others, drain included: the process
	// is whole or gone.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// serving ends when the drain does.
	serving, stopServing := context.WithCancel(context.Background())
	defer stopServing()
	servers := make([]*Server, len(h.Running))
	var wg sync.WaitGroup
	errs := make([]error, len(h.Running))
	for i, r := range h.Running {
		logger := h.logger.With("service", r.Service.Name)
		logger.Info("listening", "addr", lns[i].Addr().String(), "store", r.store.kind, "dev", h.cfg.Dev,
			"max_connections", cfg.MaxConnections)
		if listening != nil {
			listening(r, lns[i].Addr())
		}
		servers[i] = NewServer(cfg, r.Handler, logger)
		wg.Go(func() {
			errs[i] = servers[i].Serve(serving, lns[i])
			cancel()
		})
		for _, j := range r.Built.Jobs {
			wg.Go(func() { runJob(ctx, j, logger) })
		}
	}
	wg.Go(func() {
		<-ctx.Done()
		h.drain(servers, cfg.DrainTimeout)
		stopServing()
	})
	stopEvents := h.runEvents()
	wg.Wait()
	// After the servers: the stories of the last requests record events
	// the relays still publish.
	stopEvents()
	return errors.Join(errs...)
}

// drain makes every service not ready and has its server drain (see
// Server.Drain) for d.
func (h *Host) drain(servers []*Server, d time.Duration) {
	h.draining.Store(true)
	for _, s := range servers {
		s.Drain()
	}
	if d <= 0 {
		return
	}
	h.logger.Info("draining: /readyz answers 503 while requests are still served", "for", d.String())
	after := h.afterDrain
	if after == nil {
		after = time.After
	}
	<-after(d)
}

// errDraining is the readiness check's failure while the host drains.
var errDraining = errors.New("draining for a shutdown")

// ready fails while the host drains: the first readiness check of every
// service.
func (h *Host) ready(context.Context) error {
	if h.draining.Load() {
		return errDraining
	}
	return nil
}

// runJob runs j every j.Every until ctx is done. A failed run is logged
// and the next one tries again.
func runJob(ctx context.Context, j Job, logger *slog.Logger) {
	every := j.Every
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := j.Run(ctx); err != nil && ctx.Err() == nil {
			logger.Error("job failed", "job", j.Name, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// displayAddr turns a listen address such as ":8080" into one a browser
// or a client opens.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// DisplayAddr is displayAddr for a listener's address.
func DisplayAddr(a net.Addr) string { return displayAddr(a.String()) }
