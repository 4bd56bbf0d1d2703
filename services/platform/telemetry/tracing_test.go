package telemetry_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/charterhq/charter/services/platform/telemetry"
)

// noEnv is an environment with nothing set.
func noEnv(string) string { return "" }

// newTracing returns the tracing of service with its spans recorded in
// the returned recorder.
func newTracing(t *testing.T, service string) (*telemetry.Tracing, *tracetest.SpanRecorder) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tr, err := telemetry.NewTracing(context.Background(), service, telemetry.TracingOptions{
		SpanProcessors: []sdktrace.SpanProcessor{rec}, Getenv: noEnv,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Shutdown(context.Background()) })
	return tr, rec
}

// attr returns the value of the attribute key of span, or "".
func attr(span sdktrace.ReadOnlySpan, key string) string {
	for _, kv := range span.Attributes() {
		if string(kv.Key) == key {
			return kv.Value.Emit()
		}
	}
	return ""
}

// byName returns the ended spans of rec by name; it fails the test when a
// name is used twice.
func byName(t *testing.T, rec *tracetest.SpanRecorder) map[string]sdktrace.ReadOnlySpan {
	t.Helper()
	out := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		if _, dup := out[s.Name()]; dup {
			t.Fatalf("two spans are named %q", s.Name())
		}
		out[s.Name()] = s
	}
	return out
}

func TestTransportContinuesTheTraceInTheServer(t *testing.T) {
	quotes, quotesSpans := newTracing(t, "quotes")
	materials, materialsSpans := newTracing(t, "materials")
	var gotBaggage baggage.Baggage
	srv := httptest.NewServer(newAPI(materials.Middleware, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gotBaggage = baggage.FromContext(r.Context())
			next.ServeHTTP(w, r)
		})
	}))
	defer srv.Close()
	client := &http.Client{Transport: quotes.Transport(nil)}

	tenant, err := baggage.NewMember("tenant", "7")
	if err != nil {
		t.Fatal(err)
	}
	bag, err := baggage.New(tenant)
	if err != nil {
		t.Fatal(err)
	}
	ctx, parent := quotes.Provider().Tracer("test").Start(baggage.ContextWithBaggage(context.Background(), bag), "Submit quote")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/materials/7", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	parent.End()

	var clientSpan sdktrace.ReadOnlySpan
	for _, s := range quotesSpans.Ended() {
		if s.SpanKind() == trace.SpanKindClient {
			clientSpan = s
		}
	}
	if clientSpan == nil {
		t.Fatalf("the transport recorded no client span; quotes recorded %d spans", len(quotesSpans.Ended()))
	}
	servers := materialsSpans.Ended()
	if len(servers) != 1 {
		t.Fatalf("the server recorded %d spans, want 1", len(servers))
	}
	server := servers[0]
	if got, want := server.SpanContext().TraceID(), parent.SpanContext().TraceID(); got != want {
		t.Errorf("server's trace ID = %s, want the client's %s", got, want)
	}
	if got, want := server.Parent().SpanID(), clientSpan.SpanContext().SpanID(); got != want {
		t.Errorf("server span's parent = %s, want the client span %s", got, want)
	}
	if !server.Parent().IsRemote() {
		t.Error("the server span's parent is not remote: it did not come from the headers")
	}
	if got, want := clientSpan.Parent().SpanID(), parent.SpanContext().SpanID(); got != want {
		t.Errorf("client span's parent = %s, want the caller's span %s", got, want)
	}
	if got := gotBaggage.Member("tenant").Value(); got != "7" {
		t.Errorf("server's baggage tenant = %q, want the client's 7", got)
	}
	if got, want := server.Name(), "getMaterial"; got != want {
		t.Errorf("server span named %q, want the operation %q", got, want)
	}
	if got, want := server.SpanKind(), trace.SpanKindServer; got != want {
		t.Errorf("server span kind = %v, want %v", got, want)
	}
	for key, want := range map[string]string{
		"http.response.status_code": "200", "http.route": "/materials/{id}", "http.request.method": "GET",
		"charter.operation": "getMaterial", "charter.request_id": "req-1",
	} {
		if got := attr(server, key); got != want {
			t.Errorf("server span %s = %q, want %q", key, got, want)
		}
	}
	if got := server.Resource().Set(); !got.HasValue("service.name") {
		t.Error("the server's spans carry no service.name")
	} else if v, _ := got.Value("service.name"); v.AsString() != "materials" {
		t.Errorf("service.name = %q, want materials", v.AsString())
	}
}

