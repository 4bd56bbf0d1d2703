package edge

import (
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5"
)

// Root returns the handler a service's router is served through: RequestID
// in front of router, with chi's routing context made here and carried by
// the request's own context. A chi router that finds no routing context
// wraps the request's context in one of its own, a context value and a
// copy of the *http.Request on every request; Root's one context answers
// for both, which on a small operation is a measurable share of the whole
// request. Register every other edge middleware on router with Use.
//
// Routing contexts are recycled as chi recycles its own: one is valid
// until the request's handler returns, and a goroutine that outlives the
// handler must take chi.RouteContext(ctx).Clone() first.
func Root(router *chi.Mux) http.Handler {
	routes := sync.Pool{New: func() any { return chi.NewRouteContext() }}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := newRequestContext(w, r)
		// Mounted under another chi router, the request routes on the
		// parent's routing context: a fresh one would route the whole
		// path again.
		if chi.RouteContext(c.Context.Context) == nil {
			c.route = routes.Get().(*chi.Context)
			c.route.Reset()
			c.route.Routes = router
		}
		router.ServeHTTP(w, r.WithContext(c))
		if c.route != nil {
			routes.Put(c.route)
		}
	})
}
