package stack_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/stack"
	"github.com/charterhq/charter/stories/access"
)

const spec = `{"openapi":"3.0.3","info":{"title":"Things","version":"1.0.0"},"paths":{}}`

func newStack(t *testing.T) http.Handler {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	h, err := stack.New(stack.Options{
		Title: "Things", Spec: doc, SpecJSON: []byte(spec),
		Mount:  func(chi.Router, *contract.Contract) {},
		Verify: func(string) (access.Caller, error) { return access.Caller{}, nil },
		Ready:  func(context.Context) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestProbesAndSpecAnswerHEADLikeGET(t *testing.T) {
	h := newStack(t)
	for _, path := range []string{"/healthz", "/readyz", "/openapi.json", "/openapi.yaml"} {
		t.Run(path, func(t *testing.T) {
			get := httptest.NewRecorder()
			h.ServeHTTP(get, httptest.NewRequest(http.MethodGet, path, nil))
			srv := httptest.NewServer(h)
			defer srv.Close()
			resp, err := http.Head(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != get.Code || resp.StatusCode != http.StatusOK {
				t.Fatalf("HEAD %s = %d, GET = %d; want both 200", path, resp.StatusCode, get.Code)
			}
			if len(body) != 0 {
				t.Errorf("HEAD %s has a body of %d bytes", path, len(body))
			}
			if got, want := resp.Header.Get("Content-Type"), get.Header().Get("Content-Type"); got != want {
				t.Errorf("HEAD Content-Type %q, GET %q", got, want)
			}
		})
	}
}

func TestTheRootPointsToTheDocs(t *testing.T) {
	w := httptest.NewRecorder()
	newStack(t).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Code != http.StatusFound || w.Header().Get("Location") != "/docs" {
		t.Fatalf("GET / = %d to %q, want 302 to /docs", w.Code, w.Header().Get("Location"))
	}
}