func TestServerSpans(t *testing.T) {
	tr, spans := newTracing(t, "materials")
	h := newAPI(tr.Middleware)
	for _, target := range []string{"/materials/500", "/materials/0", "/healthz", "/nowhere"} {
		serve(t, h, target)
	}
	ended := spans.Ended()
	if len(ended) != 4 {
		t.Fatalf("%d spans, want 4", len(ended))
	}
	cases := []struct {
		name, status string
		code         codes.Code
	}{
		{"getMaterial", "500", codes.Error},
		{"getMaterial", "404", codes.Unset},
		{"/healthz", "204", codes.Unset},
		{telemetry.Unmatched, "404", codes.Unset},
	}
	for i, c := range cases {
		s := ended[i]
		if s.Name() != c.name || attr(s, "http.response.status_code") != c.status || s.Status().Code != c.code {
			t.Errorf("span %d: %q status %s code %v, want %q status %s code %v",
				i, s.Name(), attr(s, "http.response.status_code"), s.Status().Code, c.name, c.status, c.code)
		}
		if s.Parent().IsValid() {
			t.Errorf("span %d has a parent with no traceparent sent", i)
		}
	}
}

func TestWithoutAnExporterTraceIDsStillTravel(t *testing.T) {
	quotes, err := telemetry.NewTracing(context.Background(), "quotes", telemetry.TracingOptions{Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	materials, err := telemetry.NewTracing(context.Background(), "materials", telemetry.TracingOptions{Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	if quotes.Exporting() {
		t.Error("Exporting with no exporter configured")
	}
	var seen trace.SpanContext
	srv := httptest.NewServer(newAPI(materials.Middleware, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen = trace.SpanContextFromContext(r.Context())
			next.ServeHTTP(w, r)
		})
	}))
	defer srv.Close()

	ctx, parent := quotes.Provider().Tracer("test").Start(context.Background(), "Submit quote")
	defer parent.End()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/materials/7", nil)
	resp, err := (&http.Client{Transport: quotes.Transport(nil)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !parent.SpanContext().IsValid() {
		t.Fatal("the caller's span has no IDs")
	}
	if got, want := seen.TraceID(), parent.SpanContext().TraceID(); got != want {
		t.Errorf("server's trace ID = %s, want the caller's %s", got, want)
	}
	if seen.SpanID() == parent.SpanContext().SpanID() || !seen.SpanID().IsValid() {
		t.Errorf("server's span ID = %s: the server made no span of its own", seen.SpanID())
	}
	if parent.IsRecording() {
		t.Error("a trace nobody exports is recorded")
	}
}

func TestStorySpans(t *testing.T) {
	tr, spans := newTracing(t, "materials")
	s := getStory(t).With(tr.Story())
	for _, c := range []struct {
		loadErr error
		outcome string
		code    codes.Code
	}{
		{nil, "ok", codes.Unset},
		{errNotFound, "declared", codes.Unset},
		{errDatabase, "internal", codes.Error},
	} {
		t.Run(c.outcome, func(t *testing.T) {
			spans.Reset()
			ctx, req := tr.Provider().Tracer("test").Start(context.Background(), "request")
			_ = s.Run(ctx, &getState{loadErr: c.loadErr})
			req.End()
			got := byName(t, spans)
			run, load := got["Get material"], got["load"]
			if run == nil || load == nil {
				t.Fatalf("spans %v, want the story's and its steps'", names(spans))
			}
			if got, want := run.Parent().SpanID(), req.SpanContext().SpanID(); got != want {
				t.Errorf("story span's parent = %s, want the request's %s", got, want)
			}
			if got, want := load.Parent().SpanID(), run.SpanContext().SpanID(); got != want {
				t.Errorf("step span's parent = %s, want the story's %s", got, want)
			}
			for _, span := range []sdktrace.ReadOnlySpan{run, load} {
				if got := attr(span, "charter.outcome"); got != c.outcome {
					t.Errorf("%s: outcome %q, want %q", span.Name(), got, c.outcome)
				}
				if got := span.Status().Code; got != c.code {
					t.Errorf("%s: status %v, want %v", span.Name(), got, c.code)
				}
			}
			if c.loadErr == errNotFound {
				if got := attr(load, "charter.failure_reason"); got != errNotFound.Error() {
					t.Errorf("failure_reason %q, want %q", got, errNotFound)
				}
			}
			if c.loadErr == nil {
				find, look := got["Find"], got["look up"]
				if find == nil || look == nil || look.Parent().SpanID() != find.SpanContext().SpanID() {
					t.Errorf("spans %v: want the substory's step under the substory's step span", names(spans))
				} else if got := attr(look, "charter.story"); got != "Find" {
					t.Errorf("substory step's story = %q, want Find", got)
				}
			}
		})
	}

	t.Run("under a span nobody records, no spans are made", func(t *testing.T) {
		spans.Reset()
		ctx := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1},
		}))
		if err := s.Run(ctx, &getState{}); err != nil {
			t.Fatal(err)
		}
		if n := len(spans.Started()); n != 0 {
			t.Errorf("%d spans started: %v", n, names(spans))
		}
	})
}

