package telemetry

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/charterhq/charter/stories/story"
)

// DefaultBuckets are the bounds, in seconds, of the duration histograms
// when MetricsOptions.Buckets is nil. They start at half a millisecond
// because a Charter operation on the embedded store takes tens of
// microseconds: Prometheus's default buckets, from 5 ms, would put
// nearly every request in the first one.
var DefaultBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// MetricsOptions configure NewMetrics. The zero value is ready to use.
type MetricsOptions struct {
	// Registry is where the service's metrics are registered. nil makes
	// a new registry holding the Go runtime and process collectors as
	// well. Give the registry of another service's Metrics to serve
	// several services of one process on one /metrics: their series
	// differ by the service label, and the runtime is counted once.
	Registry *prometheus.Registry
	// Buckets are the bounds of the duration histograms, in seconds;
	// nil means DefaultBuckets.
	Buckets []float64
}

// Metrics records the Prometheus metrics of one service: its HTTP
// requests per operation (Middleware) and its story runs and steps
// (Story). Every series carries the service's name in the service label.
// It is safe for concurrent use.
type Metrics struct {
	service  string
	registry *prometheus.Registry

	requests    *prometheus.CounterVec   // operation, class, code
	errors      *prometheus.CounterVec   // operation
	reqDuration *prometheus.HistogramVec // operation
	operations  *cache[string, *operationMetrics]

	runs          *prometheus.CounterVec   // story, outcome
	failures      *prometheus.CounterVec   // story, reason
	storyDuration *prometheus.HistogramVec // story
	steps         *prometheus.CounterVec   // story, step, outcome
	stepDuration  *prometheus.HistogramVec // story, step
	stories       *cache[string, *storyMetrics]
	stepMetrics   *cache[stepKey, *stepMetrics]
	stepObserver  story.StepObserver
}

// NewMetrics returns the metrics of the service named service, registered
// in opts.Registry or in a registry of their own. It returns an error
// when service is empty or when the registry already holds this
// service's metrics.
func NewMetrics(service string, opts MetricsOptions) (*Metrics, error) {
	if service == "" {
		return nil, errors.New("telemetry: metrics need a service name")
	}
	reg := opts.Registry
	if reg == nil {
		// Not prometheus.DefaultRegisterer: tests, and several services
		// in one process, each get a registry they alone fill.
		reg = prometheus.NewRegistry()
		reg.MustRegister(
			collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		)
	}
	buckets := opts.Buckets
	if buckets == nil {
		buckets = DefaultBuckets
	}
	constant := prometheus.Labels{"service": service}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "charter", Name: name, Help: help, ConstLabels: constant,
		}, labels)
	}
	histogram := func(name, help string, labels ...string) *prometheus.HistogramVec {
		return prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "charter", Name: name, Help: help, ConstLabels: constant, Buckets: buckets,
		}, labels)
	}
	m := &Metrics{
		service:  service,
		registry: reg,
		requests: counter("http_requests_total",
			"HTTP requests served, by operation and status.", "operation", "class", "code"),
		errors: counter("http_request_errors_total",
			"HTTP requests the service failed: answered with a 5xx status, or ended by a panic.", "operation"),
		reqDuration: histogram("http_request_duration_seconds",
			"Time to serve an HTTP request, from the metrics middleware to the end of the handler.", "operation"),
		runs: counter("story_runs_total",
			"Story runs, by outcome: ok, declared (a declared failure reason) or internal.", "story", "outcome"),
		failures: counter("story_failures_total",
			"Story runs that ended with a declared failure, by reason.", "story", "reason"),
		storyDuration: histogram("story_duration_seconds",
			"Time a story run took, its middleware inside this one included.", "story"),
		steps: counter("story_steps_total",
			"Story steps run, by outcome: ok, declared (a declared failure reason) or internal.", "story", "step", "outcome"),
		stepDuration: histogram("story_step_duration_seconds",
			"Time a story step took.", "story", "step"),
	}
	for _, c := range []prometheus.Collector{m.requests, m.errors, m.reqDuration, m.runs, m.failures, m.storyDuration, m.steps, m.stepDuration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("telemetry: metrics of service %q: %w", service, err)
		}
	}
	m.operations = newCache(m.newOperationMetrics)
	m.stories = newCache(m.newStoryMetrics)
	m.stepMetrics = newCache(m.newStepMetrics)
	m.stepObserver = story.StepObserver{End: m.endStep}
	return m, nil
}

// Service returns the name in the service label.
func (m *Metrics) Service() string { return m.service }

// Registry returns the registry the metrics are registered in: give it
// to the next service's MetricsOptions, or register more collectors in it.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Handler serves every metric of the registry, those of other services
// sharing it included, in the Prometheus text format: mount it at
// /metrics. A collector that fails is left out and the others are still
// served, so that one broken collector does not blind the operator.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}
