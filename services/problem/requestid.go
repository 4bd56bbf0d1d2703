package problem

import "context"

// The request ID lives here rather than in the edge middleware that sets
// it because the problem writer, which every layer calls, must read it and
// must not depend on the middleware.

type requestIDKey struct{}

// WithRequestID returns a context that carries the request ID id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request ID in ctx, or "" when there is none.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
