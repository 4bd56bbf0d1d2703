package edge

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/charterhq/charter/services/problem"
	"github.com/charterhq/charter/stories/access"
)

func TestScope(t *testing.T) {
	if !scopes {
		t.Fatal("request scopes are off: problem or access changed how they look up their values")
	}
	var got struct {
		id     string
		set    bool
		caller access.Caller
		ok     bool
	}
	h := RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		got.id = problem.RequestIDFrom(ctx)
		if _, ok := access.CallerFrom(ctx); ok {
			t.Error("a caller before SetCaller")
		}
		derived := context.WithValue(ctx, struct{}{}, 1)
		got.set = SetCaller(derived, access.Caller{Subject: "s"})
		got.caller, got.ok = access.CallerFrom(ctx)
		if SetCaller(ctx, access.Caller{Subject: "again"}) {
			t.Error("SetCaller replaced a caller")
		}
	}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set(RequestIDHeader, "abc")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got.id != "abc" || !got.set || !got.ok || got.caller.Subject != "s" {
		t.Errorf("got %+v", got)
	}

	if SetCaller(context.Background(), access.Caller{}) {
		t.Error("SetCaller outside RequestID")
	}
	shadowed := access.WithCaller(context.Background(), access.Caller{Subject: "outer"})
	h = RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if SetCaller(r.Context(), access.Caller{Subject: "inner"}) {
			t.Error("SetCaller under an existing caller")
		}
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil).WithContext(shadowed))
}
