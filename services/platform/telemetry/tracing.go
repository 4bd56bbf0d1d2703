package telemetry

import (
	"context"
	"errors"
	"fmt"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/charterhq/charter/stories/story"
)

// tracerName names the instrumentation in every span Tracing starts.
const tracerName = "github.com/charterhq/charter/services/platform/telemetry"

// TracingOptions configure NewTracing. The zero value reads the
// environment, as a service binary should.
type TracingOptions struct {
	// Exporter receives the finished spans, in batches. nil chooses from
	// the environment: OTLP over HTTP (otlptracehttp, which reads the
	// other OTEL_EXPORTER_OTLP_* variables itself: headers, timeout,
	// compression) when OTEL_EXPORTER_OTLP_ENDPOINT or
	// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, unless
	// OTEL_TRACES_EXPORTER is "none"; no exporter otherwise.
	Exporter sdktrace.SpanExporter
	// SpanProcessors see each span as it starts and ends, synchronously:
	// a tracetest.SpanRecorder in tests.
	SpanProcessors []sdktrace.SpanProcessor
	// Sampler decides which traces are recorded. nil means the SDK's
	// default, which reads OTEL_TRACES_SAMPLER and otherwise records
	// every trace a sampled caller or this service starts; except when
	// nothing would receive the spans (no Exporter, no SpanProcessors,
	// no OTEL_TRACES_SAMPLER), where only traces a caller sampled are
	// recorded: see NewTracing.
	Sampler sdktrace.Sampler
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
}

// Tracing is the OpenTelemetry tracing of one service: a tracer provider
// whose spans carry the service's name, and the W3C trace context and
// baggage propagator. Its Middleware, Story and Transport start spans
// with them. It is safe for concurrent use.
type Tracing struct {
	provider   *sdktrace.TracerProvider
	tracer     trace.Tracer
	propagator propagation.TextMapPropagator
	exporting  bool
	steps      story.StepObserver
}

// NewTracing returns the tracing of the service named service.
//
// With no exporter, spans are still made: each request gets a trace ID,
// which travels to the services it calls and can be logged (see
// LogHandler), but the spans go nowhere. Recording them would cost every
// request its spans' allocations for nobody, so in that case a trace is
// recorded only when a caller sampled it (whose own service exports, and
// whose trace this service's spans then complete); set
// OTEL_TRACES_SAMPLER to choose otherwise.
//
// NewTracing does not touch OpenTelemetry's global provider and
// propagator, so that tests and several services in one process do not
// fight over them: the host calls Install once for the libraries that
// use the globals.
func NewTracing(ctx context.Context, service string, opts TracingOptions) (*Tracing, error) {
	if service == "" {
		return nil, errors.New("telemetry: tracing needs a service name")
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	exporter := opts.Exporter
	if exporter == nil && otlpConfigured(getenv) {
		// OTLP over HTTP rather than gRPC: the module is smaller and
		// every collector accepts it on :4318.
		var err error
		exporter, err = otlptracehttp.New(ctx)
		if err != nil {
			return nil, fmt.Errorf("telemetry: OTLP trace exporter: %w", err)
		}
	}
	res, err := resource.New(ctx,
		resource.WithFromEnv(), // OTEL_RESOURCE_ATTRIBUTES: deployment, region...
		resource.WithTelemetrySDK(),
		// Last, so that it wins over OTEL_SERVICE_NAME: one process can
		// host several services, each with its own Tracing.
		resource.WithAttributes(attribute.String("service.name", service)),
	)
	if err != nil {
		return nil, fmt.Errorf("telemetry: trace resource: %w", err)
	}
	popts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if exporter != nil {
		popts = append(popts, sdktrace.WithBatcher(exporter))
	}
	for _, sp := range opts.SpanProcessors {
		popts = append(popts, sdktrace.WithSpanProcessor(sp))
	}
	switch {
	case opts.Sampler != nil:
		popts = append(popts, sdktrace.WithSampler(opts.Sampler))
	case exporter == nil && len(opts.SpanProcessors) == 0 && getenv("OTEL_TRACES_SAMPLER") == "":
		popts = append(popts, sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.NeverSample())))
	}
	provider := sdktrace.NewTracerProvider(popts...)
	t := &Tracing{
		provider:   provider,
		tracer:     provider.Tracer(tracerName),
		propagator: propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
		exporting:  exporter != nil,
	}
	t.steps = story.StepObserver{Start: t.startStep, End: t.endStep}
	return t, nil
}

// otlpConfigured reports whether the environment asks for OTLP export.
func otlpConfigured(getenv func(string) string) bool {
	if getenv("OTEL_TRACES_EXPORTER") == "none" {
		return false
	}
	return getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Exporting reports whether the spans go to an exporter.
func (t *Tracing) Exporting() bool { return t.exporting }

// Provider returns the tracer provider, for libraries that take one.
func (t *Tracing) Provider() trace.TracerProvider { return t.provider }

// Propagator returns the propagator: W3C trace context and baggage.
func (t *Tracing) Propagator() propagation.TextMapPropagator { return t.propagator }

// Install makes the provider and the propagator OpenTelemetry's global
// ones, which libraries instrumented with OpenTelemetry use when they are
// given none. Call it once per process, with the tracing of the service
// the process is named after.
func (t *Tracing) Install() {
	otel.SetTracerProvider(t.provider)
	otel.SetTextMapPropagator(t.propagator)
}

// Shutdown exports the spans still buffered and stops the exporter; spans
// that end after it are dropped. Call it after the server stopped
// serving, with a context that bounds how long the flush may take.
func (t *Tracing) Shutdown(ctx context.Context) error {
	return t.provider.Shutdown(ctx)
}
