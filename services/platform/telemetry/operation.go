package telemetry

import (
	"context"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/request"
)

// Unmatched is the operation label of a request that neither the
// contract nor the router recognized: a path no route matches. Every such
// request shares it, so that a scan of random paths adds one series, not
// one per path.
const Unmatched = "unmatched"

// operation names the request ctx belongs to for metrics and spans, read
// after the request was served: the operationId the contract accepted it
// as; otherwise the route pattern chi matched (health, docs, /metrics:
// routes outside the contract); otherwise Unmatched. Never the raw path,
// whose every distinct value would be a new series.
func operation(ctx context.Context) string {
	if op := request.ScopeFrom(ctx).Operation(); op != "" {
		return op
	}
	if p := routePattern(ctx); p != "" {
		return p
	}
	return Unmatched
}

// routePattern is the pattern chi matched, or "".
func routePattern(ctx context.Context) string {
	if rctx := chi.RouteContext(ctx); rctx != nil {
		return rctx.RoutePattern()
	}
	return ""
}
