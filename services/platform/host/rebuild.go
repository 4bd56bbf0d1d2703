package host

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/charterhq/charter/services/platform/events"
)

// Rebuild builds the read model named model of service again by
// replaying the events it is kept from (see ReadModel), and returns how
// many it replayed. It works on the service's database as cfg and
// o.Getenv name it, the one charterd serve uses, and reaches the broker
// as the tools do: NATS_URL; else the embedded broker of a charterd
// serving from cfg.DataDir, at the address it wrote into BrokerURLFile;
// else, when no charterd serves it, the embedded broker's streams under
// cfg.DataDir, opened in this process.
func Rebuild(ctx context.Context, cfg Config, o Options, service, model string) (int, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Getenv == nil {
		o.Getenv = func(string) string { return "" }
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	rm, err := findReadModel(o.Services, service, model)
	if err != nil {
		return 0, err
	}
	url, err := databaseURL(cfg, service, o.Getenv, false)
	if err != nil {
		return 0, err
	}
	if url == "memory" {
		return 0, fmt.Errorf("%s keeps its read models in the memory of the process that serves it (DATABASE_URL=memory): there is nothing another process can rebuild", service)
	}
	st, err := openStore(ctx, url, service)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	logger := o.Logger.With("service", service)
	broker, err := replayBroker(cfg, logger)
	if err != nil {
		return 0, err
	}
	defer broker.Close()
	js, err := broker.JetStream()
	if err != nil {
		return 0, err
	}
	env := Env{Logger: logger, DB: st.db, Now: o.Now, Dev: cfg.Dev}
	return rm.Rebuild(ctx, env, js)
}

// findReadModel returns the read model model of service among services,
// or an error that lists those there are.
func findReadModel(services []Service, service, model string) (ReadModel, error) {
	var known []string
	for _, s := range services {
		for _, rm := range s.ReadModels {
			if s.Name == service && rm.Name == model {
				return rm, nil
			}
			known = append(known, s.Name+" "+rm.Name)
		}
	}
	slices.Sort(known)
	return ReadModel{}, fmt.Errorf("%s has no read model %q; there are: %s", service, model, strings.Join(known, ", "))
}

// ReadModels lists the read models of services, as "service name:
// description" lines.
func ReadModels(services []Service) []string {
	var out []string
	for _, s := range services {
		for _, rm := range s.ReadModels {
			out = append(out, fmt.Sprintf("%s %s: %s", s.Name, rm.Name, rm.Description))
		}
	}
	slices.Sort(out)
	return out
}

// replayBroker connects to the broker a rebuild replays from (see
// Rebuild): it fails rather than waits when the broker cannot be reached.
func replayBroker(cfg Config, logger *slog.Logger) (*events.Broker, error) {
	if cfg.Events.URL != "" {
		return events.Dial(cfg.Events.URL, "charterd rebuild")
	}
	if url := events.WrittenURL(cfg.DataDir); url != "" {
		broker, err := events.Dial(url, "charterd rebuild")
		if err == nil {
			return broker, nil
		}
		// A file left by a charterd that ended without removing it:
		// nobody serves the store, which is opened below.
		logger.Info("the broker charterd wrote the address of does not answer: opening its streams here", "url", url, "error", err)
	}
	broker, err := events.StartBroker(events.BrokerOptions{
		StoreDir: filepath.Join(cfg.DataDir, "nats"), Name: "charterd rebuild", Logger: logger,
	})
	if errors.Is(err, events.ErrStoreInUse) {
		return nil, fmt.Errorf("%w: set NATS_URL to the address of the broker of the charterd that serves it (CHARTER_NATS_LISTEN)", err)
	}
	return broker, err
}
