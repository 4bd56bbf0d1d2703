package telemetry_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/charterhq/charter/services/platform/telemetry"
)

func newMetrics(t *testing.T, service string) *telemetry.Metrics {
	t.Helper()
	m, err := telemetry.NewMetrics(service, telemetry.MetricsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMetricsMiddleware(t *testing.T) {
	m := newMetrics(t, "materials")
	h := newAPI(m.Middleware)
	for target, status := range map[string]int{
		"/materials/1": 200, "/materials/2": 200, "/materials/0": 404, "/materials/500": 500,
		"/healthz": 204, "/no/such/path": 404,
	} {
		if got := serve(t, h, target); got != status {
			t.Fatalf("GET %s = %d, want %d", target, got, status)
		}
	}
	got := scrape(t, m.Handler())
	op := []string{"service=materials", "operation=getMaterial"}

	t.Run("requests are counted per operation and status", func(t *testing.T) {
		want(t, got, 2, "charter_http_requests_total", append(op, "code=200", "class=2xx")...)
		want(t, got, 1, "charter_http_requests_total", append(op, "code=404", "class=4xx")...)
		want(t, got, 1, "charter_http_requests_total", append(op, "code=500", "class=5xx")...)
	})
	t.Run("5xx answers are errors, 4xx are not", func(t *testing.T) {
		want(t, got, 1, "charter_http_request_errors_total", op...)
	})
	t.Run("durations fill the histogram's buckets", func(t *testing.T) {
		want(t, got, 4, "charter_http_request_duration_seconds_count", op...)
		want(t, got, 4, "charter_http_request_duration_seconds_bucket", append(op, "le=+Inf")...)
		if _, ok := find(t, got, "charter_http_request_duration_seconds_bucket", append(op, "le=0.0005")...); !ok {
			t.Error("no bucket le=0.0005: the default buckets are not in use")
		}
		if _, ok := find(t, got, "charter_http_request_duration_seconds_sum", op...); !ok {
			t.Error("no _sum for the operation")
		}
	})
	t.Run("a route outside the contract is labelled with its pattern", func(t *testing.T) {
		want(t, got, 1, "charter_http_requests_total", "operation=/healthz", "code=204")
	})
	t.Run("a path no route matches is unmatched, never the raw path", func(t *testing.T) {
		want(t, got, 1, "charter_http_requests_total", "operation="+telemetry.Unmatched, "code=404")
		for _, s := range got {
			for _, v := range s.labels {
				if strings.Contains(v, "/materials/") || strings.Contains(v, "/no/such") {
					t.Errorf("%s has a raw path in its labels: %v", s.name, s.labels)
				}
			}
		}
	})
	t.Run("the Go runtime and the process are collected", func(t *testing.T) {
		for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
			if _, ok := find(t, got, name); !ok {
				t.Errorf("no %s", name)
			}
		}
	})
}

func TestMetricsMiddlewareCountsAPanicAsAnError(t *testing.T) {
	m := newMetrics(t, "materials")
	r := newAPI(m.Middleware, accept("explode"), func(http.Handler) http.Handler {
		return http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })
	})
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not go on up: the middleware must not swallow it")
			}
		}()
		serve(t, r, "/healthz")
	}()
	got := scrape(t, m.Handler())
	want(t, got, 1, "charter_http_request_errors_total", "operation=explode")
	want(t, got, 1, "charter_http_requests_total", "operation=explode", "code=500")
}

func TestMetricsMiddlewareKeepsTheWritersInterfaces(t *testing.T) {
	m := newMetrics(t, "materials")
	var flushed bool
	h := withScope(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		flushed = http.NewResponseController(w).Flush() == nil
	})))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if !flushed || !w.Flushed {
		t.Error("Flush did not reach the server's writer")
	}
	want(t, scrape(t, m.Handler()), 1, "charter_http_requests_total", "operation="+telemetry.Unmatched, "code=200")
}

