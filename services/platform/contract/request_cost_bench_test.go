package contract_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/edge"
)

// unknownBody is a create body of the three required properties and then
// as many unknown ones as fit in size bytes.
func unknownBody(size int) []byte {
	b := []byte(`{"name":"a","quality":"b","thickness":1`)
	for i := 0; len(b) < size-16; i++ {
		b = fmt.Appendf(b, `,"k%06d":0`, i)
	}
	return append(b, '}')
}

// BenchmarkUnknownProperties measures refusing a body of 1 MiB, the
// services' body limit, made of unknown properties (some 86,000 of them):
// "full" is the edge's body limit and the contract middleware answering
// 400, "bare" is encoding/json decoding the same bytes into an interface,
// which any validation of the body has to do at least once. make bench
// prints bare ÷ full; its inverse is how many decodings refusing the body
// costs, which must stay a small number, and the same whatever the number
// of properties: a body of unknown properties once cost time quadratic in
// their number (tens of seconds for this one).
func BenchmarkUnknownProperties(b *testing.B) {
	data := unknownBody(1 << 20)
	c := newContract(b, discardLogger())
	r := chi.NewRouter()
	r.Use(edge.BodyLimit(1 << 20))
	r.Group(func(g chi.Router) {
		g.Use(c.Middleware)
		g.Post("/materials", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) })
	})
	b.Run("1MiB/bare", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("1MiB/full", func(b *testing.B) {
		req := httptest.NewRequest(http.MethodPost, "/materials", nil)
		req.Header.Set("Authorization", "Bearer "+writeToken)
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = int64(len(data))
		body := &resettableBody{}
		w := &statusWriter{discardWriter: discardWriter{h: http.Header{}}}
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			clear(w.h)
			body.Reset(data)
			req.Body = body
			r.ServeHTTP(w, req)
			if w.status != http.StatusBadRequest {
				b.Fatalf("status %d, want 400", w.status)
			}
		}
	})
}

// statusWriter is a discardWriter that keeps the status.
type statusWriter struct {
	discardWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) { w.status = status }
