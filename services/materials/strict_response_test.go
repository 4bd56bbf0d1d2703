package materials_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/materials"
)

// The generated strict handler writes a response of the operation's own
// whole-body JSON types itself, from the value the operation returned.
// These tests hold it to two promises: it sends what Visit sends, and a
// type of the service's own that embeds one of those types (or a pointer
// to one) still goes through its own Visit.

// oneAnswer serves GetMaterial and UpdateMaterial with fixed answers; the
// other operations are not called.
type oneAnswer struct {
	api.StrictServerInterface
	get    api.GetMaterialResponseObject
	update api.UpdateMaterialResponseObject
}

func (o oneAnswer) GetMaterial(context.Context, api.GetMaterialRequestObject) (api.GetMaterialResponseObject, error) {
	return o.get, nil
}

func (o oneAnswer) UpdateMaterial(context.Context, api.UpdateMaterialRequestObject) (api.UpdateMaterialResponseObject, error) {
	return o.update, nil
}

// cached is a service's own answer that adds a header to a generated one.
type cached struct{ api.GetMaterial200JSONResponse }

func (c cached) VisitGetMaterialResponse(w http.ResponseWriter) error {
	w.Header().Set("Cache-Control", "max-age=60")
	return c.GetMaterial200JSONResponse.VisitGetMaterialResponse(w)
}

// gone answers an update with 410 although it embeds GetMaterial's 404.
type gone struct {
	api.GetMaterial404ApplicationProblemPlusJSONResponse
}

func (gone) VisitUpdateMaterialResponse(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusGone)
	return nil
}

var strictMaterial = api.Material{
	Id: 42, CompanyId: 7, Name: "Steel 2mm", Quality: "S235", Thickness: 2,
	IsActive: true, CreatedAt: time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC), UpdatedAt: time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC),
}

func serveStrict(t *testing.T, si api.StrictServerInterface, method, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	h := api.Handler(api.NewStrictHandler(si, nil))
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestStrictHandlerSendsWhatVisitSends(t *testing.T) {
	answer := api.GetMaterial200JSONResponse{Body: strictMaterial}
	got := serveStrict(t, oneAnswer{get: answer}, http.MethodGet, "/materials/42", "")
	want := httptest.NewRecorder()
	if err := answer.VisitGetMaterialResponse(want); err != nil {
		t.Fatal(err)
	}
	if got.Code != want.Code || got.Body.String() != want.Body.String() ||
		got.Header().Get("Content-Type") != want.Header().Get("Content-Type") || len(got.Header()) != len(want.Header()) {
		t.Errorf("handler sent %d %v %q; Visit sends %d %v %q",
			got.Code, got.Header(), got.Body, want.Code, want.Header(), want.Body)
	}
}

func TestStrictHandlerKeepsTheServicesOwnVisit(t *testing.T) {
	t.Run("a type that embeds a generated answer", func(t *testing.T) {
		w := serveStrict(t, oneAnswer{get: cached{api.GetMaterial200JSONResponse{Body: strictMaterial}}}, http.MethodGet, "/materials/42", "")
		if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "max-age=60" {
			t.Errorf("got %d with Cache-Control %q; want 200 with the header the type's Visit sets", w.Code, w.Header().Get("Cache-Control"))
		}
	})
	t.Run("a pointer to a generated answer", func(t *testing.T) {
		answer := api.GetMaterial200JSONResponse{Body: strictMaterial}
		w := serveStrict(t, oneAnswer{get: &answer}, http.MethodGet, "/materials/42", "")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("got %d %q, want 200 application/json", w.Code, w.Header().Get("Content-Type"))
		}
	})
	t.Run("another operation's answer embedded", func(t *testing.T) {
		w := serveStrict(t, oneAnswer{update: gone{}}, http.MethodPut, "/materials/42",
			`{"name":"Steel","quality":"S235","thickness":2,"is_active":true}`)
		if w.Code != http.StatusGone {
			t.Errorf("got %d %q, want the 410 of the type's own Visit", w.Code, w.Body)
		}
	})
}
