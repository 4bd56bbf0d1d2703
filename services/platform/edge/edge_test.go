package edge_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/access"
)

// newHandler serves newRouter through Root, as the package comment says.
func newHandler(logs io.Writer) http.Handler { return edge.Root(newRouter(logs)) }

// newRouter mounts the edge middleware, with a few routes that misbehave
// on purpose.
func newRouter(logs io.Writer) *chi.Mux {
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	r := chi.NewRouter()
	r.Use(edge.AccessLog(logger), edge.Recover(logger), edge.BodyLimit(16))
	r.NotFound(edge.NotFound)
	r.MethodNotAllowed(edge.MethodNotAllowed)
	r.Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		// What the contract middleware records of a request it accepts.
		request.ScopeFrom(r.Context()).Accept("getItem", &access.Caller{Subject: "ada"})
		_, _ = io.WriteString(w, request.IDFrom(r.Context()))
	})
	r.Put("/items/{id}", func(w http.ResponseWriter, r *http.Request) {})
	r.Post("/echo", func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				edge.TooLarge(w, r, tooLarge.Limit)
				return
			}
		}
		w.WriteHeader(http.StatusNoContent)
	})
	r.Get("/panic", func(w http.ResponseWriter, r *http.Request) { panic("secret internals") })
	r.Get("/panic-late", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		panic("after the header")
	})
	r.Get("/abort", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) })
	return r
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func decodeProblem(t *testing.T, w *httptest.ResponseRecorder) problem.Problem {
	t.Helper()
	if got, want := w.Header().Get("Content-Type"), problem.ContentType; got != want {
		t.Fatalf("content type = %q, want %q", got, want)
	}
	var p problem.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("not a problem: %v", err)
	}
	return p
}

func TestRequestID(t *testing.T) {
	h := newHandler(io.Discard)
	tests := []struct {
		name     string
		incoming string
		keep     bool
	}{
		{"made when absent", "", false},
		{"kept when sane", "abc-123_x.y:z", true},
		{"replaced when it could forge log lines", "a\nb", false},
		{"replaced when it has spaces", "a b", false},
		{"replaced when too long", strings.Repeat("a", 129), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/items/1", nil)
			if tt.incoming != "" {
				req.Header.Set(edge.RequestIDHeader, tt.incoming)
			}
			w := serve(h, req)
			id := w.Header().Get(edge.RequestIDHeader)
			if id == "" || id != w.Body.String() {
				t.Fatalf("header %q and context %q disagree", id, w.Body.String())
			}
			if got := id == tt.incoming; got != tt.keep {
				t.Errorf("kept = %v, want %v (id %q)", got, tt.keep, id)
			}
		})
	}
	t.Run("unique", func(t *testing.T) {
		a := serve(h, httptest.NewRequest(http.MethodGet, "/items/1", nil)).Body.String()
		b := serve(h, httptest.NewRequest(http.MethodGet, "/items/1", nil)).Body.String()
		if a == b {
			t.Errorf("two requests got the same ID %q", a)
		}
	})
}

func TestRecover(t *testing.T) {
	t.Run("a panic becomes a logged 500 problem", func(t *testing.T) {
		var logs bytes.Buffer
		w := serve(newHandler(&logs), httptest.NewRequest(http.MethodGet, "/panic", nil))
		if got, want := w.Code, http.StatusInternalServerError; got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
		p := decodeProblem(t, w)
		if p.RequestID == "" || p.RequestID != w.Header().Get(edge.RequestIDHeader) {
			t.Errorf("problem request ID = %q", p.RequestID)
		}
		for _, leak := range []string{"secret", "goroutine", ".go:"} {
			if strings.Contains(w.Body.String(), leak) {
				t.Errorf("body leaks %q", leak)
			}
		}
		for _, want := range []string{"secret internals", "goroutine", `"status":500`, p.RequestID} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("logs lack %q", want)
			}
		}
	})
	t.Run("ErrAbortHandler is passed on to net/http", func(t *testing.T) {
		defer func() {
			if v := recover(); v != http.ErrAbortHandler {
				t.Errorf("recovered %v, want http.ErrAbortHandler", v)
			}
		}()
		serve(newHandler(io.Discard), httptest.NewRequest(http.MethodGet, "/abort", nil))
	})
	t.Run("a panic after the header aborts the response", func(t *testing.T) {
		defer func() {
			if v := recover(); v != http.ErrAbortHandler {
				t.Errorf("recovered %v, want http.ErrAbortHandler", v)
			}
		}()
		serve(newHandler(io.Discard), httptest.NewRequest(http.MethodGet, "/panic-late", nil))
	})
}

