package telemetry

import (
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"

	"github.com/charterhq/charter/services/platform/request"
)

// Attribute keys of the spans, after OpenTelemetry's HTTP semantic
// conventions where they have one.
const (
	attrMethod    = attribute.Key("http.request.method")
	attrRoute     = attribute.Key("http.route")
	attrStatus    = attribute.Key("http.response.status_code")
	attrPath      = attribute.Key("url.path")
	attrOperation = attribute.Key("charter.operation")
	attrRequestID = attribute.Key("charter.request_id")
	attrStory     = attribute.Key("charter.story")
	attrOutcome   = attribute.Key("charter.outcome")
	attrReason    = attribute.Key("charter.failure_reason")
)

// serverSpan is made once: a variadic argument built at each call would
// be allocated at each request.
var serverSpan = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer)}

// Middleware starts a server span for every request, continuing the
// trace of the caller's traceparent header when there is one, and serves
// the request with the span in its context: story spans, outgoing calls
// through Transport and log lines (LogHandler) belong to it. The span is
// named after the request's operation once it was served (see Unmatched);
// it records the status and is marked as an error for a 5xx answer.
//
// Mount it with chi's Router.Use on the router served through edge.Root,
// before every other middleware: the access log then logs in the span's
// context, and the contract fills in the scope Middleware reads the
// operation from.
func (t *Tracing) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := t.propagator.Extract(r.Context(), headerCarrier(r.Header))
		// The operation is not known before the contract ran: the span
		// starts named after the method, as the conventions name a
		// span with no route, and is renamed below.
		ctx, span := t.tracer.Start(ctx, r.Method, serverSpan...)
		defer span.End() // a panic passing through still ends it
		rec := recorderFor(w)
		next.ServeHTTP(rec, r.WithContext(ctx))
		if !span.IsRecording() {
			return // the attributes would go nowhere
		}
		op := operation(ctx)
		status := rec.final()
		span.SetName(op)
		span.SetAttributes(
			attrMethod.String(r.Method),
			attrPath.String(r.URL.Path),
			attrOperation.String(op),
			attrRoute.String(routePattern(ctx)),
			attrStatus.Int(status),
			attrRequestID.String(request.IDFrom(ctx)),
		)
		if status >= 500 {
			span.SetStatus(codes.Error, http.StatusText(status))
		}
	})
}

// Transport returns a client transport that starts a client span for
// every request sent through base (http.DefaultTransport when nil) and
// carries the trace to the server in the traceparent and baggage
// headers: give it to the http.Client of a generated client, so that a
// call from one service to another continues the caller's trace.
func (t *Tracing) Transport(base http.RoundTripper) http.RoundTripper {
	return otelhttp.NewTransport(base,
		otelhttp.WithTracerProvider(t.provider),
		otelhttp.WithPropagators(t.propagator),
		// The service's metrics are Prometheus's (Metrics); this keeps
		// otelhttp from measuring each call again for a global meter
		// provider.
		otelhttp.WithMeterProvider(noop.NewMeterProvider()),
	)
}
