package telemetry

import (
	"bufio"
	"errors"
	"net"
	"net/http"
)

// recorder remembers the status of a response for the metrics and the
// span of its request. Metrics.Middleware and Tracing.Middleware share
// one when they are mounted next to each other: the inner one finds the
// outer one's recorder as its writer and does not wrap it again.
type recorder struct {
	http.ResponseWriter
	status int
}

// recorderFor returns w itself when it is a recorder already, and a new
// recorder around w otherwise.
func recorderFor(w http.ResponseWriter) *recorder {
	if rec, ok := w.(*recorder); ok {
		return rec
	}
	return &recorder{ResponseWriter: w}
}

// WriteHeader notes the first final status: 1xx responses are
// informational, the final status is still to come.
func (w *recorder) WriteHeader(code int) {
	if w.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write notes the implicit 200 of a body written without a header.
func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush keeps streaming responses streaming through the wrapper.
func (w *recorder) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack keeps protocol upgrades working through the wrapper.
func (w *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := w.ResponseWriter.(http.Hijacker); ok {
		if w.status == 0 {
			w.status = http.StatusSwitchingProtocols
		}
		return h.Hijack()
	}
	return nil, nil, errors.ErrUnsupported
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// final returns the status the client got: a handler that wrote nothing
// got net/http's 200.
func (w *recorder) final() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