func names(rec *tracetest.SpanRecorder) []string {
	var out []string
	for _, s := range rec.Ended() {
		out = append(out, s.Name())
	}
	return out
}

func TestOTLPExport(t *testing.T) {
	var posts atomic.Int64
	var mu sync.Mutex
	var contentType string
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/traces" {
			posts.Add(1)
			mu.Lock()
			contentType = r.Header.Get("Content-Type")
			mu.Unlock()
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	t.Setenv("OTEL_TRACES_EXPORTER", "")

	tr, err := telemetry.NewTracing(context.Background(), "materials", telemetry.TracingOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Exporting() {
		t.Fatal("not exporting with OTEL_EXPORTER_OTLP_ENDPOINT set")
	}
	serve(t, newAPI(tr.Middleware), "/materials/1")
	if err := tr.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if posts.Load() == 0 {
		t.Fatal("Shutdown flushed nothing to the collector")
	}
	mu.Lock()
	defer mu.Unlock()
	if contentType != "application/x-protobuf" {
		t.Errorf("Content-Type %q, want OTLP's application/x-protobuf", contentType)
	}
}

func TestOTLPExportCanBeTurnedOff(t *testing.T) {
	env := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_EXPORTER": "none"}
	tr, err := telemetry.NewTracing(context.Background(), "materials", telemetry.TracingOptions{
		Getenv: func(k string) string { return env[k] },
	})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Exporting() {
		t.Error("exporting with OTEL_TRACES_EXPORTER=none")
	}
}

func TestNewTracingNeedsAName(t *testing.T) {
	if _, err := telemetry.NewTracing(context.Background(), "", telemetry.TracingOptions{Getenv: noEnv}); err == nil {
		t.Error("no error for an empty service name")
	}
}

func TestLogHandler(t *testing.T) {
	tr, _ := newTracing(t, "materials")
	var buf bytes.Buffer
	logger := slog.New(telemetry.LogHandler(slog.NewTextHandler(&buf, nil))).With("service", "materials")
	ctx, span := tr.Provider().Tracer("test").Start(context.Background(), "request")
	defer span.End()

	logger.InfoContext(ctx, "in a span")
	logger.Info("outside")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2: %q", len(lines), buf.String())
	}
	traceID := telemetry.TraceID(ctx)
	if traceID == "" || traceID != span.SpanContext().TraceID().String() {
		t.Fatalf("TraceID = %q, want %s", traceID, span.SpanContext().TraceID())
	}
	for _, want := range []string{"trace_id=" + traceID, "span_id=" + span.SpanContext().SpanID().String(), "service=materials"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("line %q lacks %s", lines[0], want)
		}
	}
	if strings.Contains(lines[1], "trace_id") {
		t.Errorf("a line logged outside a span has a trace ID: %q", lines[1])
	}
	if got := telemetry.TraceID(context.Background()); got != "" {
		t.Errorf("TraceID outside a span = %q, want empty", got)
	}
}

// The story and HTTP middleware work together: one trace from the
// request to the story's steps.
func TestRequestStoryAndStepsShareOneTrace(t *testing.T) {
	tr, spans := newTracing(t, "materials")
	s := getStory(t).With(tr.Story())
	r := chi.NewRouter()
	r.Use(tr.Middleware)
	r.With(accept("getMaterial")).Get("/materials/{id}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.Run(r.Context(), &getState{}); err != nil {
			t.Error(err)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	serve(t, withScope(r), "/materials/1")
	got := byName(t, spans)
	server := got["getMaterial"]
	if server == nil {
		t.Fatalf("no server span: %v", names(spans))
	}
	for name, span := range got {
		if span.SpanContext().TraceID() != server.SpanContext().TraceID() {
			t.Errorf("span %q is in another trace", name)
		}
	}
	if got, want := got["Get material"].Parent().SpanID(), server.SpanContext().SpanID(); got != want {
		t.Errorf("the story's span is not a child of the request's")
	}
}
