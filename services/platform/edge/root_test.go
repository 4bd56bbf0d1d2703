package edge_test

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/services/platform/request"
)

// TestRootMounted serves Root under another chi router: the inner router
// must route on the rest of the path, as chi's own mounts do.
func TestRootMounted(t *testing.T) {
	inner := chi.NewRouter()
	inner.Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, chi.URLParam(r, "id")+" "+request.IDFrom(r.Context()))
	})
	outer := chi.NewRouter()
	outer.Mount("/api", edge.Root(inner))

	req := httptest.NewRequest(http.MethodGet, "/api/items/7", nil)
	req.Header.Set(edge.RequestIDHeader, "req-1")
	w := serve(outer, req)
	if w.Code != http.StatusOK || w.Body.String() != "7 req-1" {
		t.Fatalf("got %d %q, want 200 %q", w.Code, w.Body.String(), "7 req-1")
	}
}

// TestRootContextOutlivesRequest keeps a request's context past the end of
// its handler, as a goroutine started by the handler would: what the scope
// says must not change when later requests come, although Root recycles
// chi's routing contexts.
func TestRootContextOutlivesRequest(t *testing.T) {
	var kept []context.Context
	r := chi.NewRouter()
	r.Get("/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		kept = append(kept, r.Context())
	})
	h := edge.Root(r)
	var ids []string
	for range 3 {
		ids = append(ids, serve(h, httptest.NewRequest(http.MethodGet, "/items/1", nil)).Header().Get(edge.RequestIDHeader))
	}
	for i, ctx := range kept {
		if got := request.IDFrom(ctx); got != ids[i] {
			t.Errorf("request %d: kept context says ID %q, its response said %q", i, got, ids[i])
		}
		if request.ScopeFrom(ctx) == request.ScopeFrom(kept[(i+1)%len(kept)]) {
			t.Errorf("requests %d and %d share a scope", i, (i+1)%len(kept))
		}
	}
}

// TestRootAnswersForParent checks that Root's context passes keys it does
// not know to the request's own context.
func TestRootAnswersForParent(t *testing.T) {
	type key struct{}
	r := chi.NewRouter()
	var got any
	r.Get("/", func(w http.ResponseWriter, r *http.Request) { got = r.Context().Value(key{}) })
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req = req.WithContext(context.WithValue(req.Context(), key{}, "from the server"))
	serve(edge.Root(r), req)
	if got != "from the server" {
		t.Errorf("Value = %v, want the parent's value", got)
	}
}

// TestRootAllocatesNoMoreThanChi holds Root to its reason to be: a request
// served through it gets its ID and its scope for no more allocations than
// chi alone makes to route it, because Root's one context stands in for
// the context value and request copy that chi would make (4 allocations a
// request either way, where an ID middleware in front of chi made 6).
// Under the race detector sync.Pool drops objects at random, which adds an
// allocation to either side now and then: the test keeps the fewest of
// several measurements, and there allows Root one allocation of noise.
func TestRootAllocatesNoMoreThanChi(t *testing.T) {
	ok := func(w http.ResponseWriter, r *http.Request) {}
	inner := chi.NewRouter()
	inner.Get("/items/{id}", ok)
	root := edge.Root(inner)
	bare := chi.NewRouter()
	bare.Get("/items/{id}", ok)

	req := httptest.NewRequest(http.MethodGet, "/items/7", nil)
	allocs := func(h http.Handler) float64 {
		w := &discardWriter{h: http.Header{}}
		fewest := math.Inf(1)
		for range 5 {
			fewest = min(fewest, testing.AllocsPerRun(100, func() {
				clear(w.h)
				h.ServeHTTP(w, req)
			}))
		}
		return fewest
	}
	noise := 0.0
	if raceDetector {
		noise = 1
	}
	if r, c := allocs(root), allocs(bare); r > c+noise {
		t.Errorf("Root allocates %.0f times a request, chi alone %.0f; want no more", r, c)
	}
}
