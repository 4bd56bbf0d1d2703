package contract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/access"
)

// A request the binding refuses after the middleware accepted it is
// authenticated once, not twice, and still gets its 400 with a pointer.
func TestParamErrorAfterTheMiddlewareChecksNothingTwice(t *testing.T) {
	var calls atomic.Int64
	counting := func(token string) (access.Caller, error) {
		calls.Add(1)
		return verify(token)
	}
	h := newStackVerifying(t, discardLogger(), counting)
	// The contract checks the first value of a repeated query parameter;
	// the generated binding refuses the repetition.
	checkCase(t, h, httpCase{
		method: "GET", target: "/materials?limit=5&limit=x", token: readToken,
		wantStatus: http.StatusBadRequest, wantPointers: []string{"#/query/limit"},
	})
	if got := calls.Load(); got != 1 {
		t.Errorf("the token was verified %d times, want once", got)
	}
}

// A request served within the context of another one, through a router
// not served by edge.Root, gets a scope of its own: the outer request's
// caller does not change under it.
func TestNestedRequestKeepsTheOuterCaller(t *testing.T) {
	inner := chi.NewRouter()
	c := newContract(t, discardLogger())
	inner.Group(func(g chi.Router) {
		g.Use(c.Middleware)
		g.Get("/materials/{material_id}", func(w http.ResponseWriter, r *http.Request) {
			who, _ := request.CallerFrom(r.Context())
			w.Header().Set("X-Inner-Subject", who.Subject)
		})
	})

	outer := chi.NewRouter()
	outer.Group(func(g chi.Router) {
		g.Use(newContract(t, discardLogger()).Middleware)
		g.Delete("/materials/{material_id}", func(w http.ResponseWriter, r *http.Request) {
			before, _ := request.CallerFrom(r.Context())
			// The inner router routes afresh, but the request context
			// (and the outer scope in it) is inherited.
			ctx := context.WithValue(r.Context(), chi.RouteCtxKey, (*chi.Context)(nil))
			sub := httptest.NewRequestWithContext(ctx, http.MethodGet, "/materials/1", nil)
			sub.Header.Set("Authorization", "Bearer "+readToken)
			rec := httptest.NewRecorder()
			inner.ServeHTTP(rec, sub)
			after, _ := request.CallerFrom(r.Context())
			w.Header().Set("X-Inner-Status", http.StatusText(rec.Code))
			w.Header().Set("X-Inner-Subject", rec.Header().Get("X-Inner-Subject"))
			w.Header().Set("X-Subject-Before", before.Subject)
			w.Header().Set("X-Subject-After", after.Subject)
		})
	})

	req := httptest.NewRequest(http.MethodDelete, "/materials/42", nil)
	req.Header.Set("Authorization", "Bearer "+writeToken)
	w := httptest.NewRecorder()
	edge.Root(outer).ServeHTTP(w, req)
	h := w.Header()
	if h.Get("X-Inner-Status") != "OK" || h.Get("X-Inner-Subject") != "r" {
		t.Fatalf("inner request: %s as %q, want OK as r", h.Get("X-Inner-Status"), h.Get("X-Inner-Subject"))
	}
	if h.Get("X-Subject-Before") != "w" || h.Get("X-Subject-After") != "w" {
		t.Errorf("outer caller %q before and %q after the inner request, want w both times",
			h.Get("X-Subject-Before"), h.Get("X-Subject-After"))
	}
}
