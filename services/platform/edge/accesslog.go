package edge

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/request"
)

// AccessLog logs one line per request with logger at Info level: method,
// path, route pattern, status, bytes written, duration and request ID.
// Mount it with chi's Router.Use so that the route pattern is known.
func AccessLog(logger *slog.Logger) func(http.Handler) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			if !logger.Enabled(ctx, slog.LevelInfo) {
				next.ServeHTTP(w, r)
				return
			}
			start := time.Now()
			sw := &statusWriter{ResponseWriter: w}
			next.ServeHTTP(sw, r)
			scope := request.ScopeFrom(ctx)
			status := sw.status
			if status == 0 {
				// The handler wrote nothing; net/http answers 200.
				status = http.StatusOK
			}
			logger.LogAttrs(ctx, slog.LevelInfo, "request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("route", routePattern(ctx)),
				slog.Int("status", status),
				slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", time.Since(start)),
				slog.String("request_id", request.IDFrom(ctx)),
				// Filled in by the contract when it accepted the request.
				slog.String("operation", scope.Operation()),
				slog.String("subject", subject(scope)),
			)
		})
	}
}

// routePattern is the pattern chi matched, read after the request was
// served: chi fills the route context while routing, below this
// middleware.
func routePattern(ctx context.Context) string {
	if rctx := chi.RouteContext(ctx); rctx != nil {
		return rctx.RoutePattern()
	}
	return ""
}

// subject is the caller's subject, or "" for a request no token was
// accepted for.
func subject(s *request.Scope) string {
	c, _ := s.Caller()
	return c.Subject
}
