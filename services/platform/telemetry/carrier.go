package telemetry

import (
	"net/http"
	"net/textproto"
)

// headerCarrier is propagation.HeaderCarrier without its allocations:
// http.Header's Get and Values canonicalize their key, and the
// propagators ask for "traceparent" and "baggage" in lower case, so each
// asks for a new string on every request (two allocations of the six the
// server middleware made, measured with BenchmarkMiddleware/tracing).
// The keys the propagators use are canonicalized here by a switch.
type headerCarrier http.Header

// canonical returns the canonical form of a header key.
func canonical(key string) string {
	switch key {
	case "traceparent":
		return "Traceparent"
	case "tracestate":
		return "Tracestate"
	case "baggage":
		return "Baggage"
	}
	return textproto.CanonicalMIMEHeaderKey(key)
}

// Get returns the first value of key.
func (c headerCarrier) Get(key string) string {
	if v := c[canonical(key)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Values returns every value of key: baggage may come in several headers.
func (c headerCarrier) Values(key string) []string { return c[canonical(key)] }

// Set replaces the values of key.
func (c headerCarrier) Set(key, value string) { c[canonical(key)] = []string{value} }

// Keys returns the keys of the header.
func (c headerCarrier) Keys() []string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	return keys
}
