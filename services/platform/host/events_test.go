package host_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/services/platform/host/hosttest"
	"github.com/charterhq/charter/services/quotes"
	"github.com/charterhq/charter/stories/story"
)

const created = "charter.materials.material.created"

// eventServices are materials declaring it publishes created, and quotes
// declaring it consumes it: record records one in a story of materials,
// and handled lists the subjects quotes handled.
type eventServices struct {
	pub, sub host.Service
	env      chan host.Env
	mu       sync.Mutex
	handled  []string
}

func newEventServices() *eventServices {
	e := &eventServices{pub: materials.Service(), sub: quotes.Service(), env: make(chan host.Env, 1)}
	e.pub.Publishes = []string{created}
	build := e.pub.Build
	e.pub.Build = func(ctx context.Context, env host.Env) (host.Built, error) {
		e.env <- env
		return build(ctx, env)
	}
	e.sub.Consumes = []string{created}
	buildSub := e.sub.Build
	e.sub.Build = func(ctx context.Context, env host.Env) (host.Built, error) {
		built, err := buildSub(ctx, env)
		built.Handlers = events.NewHandlers()
		events.Handle(built.Handlers, created, func(_ context.Context, env events.Envelope, _ map[string]any) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.handled = append(e.handled, env.Subject)
			return nil
		})
		return built, err
	}
	return e
}

// record runs a story of the publisher that records evs, as its stories
// do: inside its middleware and its database's transaction.
func (e *eventServices) record(t *testing.T, env host.Env, evs ...story.Event) error {
	mw := env.StoryMiddleware
	if env.DB != nil {
		mw = append(mw, sqldb.Transaction(env.DB))
	}
	return story.MustNew(story.Definition[struct{}]{
		Name: "RecordSomething",
		Steps: []story.Step[struct{}]{story.Do("record", func(ctx context.Context, _ *struct{}) error {
			return env.Events.Record(ctx, evs...)
		})},
	}).With(mw...).Run(context.Background(), &struct{}{})
}

func TestTheHostCarriesEventsFromPublisherToConsumer(t *testing.T) {
	for _, store := range []string{"sqlite", "memory"} {
		t.Run(store, func(t *testing.T) {
			e := newEventServices()
			urls := hosttest.Start(t, store, e.pub, e.sub)
			env := <-e.env
			for i := range 3 {
				if err := e.record(t, env, story.Event{Type: created, Subject: fmt.Sprint(i), Data: map[string]int{"id": i}}); err != nil {
					t.Fatal(err)
				}
			}
			deadline := time.Now().Add(60 * time.Second)
			for {
				// Events of different subjects may be handled in any order.
				e.mu.Lock()
				got := strings.Join(slices.Sorted(slices.Values(e.handled)), ",")
				e.mu.Unlock()
				if got == "0,1,2" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("quotes handled %q, want 0,1,2", got)
				}
				time.Sleep(20 * time.Millisecond)
			}
			for name, url := range urls {
				resp, err := http.Get(url + "/readyz")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s /readyz: %s", name, resp.Status)
				}
			}
			resp, err := http.Get(urls["materials"] + host.MetricsPath)
			if err != nil {
				t.Fatal(err)
			}
			metrics, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			for _, want := range []string{`charter_events_outbox_backlog{service="materials"}`, `charter_events_published_total{service="materials"} 3`} {
				if !strings.Contains(string(metrics), want) {
					t.Errorf("/metrics has no %s", want)
				}
			}
		})
	}
}

func TestAServiceRecordsOnlyTheEventsItDeclares(t *testing.T) {
	e := newEventServices()
	hosttest.Start(t, "sqlite", e.pub, e.sub)
	env := <-e.env
	err := e.record(t, env, story.Event{Type: "charter.materials.material.melted", Subject: "1"})
	if err == nil || !strings.Contains(err.Error(), "Publishes") {
		t.Fatalf("recording an undeclared event: %v", err)
	}
}

func TestHandlersMustMatchWhatAServiceConsumes(t *testing.T) {
	e := newEventServices()
	e.sub.Consumes = []string{created, "charter.materials.material.deleted"}
	cfg := host.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Events.Listen = "none"
	_, err := host.Build(context.Background(), cfg, host.Options{
		Services: []host.Service{e.pub, e.sub}, Auth: hosttest.Auth(), Logger: slog.New(slog.DiscardHandler),
		Getenv: func(string) string { return "" },
	})
	if err == nil || !strings.Contains(err.Error(), "Consumes") {
		t.Fatalf("building a consumer whose handlers differ from its declaration: %v", err)
	}
}

func TestEventsConfigurationFromTheEnvironment(t *testing.T) {
	env := map[string]string{
		"NATS_URL": "nats://a:4222,nats://b:4222", "CHARTER_NATS_LISTEN": "none", "CHARTER_NATS_REPLICAS": "3",
		"CHARTER_NATS_MAX_AGE": "720h", "CHARTER_EVENTS_MAX_ATTEMPTS": "7", "CHARTER_EVENTS_RETRY_BASE": "2s",
		"CHARTER_EVENTS_RETRY_MAX": "3m", "CHARTER_EVENTS_ACK_WAIT": "45s", "CHARTER_EVENTS_POLL": "250ms",
		"CHARTER_EVENTS_WORKERS": "2",
	}
	c, err := host.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := host.EventsConfig{URL: "nats://a:4222,nats://b:4222", Listen: "none", Replicas: 3, MaxAge: 720 * time.Hour,
		MaxAttempts: 7, RetryBase: 2 * time.Second, RetryMax: 3 * time.Minute, AckWait: 45 * time.Second,
		Poll: 250 * time.Millisecond, Workers: 2}
	if c.Events != want {
		t.Errorf("events configuration %+v, want %+v", c.Events, want)
	}
	for name, bad := range map[string]string{"CHARTER_NATS_REPLICAS": "0", "CHARTER_EVENTS_MAX_ATTEMPTS": "many", "CHARTER_EVENTS_ACK_WAIT": "soon"} {
		_, err := host.FromEnv(func(k string) string {
			if k == name {
				return bad
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: %v, want an error naming it", name, bad, err)
		}
	}
}
