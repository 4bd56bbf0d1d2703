package telemetry_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/charterhq/charter/services/platform/telemetry"
	"github.com/charterhq/charter/stories/story"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmarks
// measure the middleware and not a recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// benchTracing returns tracing as a service runs it: with no exporter
// (unrecorded spans, IDs still made and sent on) or with every span
// recorded, to a processor that drops them.
func benchTracing(b *testing.B, recorded bool) *telemetry.Tracing {
	opts := telemetry.TracingOptions{Getenv: noEnv}
	if recorded {
		opts.SpanProcessors = []sdktrace.SpanProcessor{dropSpans{}}
	}
	tr, err := telemetry.NewTracing(context.Background(), "materials", opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = tr.Shutdown(context.Background()) })
	return tr
}

// dropSpans is a span processor that does nothing: what is left is the
// cost of recording.
type dropSpans struct{}

func (dropSpans) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (dropSpans) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (dropSpans) Shutdown(context.Context) error                  { return nil }
func (dropSpans) ForceFlush(context.Context) error                { return nil }

// BenchmarkMiddleware measures what the HTTP middleware add to a request
// of an operation through a chi router: for each way of mounting them,
// "bare" is the router alone and "full" the router behind Metrics's
// middleware, Tracing's with no exporter (the default) or recording
// every span, or both, as a service mounts them. make bench prints the
// share of bare throughput each keeps; the pairs run one after the other
// so that both sides see the same moments of a drifting machine.
func BenchmarkMiddleware(b *testing.B) {
	m, err := telemetry.NewMetrics("materials", telemetry.MetricsOptions{})
	if err != nil {
		b.Fatal(err)
	}
	unrecorded, recorded := benchTracing(b, false), benchTracing(b, true)
	cases := []struct {
		name string
		mw   []func(http.Handler) http.Handler
	}{
		{"metrics", []func(http.Handler) http.Handler{m.Middleware}},
		{"tracing", []func(http.Handler) http.Handler{unrecorded.Middleware}},
		{"tracing-recorded", []func(http.Handler) http.Handler{recorded.Middleware}},
		{"metrics+tracing", []func(http.Handler) http.Handler{unrecorded.Middleware, m.Middleware}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for _, kind := range []string{"full", "bare"} {
				b.Run(kind, func(b *testing.B) {
					h := newAPI()
					if kind == "full" {
						h = newAPI(c.mw...)
					}
					req := httptest.NewRequest(http.MethodGet, "/materials/1", nil)
					w := &discard{h: http.Header{}}
					b.ReportAllocs()
					for b.Loop() {
						clear(w.h)
						h.ServeHTTP(w, req)
					}
				})
			}
		})
	}
}

// BenchmarkStory measures what the story middleware add to a run of a
// story of three steps, one of them a substory of one step: "bare" is
// the story alone, "full" the story wrapped in Metrics's middleware or
// Tracing's, recording or not, run in a request's span as a service runs
// its stories.
func BenchmarkStory(b *testing.B) {
	m, err := telemetry.NewMetrics("materials", telemetry.MetricsOptions{})
	if err != nil {
		b.Fatal(err)
	}
	unrecorded, recorded := benchTracing(b, false), benchTracing(b, true)
	inRequest := func(tr *telemetry.Tracing) context.Context {
		ctx, _ := tr.Provider().Tracer("bench").Start(context.Background(), "request")
		return ctx
	}
	cases := []struct {
		name string
		ctx  context.Context
		mw   story.Middleware
	}{
		{"metrics", context.Background(), m.Story()},
		{"tracing", inRequest(unrecorded), unrecorded.Story()},
		{"tracing-recorded", inRequest(recorded), recorded.Story()},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for _, kind := range []string{"full", "bare"} {
				b.Run(kind, func(b *testing.B) {
					s := getStory(b)
					if kind == "full" {
						s = s.With(c.mw)
					}
					var state getState
					b.ReportAllocs()
					for b.Loop() {
						if err := s.Run(c.ctx, &state); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
