package stack_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/stack"
	"github.com/charterhq/charter/stories/access"
)

func TestTheEventContractIsServedWhenGiven(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	build := func(events []byte) http.Handler {
		h, err := stack.New(stack.Options{
			Title: "Things", Spec: doc, SpecJSON: []byte(spec), Events: events,
			Mount:  func(chi.Router, *contract.Contract) {},
			Verify: func(string) (access.Caller, error) { return access.Caller{}, nil },
			Ready:  func(context.Context) error { return nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	get := func(h http.Handler, path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	with, without := build(materialsevents.Document()), build(nil)
	for _, path := range []string{"/events.json", "/events.yaml", "/docs/events"} {
		if w := get(with, path); w.Code != http.StatusOK {
			t.Errorf("GET %s = %d with an event contract, want 200", path, w.Code)
		}
		if w := get(without, path); w.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d without one, want 404", path, w.Code)
		}
	}
	if w := get(with, "/docs/"); !strings.Contains(w.Body.String(), `href="/docs/events"`) {
		t.Errorf("/docs/ does not link the events page (%d)", w.Code)
	}
	if w := get(without, "/docs/"); strings.Contains(w.Body.String(), `href="/docs/events"`) {
		t.Error("/docs/ links an events page the service does not have")
	}
	if _, err := stack.New(stack.Options{
		Title: "Things", Spec: doc, SpecJSON: []byte(spec), Events: []byte(`{"asyncapi":"2.6.0"}`),
		Mount:  func(chi.Router, *contract.Contract) {},
		Verify: func(string) (access.Caller, error) { return access.Caller{}, nil },
	}); err == nil {
		t.Error("an AsyncAPI 2 document was served as the event contract")
	}
}
