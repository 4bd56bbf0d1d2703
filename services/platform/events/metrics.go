package events

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the Prometheus metrics of the relays and consumers of a
// process:
//
//	charter_events_outbox_backlog{service}                 events not yet published
//	charter_events_published_total{service}                events the broker acknowledged
//	charter_events_publish_errors_total{service}           batches that failed
//	charter_events_handled_total{consumer,type,outcome}    ok, duplicate, retry or dead_letter
//	charter_events_handle_duration_seconds{consumer,type}  histogram of handler runs
//
// A nil *Metrics records nothing.
type Metrics struct {
	reg           prometheus.Registerer
	published     *prometheus.CounterVec
	publishErrors *prometheus.CounterVec
	handled       *prometheus.CounterVec
	duration      *prometheus.HistogramVec
}

// NewMetrics registers the metrics in reg (the registry of
// services/platform/telemetry), once per process.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		reg: reg,
		published: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "charter", Subsystem: "events",
			Name: "published_total", Help: "Events the broker acknowledged, by the service that recorded them."}, []string{"service"}),
		publishErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "charter", Subsystem: "events",
			Name: "publish_errors_total", Help: "Relay batches that failed and will be retried."}, []string{"service"}),
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "charter", Subsystem: "events",
			Name: "handled_total", Help: "Deliveries to a consumer, by outcome: ok, duplicate (handled before), retry or dead_letter."},
			[]string{"consumer", "type", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "charter", Subsystem: "events",
			Name: "handle_duration_seconds", Help: "Time a handler took, its transaction included.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}},
			[]string{"consumer", "type"}),
	}
	for _, c := range []prometheus.Collector{m.published, m.publishErrors, m.handled, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// backlog registers the gauge of service's outbox backlog, read when
// scraped.
func (m *Metrics) backlog(service string, count func(context.Context) (int64, error)) error {
	if m == nil {
		return nil
	}
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "charter", Subsystem: "events",
		Name: "outbox_backlog", Help: "Events recorded in the service's outbox and not yet published.",
		ConstLabels: prometheus.Labels{"service": service}}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		n, err := count(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	if err := m.reg.Register(g); err != nil && !errors.As(err, new(prometheus.AlreadyRegisteredError)) {
		return err
	}
	return nil
}

func (m *Metrics) publishedEvents(service string, n int) {
	if m != nil && n > 0 {
		m.published.WithLabelValues(service).Add(float64(n))
	}
}

func (m *Metrics) publishFailed(service string) {
	if m != nil {
		m.publishErrors.WithLabelValues(service).Inc()
	}
}

func (m *Metrics) handledEvent(consumer, eventType, outcome string, took time.Duration) {
	if m == nil {
		return
	}
	m.handled.WithLabelValues(consumer, eventType, outcome).Inc()
	if outcome == "ok" || outcome == "retry" {
		m.duration.WithLabelValues(consumer, eventType).Observe(took.Seconds())
	}
}
