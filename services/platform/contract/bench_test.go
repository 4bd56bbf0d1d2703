package contract_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/gen/materials"
)

// discardWriter is a ResponseWriter that keeps nothing, so that the
// benchmarks measure the handlers rather than a recorder.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

const createBody = `{"company_id":7,"name":"10 mm Steel","quality":"steel","thickness":10,"is_active":true}`

type benchCase struct {
	name, method, target, body string
}

var benchCases = []benchCase{
	{"get", http.MethodGet, "/materials/42", ""},
	{"list", http.MethodGet, "/materials?limit=20&offset=0&ordering=-name&is_active=true", ""},
	{"create", http.MethodPost, "/materials", createBody},
}

func run(b *testing.B, h http.Handler, bc benchCase) {
	req := httptest.NewRequest(bc.method, bc.target, nil)
	req.Header.Set("Authorization", "Bearer "+writeToken)
	if bc.body != "" {
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = int64(len(bc.body))
	}
	data := []byte(bc.body)
	w := &discardWriter{h: http.Header{}}
	body := &resettableBody{}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clear(w.h)
		if bc.body != "" {
			body.Reset(data)
			req.Body = body
		}
		h.ServeHTTP(w, req)
	}
}

// resettableBody lets a benchmark send the same body again without
// allocating a reader per request.
type resettableBody struct{ bytes.Reader }

func (*resettableBody) Close() error { return nil }

var _ io.ReadCloser = (*resettableBody)(nil)

// BenchmarkMiddleware measures the contract middleware alone: a chi
// router whose routes do nothing, with and without the middleware.
func BenchmarkMiddleware(b *testing.B) {
	ok := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }
	routes := func(r chi.Router) {
		r.Get("/materials", ok)
		r.Post("/materials", ok)
		r.Get("/materials/{material_id}", ok)
		r.Put("/materials/{material_id}", ok)
		r.Delete("/materials/{material_id}", ok)
	}
	bare := chi.NewRouter()
	routes(bare)
	c := newContract(b, discardLogger())
	guarded := chi.NewRouter()
	guarded.Group(func(g chi.Router) {
		g.Use(c.Middleware)
		routes(g)
	})
	for _, bc := range benchCases {
		b.Run(bc.name+"/chi", func(b *testing.B) { run(b, bare, bc) })
		b.Run(bc.name+"/contract", func(b *testing.B) { run(b, guarded, bc) })
	}
}

// BenchmarkStack compares the whole edge (request ID, access log to a
// discarding logger, recover, body limit, contract, generated strict
// handler) over a stub with a bare chi handler that encodes the same
// response itself.
func BenchmarkStack(b *testing.B) {
	m := material(42)
	page := make([]materials.Material, 20)
	for i := range page {
		page[i] = material(int64(i + 1))
	}
	bare := chi.NewRouter()
	writeJSON := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	bare.Get("/materials/{material_id}", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, m) })
	bare.Get("/materials", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, materials.MaterialPage{Items: page, Count: 20, Limit: 20})
	})
	bare.Post("/materials", func(w http.ResponseWriter, r *http.Request) {
		var in materials.NewMaterial
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			w.WriteHeader(400)
			return
		}
		writeJSON(w, 201, m)
	})
	full := newStack(b, discardLogger())
	for _, bc := range benchCases {
		b.Run(bc.name+"/bare", func(b *testing.B) { run(b, bare, bc) })
		b.Run(bc.name+"/full", func(b *testing.B) { run(b, full, bc) })
	}
}
