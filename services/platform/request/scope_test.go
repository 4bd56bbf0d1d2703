package request_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/access"
)

func TestScopeCarriesIDAndCaller(t *testing.T) {
	s := &request.Scope{ID: "req-1"}
	ctx := request.NewContext(context.Background(), s)
	if got := request.IDFrom(ctx); got != "req-1" {
		t.Errorf("IDFrom = %q, want req-1", got)
	}
	if _, ok := request.CallerFrom(ctx); ok {
		t.Error("CallerFrom found a caller before authentication")
	}

	if s.Accepted() || s.Operation() != "" {
		t.Error("a new scope says it was accepted")
	}

	// Filling the scope in later is seen through the same context: that is
	// what spares the contract a second context.
	want := access.Caller{Subject: "ada", CompanyID: 7, Roles: []access.Role{access.External}, Scopes: []string{"materials:read"}}
	s.Accept("getMaterial", &want)
	got, ok := request.CallerFrom(ctx)
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("CallerFrom = %+v, %v; want %+v, true", got, ok, want)
	}
	if !s.Accepted() || s.Operation() != "getMaterial" {
		t.Errorf("Accepted, Operation = %v, %q; want true, getMaterial", s.Accepted(), s.Operation())
	}
	if request.ScopeFrom(ctx) != s {
		t.Error("ScopeFrom did not return the scope put in the context")
	}
}

func TestNoScope(t *testing.T) {
	ctx := context.Background()
	if request.ScopeFrom(ctx) != nil {
		t.Error("ScopeFrom found a scope in an empty context")
	}
	if got := request.IDFrom(ctx); got != "" {
		t.Errorf("IDFrom = %q, want empty", got)
	}
	if c, ok := request.CallerFrom(ctx); ok || !reflect.DeepEqual(c, access.Caller{}) {
		t.Errorf("CallerFrom = %+v, %v; want the zero caller, false", c, ok)
	}
	if s := request.ScopeFrom(ctx); s.Accepted() || s.Operation() != "" {
		t.Error("a missing scope says it was accepted")
	}
}

func TestAnonymousOperation(t *testing.T) {
	s := &request.Scope{ID: "req-2"}
	s.Accept("healthz", nil)
	if !s.Accepted() {
		t.Error("Accept with no caller did not record the operation")
	}
	if _, ok := s.Caller(); ok {
		t.Error("an anonymous request has a caller")
	}
}

func TestContextCarriesItsScope(t *testing.T) {
	type key struct{}
	c := &request.Context{Context: context.WithValue(context.Background(), key{}, "parent's"), Scope: request.Scope{ID: "req-3"}}
	if got := request.ScopeFrom(c); got != &c.Scope {
		t.Errorf("ScopeFrom = %p, want the context's own scope %p", got, &c.Scope)
	}
	if got := request.IDFrom(c); got != "req-3" {
		t.Errorf("IDFrom = %q, want req-3", got)
	}
	if got := c.Value(key{}); got != "parent's" {
		t.Errorf("Value(other key) = %v, want the parent's value", got)
	}
	// A scope put in the parent is hidden by the context's own.
	inner := &request.Context{Context: request.NewContext(context.Background(), &request.Scope{ID: "outer"}), Scope: request.Scope{ID: "inner"}}
	if got := request.IDFrom(inner); got != "inner" {
		t.Errorf("IDFrom = %q, want inner", got)
	}
}
