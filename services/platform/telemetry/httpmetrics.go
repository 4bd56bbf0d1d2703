package telemetry

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Middleware records every request it serves in the HTTP metrics: its
// count by status class and code, its 5xx answers and panics as errors,
// and its duration, each labelled with its operation (see Unmatched for
// the label of a request outside the contract).
//
// Mount it with chi's Router.Use on the router served through edge.Root:
// the contract fills in the request's scope
// below it, and Middleware reads the operation from that scope once the
// request was served. Mounted in front of Root it would find neither the
// scope nor chi's route and label every request Unmatched.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := recorderFor(w)
		start := now()
		served := false
		defer func() {
			if !served {
				// A panic passing through: the client gets no answer,
				// or net/http's broken connection, and the operator an
				// error. The panic goes on up; it is not recovered here.
				m.observe(operation(r.Context()), http.StatusInternalServerError, now()-start)
			}
		}()
		next.ServeHTTP(rec, r)
		served = true
		m.observe(operation(r.Context()), rec.final(), now()-start)
	})
}

// observe records one request of operation op.
func (m *Metrics) observe(op string, status int, took time.Duration) {
	om := m.operations.get(op)
	om.count(status).Inc()
	if status >= 500 {
		om.errors.Inc()
	}
	om.duration.Observe(took.Seconds())
}

// operationMetrics are the metrics of one operation, bound to its labels
// once: a CounterVec's WithLabelValues hashes the labels and looks them up
// on every call, here one map read finds them all.
type operationMetrics struct {
	m        *Metrics
	op       string
	errors   prometheus.Counter
	duration prometheus.Observer
	// codes holds the counter of each status code seen so far, a handful
	// per operation, so a linear search beats a map. It is copied on
	// write, like cache.
	codes atomic.Pointer[[]codeCounter]
	mu    sync.Mutex
}

type codeCounter struct {
	code int
	c    prometheus.Counter
}

func (m *Metrics) newOperationMetrics(op string) *operationMetrics {
	return &operationMetrics{
		m:        m,
		op:       op,
		errors:   m.errors.WithLabelValues(op),
		duration: m.reqDuration.WithLabelValues(op),
	}
}

// count returns the request counter of status.
func (om *operationMetrics) count(status int) prometheus.Counter {
	if codes := om.codes.Load(); codes != nil {
		for _, cc := range *codes {
			if cc.code == status {
				return cc.c
			}
		}
	}
	om.mu.Lock()
	defer om.mu.Unlock()
	var old []codeCounter
	if codes := om.codes.Load(); codes != nil {
		old = *codes
		for _, cc := range old {
			if cc.code == status {
				return cc.c
			}
		}
	}
	c := om.m.requests.WithLabelValues(om.op, statusClass(status), strconv.Itoa(status))
	next := append(append(make([]codeCounter, 0, len(old)+1), old...), codeCounter{status, c})
	om.codes.Store(&next)
	return c
}

// statusClass returns "2xx" for 200 to 299 and so on, the label most
// dashboards and alerts group by.
func statusClass(status int) string {
	switch {
	case status < 200:
		return "1xx"
	case status < 300:
		return "2xx"
	case status < 400:
		return "3xx"
	case status < 500:
		return "4xx"
	case status < 600:
		return "5xx"
	}
	return "other"
}
