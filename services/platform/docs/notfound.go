package docs

import (
	"net/http"

	"github.com/charterhq/charter/services/platform/problem"
)

// notFoundWriter turns the plain-text 404 the Swagger UI file server
// writes for a missing asset into the 404 problem every other unknown
// path gets.
type notFoundWriter struct {
	http.ResponseWriter
	r        *http.Request
	swallow  bool
	answered bool
}

func (w *notFoundWriter) WriteHeader(code int) {
	if code == http.StatusNotFound && !w.answered {
		w.answered, w.swallow = true, true
		h := w.ResponseWriter.Header()
		h.Del("Content-Type")
		h.Del("Content-Length")
		problem.Write(w.ResponseWriter, w.r, problem.New(http.StatusNotFound, "No resource lives at this path."))
		return
	}
	w.answered = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *notFoundWriter) Write(b []byte) (int, error) {
	if w.swallow {
		return len(b), nil
	}
	w.answered = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *notFoundWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
