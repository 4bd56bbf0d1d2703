package problem_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/services/platform/request"
)

func TestNew(t *testing.T) {
	tests := []struct {
		status    int
		wantType  string
		wantTitle string
	}{
		{400, "https://charter.dev/problems/invalid-request", "Invalid request"},
		{401, "https://charter.dev/problems/unauthorized", "Unauthorized"},
		{404, "https://charter.dev/problems/not-found", "Not found"},
		{413, "https://charter.dev/problems/payload-too-large", "Payload too large"},
		{422, "https://charter.dev/problems/unprocessable", "Unprocessable content"},
		{500, "https://charter.dev/problems/internal", "Internal error"},
		{418, "https://charter.dev/problems/im-a-teapot", "I'm a teapot"},
		{599, "https://charter.dev/problems/internal", "Internal error"},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			p := problem.New(tt.status, "Something.")
			if p.Type != tt.wantType || p.Title != tt.wantTitle || p.Status != tt.status || p.Detail != "Something." {
				t.Errorf("New(%d) = %+v", tt.status, p)
			}
		})
	}
}

func TestWrite(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/materials/42?x=1", nil)
	req = req.WithContext(request.NewContext(req.Context(), &request.Scope{ID: "req-9"}))
	w := httptest.NewRecorder()
	p := problem.New(http.StatusBadRequest, "The request does not match the contract.")
	p.Errors = []problem.FieldError{{Pointer: "#/thickness", Detail: "number must be at most 1000"}}
	problem.Write(w, req, p)

	if got, want := w.Code, http.StatusBadRequest; got != want {
		t.Errorf("status = %d, want %d", got, want)
	}
	if got, want := w.Header().Get("Content-Type"), "application/problem+json"; got != want {
		t.Errorf("content type = %q, want %q", got, want)
	}
	var doc map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"type":       "https://charter.dev/problems/invalid-request",
		"title":      "Invalid request",
		"status":     float64(400),
		"detail":     "The request does not match the contract.",
		"instance":   "/materials/42",
		"request_id": "req-9",
	}
	for k, v := range want {
		if doc[k] != v {
			t.Errorf("%s = %v, want %v", k, doc[k], v)
		}
	}
	errs, _ := doc["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("errors = %v", doc["errors"])
	}
	if e := errs[0].(map[string]any); e["pointer"] != "#/thickness" || e["detail"] != "number must be at most 1000" {
		t.Errorf("errors[0] = %v", e)
	}
}

func TestWriteFillsAZeroProblem(t *testing.T) {
	w := httptest.NewRecorder()
	problem.Write(w, httptest.NewRequest(http.MethodGet, "/", nil), problem.Problem{})
	var p problem.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if w.Code != 500 || p.Status != 500 || p.Type == "" || p.Title == "" {
		t.Errorf("zero problem written as %d %+v", w.Code, p)
	}
	if _, ok := map[string]any{}["errors"]; ok || json.Valid(w.Body.Bytes()) == false {
		t.Error("invalid body")
	}
}

// TestInstanceIsTheEscapedPath holds a problem's instance to the path as
// the request line carried it: what a path decodes to (a NUL, a control
// character, a space) never reaches the document raw.
func TestInstanceIsTheEscapedPath(t *testing.T) {
	tests := []struct{ target, want string }{
		{"/materials/%00", "/materials/%00"},
		{"/materials/%01x%7F", "/materials/%01x%7F"},
		{"/materials/a%20b", "/materials/a%20b"},
		{"/materials/%31", "/materials/%31"},
		{"/materials/1%2F2", "/materials/1%2F2"},
		{"/materials/42?x=%00", "/materials/42"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			w := httptest.NewRecorder()
			problem.Write(w, httptest.NewRequest(http.MethodGet, tt.target, nil), problem.New(http.StatusBadRequest, ""))
			var doc struct{ Instance string }
			if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Instance != tt.want {
				t.Errorf("instance = %q, want %q", doc.Instance, tt.want)
			}
			for _, r := range doc.Instance {
				if r < 0x20 || r == 0x7f {
					t.Errorf("instance %q holds control character %U", doc.Instance, r)
				}
			}
		})
	}
}