func TestAccessLog(t *testing.T) {
	var logs bytes.Buffer
	req := httptest.NewRequest(http.MethodGet, "/items/7", nil)
	req.Header.Set(edge.RequestIDHeader, "req-1")
	serve(newHandler(&logs), req)
	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("log line: %v: %s", err, logs.Bytes())
	}
	want := map[string]any{
		"msg": "request", "method": "GET", "path": "/items/7", "route": "/items/{id}",
		"status": float64(200), "bytes": float64(len("req-1")), "request_id": "req-1",
		"operation": "getItem", "subject": "ada",
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %v", k, line[k], v)
		}
	}
	if _, ok := line["duration"]; !ok {
		t.Error("no duration")
	}
}

func TestBodyLimit(t *testing.T) {
	h := newHandler(io.Discard)
	tests := []struct {
		name    string
		body    string
		chunked bool
		want    int
	}{
		{"under the limit", "0123456789", false, http.StatusNoContent},
		{"at the limit", strings.Repeat("a", 16), false, http.StatusNoContent},
		{"announced over the limit", strings.Repeat("a", 17), false, http.StatusRequestEntityTooLarge},
		{"streamed over the limit", strings.Repeat("a", 17), true, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/echo", strings.NewReader(tt.body))
			if tt.chunked {
				req.ContentLength = -1
			}
			w := serve(h, req)
			if w.Code != tt.want {
				t.Fatalf("status = %d, want %d", w.Code, tt.want)
			}
			if tt.want == http.StatusRequestEntityTooLarge {
				if p := decodeProblem(t, w); p.Status != tt.want {
					t.Errorf("problem status = %d", p.Status)
				}
			}
		})
	}
}

func TestRouting(t *testing.T) {
	h := newHandler(io.Discard)
	tests := []struct {
		name, method, target string
		want                 int
		allow                string
	}{
		{"unknown path", http.MethodGet, "/nowhere", http.StatusNotFound, ""},
		{"wrong method", http.MethodDelete, "/items/3", http.StatusMethodNotAllowed, "GET, PUT"},
		{"wrong method on a one-method path", http.MethodGet, "/echo", http.StatusMethodNotAllowed, "POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(h, httptest.NewRequest(tt.method, tt.target, nil))
			if w.Code != tt.want {
				t.Fatalf("status = %d, want %d", w.Code, tt.want)
			}
			p := decodeProblem(t, w)
			if p.Status != tt.want || p.Instance != tt.target {
				t.Errorf("problem = %+v", p)
			}
			if got := w.Header().Get("Allow"); got != tt.allow {
				t.Errorf("Allow = %q, want %q", got, tt.allow)
			}
		})
	}
}

// BenchmarkEdge measures the edge, served through Root, around a handler
// that writes a few bytes, against chi alone; with the access log
// discarded and written as JSON.
func BenchmarkEdge(b *testing.B) {
	ok := func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }
	bare := chi.NewRouter()
	bare.Get("/items/{id}", ok)
	withEdge := func(logger *slog.Logger) http.Handler {
		r := chi.NewRouter()
		r.Use(edge.AccessLog(logger), edge.Recover(logger), edge.BodyLimit(1<<20))
		r.Get("/items/{id}", ok)
		return edge.Root(r)
	}
	for _, c := range []struct {
		name string
		h    http.Handler
	}{
		{"chi", bare},
		{"edge", withEdge(slog.New(slog.DiscardHandler))},
		{"edge+json-log", withEdge(slog.New(slog.NewJSONHandler(io.Discard, nil)))},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/items/42", nil)
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				c.h.ServeHTTP(w, req)
			}
		})
	}
}

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}
