package telemetry_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/services/platform/telemetry"
	"github.com/charterhq/charter/stories/story"
)

// A service mounts the telemetry once: the HTTP middleware on its router,
// /metrics beside its API, the story middleware on each story its
// injector builds, the transport on its clients of other services.
func Example() {
	ctx := context.Background()
	metrics, err := telemetry.NewMetrics("materials", telemetry.MetricsOptions{})
	if err != nil {
		panic(err)
	}
	// With OTEL_EXPORTER_OTLP_ENDPOINT set, the spans go there.
	tracing, err := telemetry.NewTracing(ctx, "materials", telemetry.TracingOptions{})
	if err != nil {
		panic(err)
	}
	tracing.Install()
	defer func() {
		// After the server stopped serving: flush the spans left.
		shutdown, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		_ = tracing.Shutdown(shutdown)
	}()
	logger := slog.New(telemetry.LogHandler(slog.NewTextHandler(io.Discard, nil)))

	// The injector: every story gets the metrics and tracing middleware.
	get := story.MustNew(story.Definition[struct{}]{Name: "Get material", Steps: []story.Step[struct{}]{
		story.Do("load", func(context.Context, *struct{}) error { return nil }),
	}}).With(metrics.Story(), tracing.Story())

	r := chi.NewRouter()
	r.Use(tracing.Middleware, metrics.Middleware, edge.AccessLog(logger), edge.Recover(logger))
	r.NotFound(edge.NotFound)
	r.Handle("/metrics", metrics.Handler())
	r.Group(func(api chi.Router) {
		api.Use(contractStandIn) // contract.Middleware in a service
		api.Get("/materials/{id}", func(w http.ResponseWriter, r *http.Request) {
			if err := get.Run(r.Context(), &struct{}{}); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			fmt.Fprint(w, `{"id":7}`)
		})
	})
	handler := edge.Root(r)

	// A client of another service carries the trace on.
	_ = &http.Client{Transport: tracing.Transport(nil), Timeout: 10 * time.Second}

	handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/materials/7", nil))
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	sc := bufio.NewScanner(w.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "charter_http_requests_total") || strings.HasPrefix(line, "charter_story_steps_total") {
			fmt.Println(line)
		}
	}
	// Output:
	// charter_http_requests_total{class="2xx",code="200",operation="getMaterial",service="materials"} 1
	// charter_story_steps_total{outcome="declared",service="materials",step="load",story="Get material"} 0
	// charter_story_steps_total{outcome="internal",service="materials",step="load",story="Get material"} 0
	// charter_story_steps_total{outcome="ok",service="materials",step="load",story="Get material"} 1
}

// contractStandIn accepts every request as getMaterial, as the contract
// would accept GET /materials/{id} after checking it.
func contractStandIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		request.ScopeFrom(r.Context()).Accept("getMaterial", nil)
		next.ServeHTTP(w, r)
	})
}

// Several services in one process share one registry and one /metrics;
// their series differ by the service label.
func ExampleMetricsOptions_sharedRegistry() {
	materials, err := telemetry.NewMetrics("materials", telemetry.MetricsOptions{})
	if err != nil {
		panic(err)
	}
	quotes, err := telemetry.NewMetrics("quotes", telemetry.MetricsOptions{Registry: materials.Registry()})
	if err != nil {
		panic(err)
	}
	fmt.Println(quotes.Registry() == materials.Registry())
	// Output: true
}
