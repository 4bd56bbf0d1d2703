// Package platform is the part of Charter every service shares and no
// service owns: the HTTP stack (edge, contract validation and
// authentication, problem answers, conditional requests, docs and health), the runtime that
// hosts one or several services in a process (configuration, logging,
// listeners, graceful shutdown, development tokens, the choice of store),
// and metrics and tracing. A service package under services/ holds only
// its wiring and its controller, and builds on the packages below this
// one; nothing here imports a service.
package platform
