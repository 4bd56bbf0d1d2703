package access_test

import (
	"context"
	"testing"

	"github.com/charterhq/charter/stories/access"
)

func TestCaller(t *testing.T) {
	t.Run("a caller has only the roles it was given", func(t *testing.T) {
		c := access.Caller{Roles: []access.Role{access.External}}
		if !c.Has(access.External) {
			t.Error("Has(External) = false")
		}
		if c.Has(access.Staff) {
			t.Error("Has(Staff) = true")
		}
		if (access.Caller{}).Has(access.Staff) {
			t.Error("a caller without roles has the staff role")
		}
	})

	t.Run("the caller travels in the context", func(t *testing.T) {
		want := access.Caller{Subject: "ann", CompanyID: 1, Roles: []access.Role{access.External}}
		got, ok := access.CallerFrom(access.WithCaller(context.Background(), want))
		if !ok {
			t.Fatal("CallerFrom found no caller")
		}
		if got.Subject != want.Subject || got.CompanyID != want.CompanyID || !got.Has(access.External) {
			t.Errorf("CallerFrom = %+v, want %+v", got, want)
		}
	})

	t.Run("a context without a caller says so", func(t *testing.T) {
		if _, ok := access.CallerFrom(context.Background()); ok {
			t.Error("CallerFrom found a caller in an empty context")
		}
	})
}
