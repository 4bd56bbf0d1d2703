// Package request holds what the edge learns about one request as it goes
// through the stack: its ID, and once the contract has authenticated it,
// its caller.
//
// Both live in one Scope, put in the request's context once by the first
// middleware. Later layers fill the scope in rather than wrap the context
// again: every wrap is a context value and a copy of the *http.Request,
// and on a small operation those copies are a measurable share of the
// whole request.
package request

import (
	"context"

	"github.com/charterhq/charter/stories/access"
)

// Scope is one request's ID and caller. It belongs to the goroutine that
// serves the request: middleware fills it in before calling the next
// handler, and nothing writes to it after that.
type Scope struct {
	// ID identifies the request in logs and in problem answers.
	ID string

	caller        access.Caller
	authenticated bool
}

// SetCaller records the authenticated caller of the request.
func (s *Scope) SetCaller(c access.Caller) {
	s.caller, s.authenticated = c, true
}

// Caller returns the authenticated caller and whether there is one.
func (s *Scope) Caller() (access.Caller, bool) {
	if s == nil {
		return access.Caller{}, false
	}
	return s.caller, s.authenticated
}

type scopeKey struct{}

// NewContext returns a context that carries s.
func NewContext(ctx context.Context, s *Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// ScopeFrom returns the scope in ctx, or nil when there is none.
func ScopeFrom(ctx context.Context) *Scope {
	s, _ := ctx.Value(scopeKey{}).(*Scope)
	return s
}

// IDFrom returns the ID of the request ctx belongs to, or "" when it has
// none.
func IDFrom(ctx context.Context) string {
	if s := ScopeFrom(ctx); s != nil {
		return s.ID
	}
	return ""
}

// CallerFrom returns the authenticated caller of the request ctx belongs
// to, and whether there is one.
func CallerFrom(ctx context.Context) (access.Caller, bool) {
	return ScopeFrom(ctx).Caller()
}
