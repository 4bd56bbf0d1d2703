package edge

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/problem"
)

// NotFound answers a path no route matches with a 404 problem. Give it to
// chi's Router.NotFound.
func NotFound(w http.ResponseWriter, r *http.Request) {
	problem.Write(w, r, problem.New(http.StatusNotFound, "No resource lives at this path."))
}

// methods are the methods MethodNotAllowed offers in the Allow header, in
// the order it lists them.
var methods = [...]string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
	http.MethodPatch, http.MethodDelete, http.MethodOptions,
}

// MethodNotAllowed answers a known path asked with the wrong method with a
// 405 problem and an Allow header listing the methods the path has. Give
// it to chi's Router.MethodNotAllowed: chi passes a custom handler no
// methods, so this one asks the router.
func MethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	allowed := allowedMethods(r)
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
	}
	problem.Write(w, r, problem.New(http.StatusMethodNotAllowed,
		"The method "+r.Method+" is not allowed on this path."))
}

// allowedMethods asks the router that served r which methods match r's
// path. It runs only on the 405 path, so trying each method is cheap
// enough.
func allowedMethods(r *http.Request) []string {
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.Routes == nil {
		return nil
	}
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	var allowed []string
	for _, m := range methods {
		if rctx.Routes.Match(chi.NewRouteContext(), m, path) {
			allowed = append(allowed, m)
		}
	}
	return allowed
}
