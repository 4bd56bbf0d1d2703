package edge

import (
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5"
)

// Root returns the handler a service's router is served through. It gives
// every request an ID: the caller's X-Request-Id when it is sane (1 to 128
// characters of letters, digits, '-', '_', '.', ':'), so that a caller can
// find its request in our logs, otherwise a new one. The ID goes in the
// response's X-Request-Id header and in a request.Scope in the request's
// context (read it with request.IDFrom), which later middleware fills in
// rather than wrapping the context again.
//
// Root also makes chi's routing context and carries it in that same
// context: a chi router that finds no routing context wraps the request's
// context in one of its own, a context value and a copy of the
// *http.Request on every request, and Root's one context answers for
// both: a request costs as many allocations as under chi alone (4), where
// an ID middleware in front of chi made 6. Register every other edge
// middleware on router with Use.
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