func TestMetricsStory(t *testing.T) {
	m := newMetrics(t, "materials")
	s := getStory(t).With(m.Story())
	for _, loadErr := range []error{nil, nil, errNotFound, errDatabase} {
		err := s.Run(context.Background(), &getState{loadErr: loadErr})
		if !errors.Is(err, loadErr) {
			t.Fatalf("Run = %v, want %v", err, loadErr)
		}
	}
	got := scrape(t, m.Handler())
	story := []string{"service=materials", "story=Get material"}

	t.Run("runs are counted by outcome", func(t *testing.T) {
		want(t, got, 2, "charter_story_runs_total", append(story, "outcome=ok")...)
		want(t, got, 1, "charter_story_runs_total", append(story, "outcome=declared")...)
		want(t, got, 1, "charter_story_runs_total", append(story, "outcome=internal")...)
		want(t, got, 4, "charter_story_duration_seconds_count", story...)
	})
	t.Run("declared failures are counted by reason", func(t *testing.T) {
		want(t, got, 1, "charter_story_failures_total", append(story, "reason=material not found")...)
		if _, ok := find(t, got, "charter_story_failures_total", append(story, "reason=database unreachable")...); ok {
			t.Error("an internal error was counted as a declared reason")
		}
	})
	t.Run("a failed step is counted as an error of that step", func(t *testing.T) {
		load := append(story, "step=load")
		want(t, got, 2, "charter_story_steps_total", append(load, "outcome=ok")...)
		want(t, got, 1, "charter_story_steps_total", append(load, "outcome=declared")...)
		want(t, got, 1, "charter_story_steps_total", append(load, "outcome=internal")...)
		want(t, got, 4, "charter_story_step_duration_seconds_count", load...)
		want(t, got, 4, "charter_story_step_duration_seconds_bucket", append(load, "le=+Inf")...)
	})
	t.Run("steps before the failure succeeded, steps after it did not run", func(t *testing.T) {
		want(t, got, 4, "charter_story_steps_total", append(story, "step=check", "outcome=ok")...)
		want(t, got, 0, "charter_story_steps_total", append(story, "step=check", "outcome=internal")...)
		want(t, got, 2, "charter_story_steps_total", append(story, "step=Find", "outcome=ok")...)
	})
	t.Run("a substory's steps are labelled with the substory", func(t *testing.T) {
		want(t, got, 2, "charter_story_steps_total", "story=Find", "step=look up", "outcome=ok")
	})
}

func TestNewMetrics(t *testing.T) {
	t.Run("services sharing a registry are told apart by the service label", func(t *testing.T) {
		materials := newMetrics(t, "materials")
		quotes, err := telemetry.NewMetrics("quotes", telemetry.MetricsOptions{Registry: materials.Registry()})
		if err != nil {
			t.Fatal(err)
		}
		serve(t, newAPI(materials.Middleware), "/materials/1")
		serve(t, newAPI(quotes.Middleware), "/materials/1")
		serve(t, newAPI(quotes.Middleware), "/materials/2")
		got := scrape(t, quotes.Handler())
		want(t, got, 1, "charter_http_requests_total", "service=materials", "operation=getMaterial")
		want(t, got, 2, "charter_http_requests_total", "service=quotes", "operation=getMaterial")
		if _, ok := find(t, got, "go_goroutines"); !ok {
			t.Error("no go_goroutines: the runtime collector went missing")
		}
	})
	t.Run("a service registered twice in one registry is refused", func(t *testing.T) {
		m := newMetrics(t, "materials")
		_, err := telemetry.NewMetrics("materials", telemetry.MetricsOptions{Registry: m.Registry()})
		var already prometheus.AlreadyRegisteredError
		if !errors.As(err, &already) {
			t.Errorf("err = %v, want a prometheus.AlreadyRegisteredError", err)
		}
	})
	t.Run("a service needs a name", func(t *testing.T) {
		if _, err := telemetry.NewMetrics("", telemetry.MetricsOptions{}); err == nil {
			t.Error("no error for an empty service name")
		}
	})
	t.Run("registries are the metrics' own, not the global one", func(t *testing.T) {
		newMetrics(t, "materials")
		newMetrics(t, "materials") // would panic or fail on a shared registry
	})
	t.Run("buckets can be chosen", func(t *testing.T) {
		m, err := telemetry.NewMetrics("materials", telemetry.MetricsOptions{Buckets: []float64{1, 2}})
		if err != nil {
			t.Fatal(err)
		}
		serve(t, newAPI(m.Middleware), "/materials/1")
		got := scrape(t, m.Handler())
		want(t, got, 1, "charter_http_request_duration_seconds_bucket", "le=2")
		if _, ok := find(t, got, "charter_http_request_duration_seconds_bucket", "le=0.0005"); ok {
			t.Error("the default buckets are still there")
		}
	})
}
