// Package edge holds the HTTP middleware every request of a Charter
// service passes before it reaches the contract: request IDs, panic
// recovery, access logs and body limits, plus the problem+json answers for
// routes that do not exist.
//
// Mount the middleware with chi's Router.Use on the router that serves the
// API, in this order, and serve the router through Root, which gives each
// request its ID:
//
//	r.Use(edge.AccessLog(logger), edge.Recover(logger), edge.BodyLimit(1<<20))
//	r.NotFound(edge.NotFound)
//	r.MethodNotAllowed(edge.MethodNotAllowed)
//	handler := edge.Root(r)
//
// AccessLog reads the route pattern chi matched after the request is
// served, which works only when it runs inside the chi router (Use), not
// around it. Recover sits inside AccessLog so that the log records the 500
// a panic turns into.
package edge
