package edge

import (
	"context"
	"reflect"
	"sync/atomic"

	"github.com/charterhq/charter/services/problem"
	"github.com/charterhq/charter/stories/access"
)

// scope is the context RequestID gives a request. It carries the request
// ID and, once the contract middleware authenticated the request, the
// caller (see SetCaller), and answers problem.RequestIDFrom and
// access.CallerFrom as the contexts of problem.WithRequestID and
// access.WithCaller would. One scope costs one allocation, where a
// context per value and a copy of the request per context would cost
// five.
type scope struct {
	context.Context
	caller atomic.Value // access.Caller, stored once
	id     string
	// values is the X-Request-Id header value, sharing id's bytes.
	values [1]string
	buf    [requestIDCap]byte
}

// scopeKey finds the scope in a context derived from it.
type scopeKey struct{}

func (s *scope) Value(key any) any {
	switch key {
	case requestIDKey:
		return s.id
	case callerKey:
		if c := s.caller.Load(); c != nil {
			return c
		}
	case scopeKey{}:
		return s
	}
	return s.Context.Value(key)
}

// SetCaller makes c the caller of the request whose context is ctx, as
// access.WithCaller would, without a new context, and reports whether it
// could: ctx must come from RequestID and carry no caller yet. When it
// returns false, use access.WithCaller and http.Request.WithContext.
func SetCaller(ctx context.Context, c access.Caller) bool {
	if !scopes {
		return false
	}
	s, ok := ctx.Value(scopeKey{}).(*scope)
	if !ok {
		return false
	}
	if _, has := access.CallerFrom(ctx); has {
		// A caller set closer to ctx would hide the scope's.
		return false
	}
	s.caller.Store(c)
	return true
}

// The keys problem and access look their values up with, learnt by
// asking them to look in a context that records the key it is asked for.
var (
	requestIDKey = lookupKey(func(ctx context.Context) { problem.RequestIDFrom(ctx) })
	callerKey    = lookupKey(func(ctx context.Context) { access.CallerFrom(ctx) })
	// scopes is false when the keys could not be learnt or a scope does
	// not answer as the contexts of problem and access do; RequestID then
	// uses those contexts.
	scopes = scopesWork()
)

type keyRecorder struct {
	context.Context
	key any
}

func (k *keyRecorder) Value(key any) any {
	k.key = key
	return nil
}

func lookupKey(lookup func(context.Context)) any {
	k := &keyRecorder{Context: context.Background()}
	lookup(k)
	if k.key == nil || !reflect.TypeOf(k.key).Comparable() {
		return nil
	}
	return k.key
}

func scopesWork() bool {
	if requestIDKey == nil || callerKey == nil || requestIDKey == callerKey {
		return false
	}
	s := &scope{Context: context.Background(), id: "probe"}
	if problem.RequestIDFrom(s) != "probe" {
		return false
	}
	if _, ok := access.CallerFrom(s); ok {
		return false
	}
	s.caller.Store(access.Caller{Subject: "probe"})
	c, ok := access.CallerFrom(s)
	return ok && c.Subject == "probe"
}
