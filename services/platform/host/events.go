package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/stories/story"
)

// eventing is the process's broker, started once for every service that
// publishes or consumes events, and their relays and consumers.
type eventing struct {
	broker    *events.Broker
	metrics   *events.Metrics
	relays    []*events.Relay
	consumers []*events.Consumer
	// urlFile is where the embedded broker's address was written for
	// the tools (writeBrokerURL), removed on Close; "" when none was.
	urlFile string
}

// BrokerURLFile is the file under the data directory where a process
// whose embedded broker accepts clients writes its address
// (events.URLFile).
const BrokerURLFile = events.URLFile

// writeBrokerURL writes the embedded broker's client address into
// BrokerURLFile and returns the file's path; "" for an external broker,
// one that accepts no clients, or a file that cannot be written, which
// only the tools miss.
func writeBrokerURL(cfg Config, b *events.Broker, logger *slog.Logger) string {
	if !b.Embedded() || b.URL() == "" {
		return ""
	}
	path, err := events.WriteURL(cfg.DataDir, b.URL())
	if err != nil {
		logger.Warn("the broker's address is not written for the tools", "file", path, "error", err)
		return ""
	}
	return path
}

// needsBroker reports whether any of services publishes or consumes.
func needsBroker(services []Service) bool {
	for _, s := range services {
		if len(s.Publishes) > 0 || len(s.Consumes) > 0 {
			return true
		}
	}
	return false
}

// startBroker connects to NATS_URL, or starts the embedded broker with its
// streams under the data directory. On the default address, taken by
// another process, it listens on a free port instead and says where.
func startBroker(cfg Config, logger *slog.Logger) (*events.Broker, error) {
	listen := cfg.Events.Listen
	if listen == "none" {
		listen = ""
	}
	o := events.BrokerOptions{
		URL: cfg.Events.URL, StoreDir: filepath.Join(cfg.DataDir, "nats"), Listen: listen,
		Name: "charterd", Logger: logger,
	}
	b, err := events.StartBroker(o)
	if err != nil && cfg.Events.URL == "" && listen == defaultNATSListen && errors.Is(err, syscall.EADDRINUSE) {
		logger.Warn("the broker's default address is taken: listening on a free port", "addr", defaultNATSListen)
		o.Listen = "127.0.0.1:0"
		b, err = events.StartBroker(o)
	}
	if err != nil {
		return nil, err
	}
	if b.Embedded() {
		logger.Info("event broker embedded", "url", b.URL(), "store", o.StoreDir)
	} else {
		logger.Info("event broker", "url", cfg.Events.URL)
	}
	return b, nil
}

func (cfg EventsConfig) streams() events.StreamOptions {
	return events.StreamOptions{Replicas: cfg.Replicas, MaxAge: cfg.MaxAge}
}

// eventStores are the outbox and the inbox of a service's store.
func eventStores(st *store) (outbox.Store, outbox.Inbox) {
	if st.db == nil {
		return memory.NewOutbox(), memory.NewInbox()
	}
	return sqldb.NewOutbox(st.db), sqldb.NewInbox(st.db)
}

// wireEvents gives env the service's Events and the relay's wake, and
// returns the relay, nil for a service that publishes nothing.
func (h *Host) wireEvents(s Service, st *store, env *Env, logger *slog.Logger) (*events.Relay, error) {
	box, _ := eventStores(st)
	var recorder story.Events = box
	var relay *events.Relay
	if len(s.Publishes) > 0 {
		var err error
		relay, err = events.NewRelay(events.RelayOptions{
			Service: s.Name, Outbox: box, Conn: h.events.broker.Conn, Streams: h.cfg.Events.streams(),
			Poll: h.cfg.Events.Poll, Metrics: h.events.metrics, Logger: logger,
		})
		if err != nil {
			return nil, err
		}
		recorder = relay.Events()
		env.StoryMiddleware = append(env.StoryMiddleware, relay.Middleware())
	}
	env.Events = declared{service: s.Name, types: s.Publishes, next: recorder}
	return relay, nil
}

// declared refuses the events of a type the service does not declare it
// publishes: no relay would publish them, and no contract describes them.
type declared struct {
	service string
	types   []string
	next    story.Events
}

func (d declared) Record(ctx context.Context, evs ...story.Event) error {
	for _, e := range evs {
		if !slices.Contains(d.types, e.Type) {
			return fmt.Errorf("host: %s records %q, which is not among the events it publishes (Service.Publishes)", d.service, e.Type)
		}
	}
	return d.next.Record(ctx, evs...)
}

// consumerOf returns the consumer of the handlers a service built, nil
// when it consumes nothing; the handlers must be those of s.Consumes.
func (h *Host) consumerOf(s Service, st *store, handlers *events.Handlers, logger *slog.Logger) (*events.Consumer, error) {
	want := slices.Sorted(slices.Values(s.Consumes))
	if got := handlers.Types(); !slices.Equal(got, slices.Compact(want)) {
		return nil, fmt.Errorf("handles %v, but declares it consumes %v (Service.Consumes)", got, want)
	}
	if len(want) == 0 {
		return nil, nil
	}
	_, inbox := eventStores(st)
	e := h.cfg.Events
	return events.NewConsumer(events.ConsumerOptions{
		Name: s.Name, Conn: h.events.broker.Conn, Inbox: inbox, Handlers: handlers,
		MaxAttempts: e.MaxAttempts, RetryBase: e.RetryBase, RetryMax: e.RetryMax, AckWait: e.AckWait,
		Workers: e.Workers, Streams: e.streams(), Metrics: h.events.metrics, Logger: logger,
	})
}

// runEvents runs every consumer and relay until ctx ends. stop then ends
// the consumers first, letting the handlers that run finish, then the
// relays, which publish once more what the last requests committed.
func (h *Host) runEvents() (stop func()) {
	if h.events == nil {
		return func() {}
	}
	consuming, stopConsumers := context.WithCancel(context.Background())
	relaying, stopRelays := context.WithCancel(context.Background())
	var consumers, relays sync.WaitGroup
	for _, c := range h.events.consumers {
		consumers.Go(func() { _ = c.Run(consuming) })
	}
	for _, r := range h.events.relays {
		relays.Go(func() { _ = r.Run(relaying) })
	}
	return func() {
		stopConsumers()
		consumers.Wait()
		stopRelays()
		relays.Wait()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, r := range h.events.relays {
			for {
				n, err := r.Publish(ctx)
				if err != nil {
					h.logger.Warn("events left in the outbox at shutdown, published at the next start", "err", err)
					break
				}
				if n == 0 {
					break
				}
			}
		}
	}
}
