// Package request holds what the edge learns about one request as it goes
// through the stack: its ID, and once the contract has authenticated it,
// its caller.
//
// Both live in one Scope, put in the request's context once, by the edge
// (edge.Root). Later layers fill the scope in rather than wrap the context
// again, because every wrap costs every request a context value and a copy
// of the *http.Request (see Context).
package request

import (
	"context"

	"github.com/charterhq/charter/stories/access"
)

// Scope is one request's ID, the operation the contract accepted it as,
// and its caller. A scope belongs to one request and to the goroutine that
// serves it: middleware fills it in before calling the next handler, and
// nothing changes it after that. A request served within the context of
// another one gets a scope of its own (see Accepted).
type Scope struct {
	// ID identifies the request in logs and in problem answers.
	ID string

	operation     string
	caller        access.Caller
	authenticated bool
}

// Accept records that the contract accepted the request as the operation
// operationID. caller is the authenticated caller, nil for an operation
// open to anonymous callers.
func (s *Scope) Accept(operationID string, caller *access.Caller) {
	s.operation = operationID
	if caller != nil {
		s.caller, s.authenticated = *caller, true
	}
}

// Accepted reports whether the contract accepted the request already; a
// scope that was accepted must not be filled in again.
func (s *Scope) Accepted() bool { return s != nil && s.operation != "" }

// Operation returns the operation ID the request was accepted as, or ""
// before the contract accepted it.
func (s *Scope) Operation() string {
	if s == nil {
		return ""
	}
	return s.operation
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

// Context is a context that carries its Scope itself, where NewContext
// wraps the parent in a context.WithValue that points to a scope: an edge
// that makes one per request allocates the request's context and scope
// together. Set Context, the parent, before use; a type that embeds
// Context to answer keys of its own must pass the others to its Value.
type Context struct {
	context.Context
	Scope Scope
}

// Value returns the scope for ScopeFrom and asks the parent for any other
// key.
func (c *Context) Value(key any) any {
	if key == (scopeKey{}) {
		return &c.Scope
	}
	return c.Context.Value(key)
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
