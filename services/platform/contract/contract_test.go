package contract_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/problem"
)

const validBody = `{"name":"10 mm Steel","quality":"steel","thickness":10}`

type httpCase struct {
	name        string
	method      string
	target      string
	token       string
	contentType string
	body        string
	chunked     bool // send the body without a Content-Length

	wantStatus   int
	wantPointers []string          // exact, in order; nil for no errors entry
	wantHeader   map[string]string // exact values
	wantDetail   string            // a substring of detail
}

var httpCases = []httpCase{
	// Valid requests pass through to the generated handler.
	{name: "get", method: "GET", target: "/materials/42", token: readToken, wantStatus: 200},
	// An escape the path did not need: chi matches the escaped path, and
	// the id is still 42, as the generated binding reads it.
	{name: "get with an escaped id", method: "GET", target: "/materials/%342", token: readToken, wantStatus: 200},
	{name: "get with an escaped non-number", method: "GET", target: "/materials/4%2A", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/path/material_id"}},
	{name: "list with every parameter", method: "GET", target: "/materials?limit=100&offset=0&ordering=-thickness&is_active=false", token: readToken, wantStatus: 200},
	{name: "create", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", body: validBody, wantStatus: 201},
	{name: "create with charset", method: "POST", target: "/materials", token: writeToken, contentType: "application/json; charset=utf-8", body: validBody, wantStatus: 201},
	{name: "update", method: "PUT", target: "/materials/42", token: writeToken, contentType: "application/json", body: `{"name":"a","quality":"b","thickness":1,"is_active":true}`, wantStatus: 200},
	{name: "delete", method: "DELETE", target: "/materials/42", token: writeToken, wantStatus: 204},

	// Authentication.
	{name: "no token", method: "GET", target: "/materials/42", wantStatus: 401,
		wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="charter"`}},
	{name: "not a bearer token", method: "GET", target: "/materials/42", token: "Basic dTpw", wantStatus: 401,
		wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="charter"`}},
	{name: "expired token", method: "GET", target: "/materials/42", token: expiredToken, wantStatus: 401,
		wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="charter", error="invalid_token", error_description="The bearer token has expired."`},
		wantDetail: "The bearer token has expired."},
	{name: "garbage token", method: "GET", target: "/materials/42", token: "x.y.z", wantStatus: 401,
		wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="charter", error="invalid_token", error_description="The bearer token is not valid."`}},
	{name: "missing scope", method: "DELETE", target: "/materials/42", token: readToken, wantStatus: 403,
		wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="charter", error="insufficient_scope", scope="materials:write"`},
		wantDetail: "materials:write"},
	{name: "no token beats a malformed parameter", method: "GET", target: "/materials?limit=abc", wantStatus: 401},
	{name: "no token beats a bad body", method: "POST", target: "/materials", contentType: "text/plain", body: "x", wantStatus: 401},

	// Parameters.
	{name: "path id is not an integer", method: "GET", target: "/materials/abc", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/path/material_id"}, wantDetail: "does not match"},
	{name: "path id below minimum", method: "GET", target: "/materials/0", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/path/material_id"}},
	{name: "path id out of int64 range", method: "DELETE", target: "/materials/99999999999999999999", token: writeToken, wantStatus: 400,
		wantPointers: []string{"#/path/material_id"}},
	{name: "limit is not an integer", method: "GET", target: "/materials?limit=abc", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/query/limit"}},
	{name: "limit out of range", method: "GET", target: "/materials?limit=1000", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/query/limit"}},
	{name: "limit beyond int32", method: "GET", target: "/materials?limit=99999999999", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/query/limit"}},
	{name: "every invalid parameter at once", method: "GET", target: "/materials?limit=0&offset=-1&ordering=bogus&is_active=maybe", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/query/limit", "#/query/offset", "#/query/ordering", "#/query/is_active"}},
	{name: "unknown ordering", method: "GET", target: "/materials?ordering=colour", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/query/ordering"}, wantDetail: ""},
	{name: "ordering with a raw semicolon", method: "GET", target: "/materials?ordering=name;DROP%20TABLE", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/query/ordering"}},
	{name: "ordering with an encoded semicolon", method: "GET", target: "/materials?ordering=name%3BDROP%20TABLE", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/query/ordering"}},
	{name: "broken percent-encoding", method: "GET", target: "/materials?ordering=%zz", token: readToken, wantStatus: 400,
		wantPointers: []string{"#/query/ordering"}},

	// Bodies.
	{name: "malformed JSON", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", body: `{"name":`, wantStatus: 400,
		wantPointers: []string{"#"}, wantDetail: ""},
	{name: "trailing garbage after JSON", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", body: validBody + `x`, wantStatus: 400,
		wantPointers: []string{"#"}},
	{name: "wrong types", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", body: `{"name":1,"quality":true,"thickness":"10","company_id":1.5}`, wantStatus: 400,
		wantPointers: []string{"#/company_id", "#/name", "#/quality", "#/thickness"}},
	{name: "out-of-range and empty values", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", body: `{"name":"","quality":"steel","thickness":1001}`, wantStatus: 400,
		wantPointers: []string{"#/name", "#/thickness"}},
	{name: "zero thickness", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", body: `{"name":"a","quality":"b","thickness":0}`, wantStatus: 400,
		wantPointers: []string{"#/thickness"}},
	{name: "missing and unknown properties", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", body: `{"thickness":1,"foo":1}`, wantStatus: 400,
		wantPointers: []string{"#/foo", "#/name", "#/quality"}},
	{name: "not an object", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", body: `[1]`, wantStatus: 400,
		wantPointers: []string{"#"}},
	{name: "empty body", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", wantStatus: 400,
		wantPointers: []string{"#"}},
	{name: "body and parameter errors together", method: "PUT", target: "/materials/0", token: writeToken, contentType: "application/json", body: `{"name":"a","quality":"b","thickness":-1,"is_active":true}`, wantStatus: 400,
		wantPointers: []string{"#/path/material_id", "#/thickness"}},
	{name: "wrong media type", method: "POST", target: "/materials", token: writeToken, contentType: "text/plain", body: validBody, wantStatus: 415,
		wantHeader: map[string]string{"Accept": "application/json"}},
	{name: "no media type", method: "POST", target: "/materials", token: writeToken, body: validBody, wantStatus: 415},
	{name: "form instead of JSON", method: "PUT", target: "/materials/1", token: writeToken, contentType: "application/x-www-form-urlencoded", body: "name=a", wantStatus: 415},
	{name: "oversized body announced", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", body: bigBody(), wantStatus: 413},
	{name: "oversized body streamed", method: "POST", target: "/materials", token: writeToken, contentType: "application/json", body: bigBody(), chunked: true, wantStatus: 413},

	// Routing.
	{name: "unknown route", method: "GET", target: "/nothing/here", token: readToken, wantStatus: 404},
	{name: "wrong method", method: "PATCH", target: "/materials/42", token: writeToken, wantStatus: 405,
		wantHeader: map[string]string{"Allow": "GET, PUT, DELETE"}},
	{name: "wrong method on the collection", method: "DELETE", target: "/materials", token: writeToken, wantStatus: 405,
		wantHeader: map[string]string{"Allow": "GET, POST"}},

	// Failures inside.
	{name: "panic", method: "GET", target: "/materials/666", token: readToken, wantStatus: 500},
	{name: "controller error", method: "GET", target: "/materials/500", token: readToken, wantStatus: 500},
}

// bigBody is valid JSON larger than the stack's body limit.
func bigBody() string {
	return `{"name":"` + strings.Repeat("a", bodyLimit) + `","quality":"steel","thickness":1}`
}

func TestHTTP(t *testing.T) {
	var logs bytes.Buffer
	h := newStack(t, slog.New(slog.NewJSONHandler(&logs, nil)))
	// Twice: the second round gets the remembered verdicts of parameter
	// values and must answer the same.
	for round := range 2 {
		for _, tc := range httpCases {
			t.Run(fmt.Sprintf("%s/%d", tc.name, round), func(t *testing.T) { checkCase(t, h, tc) })
		}
	}
	if !strings.Contains(logs.String(), "material 666 is cursed") {
		t.Error("the panic was not logged")
	}
	if !strings.Contains(logs.String(), "database is locked") {
		t.Error("the controller error was not logged")
	}
}

func checkCase(t *testing.T, h http.Handler, tc httpCase) {
	t.Helper()
	var body io.Reader = strings.NewReader(tc.body)
	if tc.chunked {
		body = io.MultiReader(body) // hides the length from httptest
	}
	req := httptest.NewRequest(tc.method, tc.target, body)
	if tc.chunked {
		req.ContentLength = -1
	}
	if tc.contentType != "" {
		req.Header.Set("Content-Type", tc.contentType)
	}
	switch {
	case strings.HasPrefix(tc.token, "Basic "):
		req.Header.Set("Authorization", tc.token)
	case tc.token != "":
		req.Header.Set("Authorization", "Bearer "+tc.token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)

	if got := w.Code; got != tc.wantStatus {
		t.Fatalf("status = %d, want %d; body %s", got, tc.wantStatus, w.Body)
	}
	for k, want := range tc.wantHeader {
		if got := w.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if tc.wantStatus < 400 {
		return
	}
	if got, want := w.Header().Get("Content-Type"), problem.ContentType; got != want {
		t.Fatalf("content type = %q, want %q", got, want)
	}
	var p shared.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("body is not a problem: %v: %s", err, w.Body)
	}
	if got := int(p.Status); got != tc.wantStatus {
		t.Errorf("problem status = %d, want %d", got, tc.wantStatus)
	}
	if p.Type == "" || p.Title == "" || p.Detail == nil || p.RequestId == nil || *p.RequestId != w.Header().Get("X-Request-Id") {
		t.Errorf("incomplete problem: %s", w.Body)
	}
	var pointers []string
	if p.Errors != nil {
		for _, e := range *p.Errors {
			pointers = append(pointers, e.Pointer)
			if e.Detail == "" {
				t.Errorf("no detail for %s", e.Pointer)
			}
		}
	}
	if !slices.Equal(pointers, tc.wantPointers) {
		t.Errorf("pointers = %q, want %q; body %s", pointers, tc.wantPointers, w.Body)
	}
	if tc.wantDetail != "" && !strings.Contains(w.Body.String(), tc.wantDetail) {
		t.Errorf("body lacks %q: %s", tc.wantDetail, w.Body)
	}
	assertNoLeak(t, w.Body.String())
}

// assertNoLeak fails when a response body shows Go internals.
func assertNoLeak(t *testing.T, body string) {
	t.Helper()
	for _, leak := range []string{"goroutine", ".go:", "runtime.", "*openapi3", "openapi3filter", "strconv.", "json: cannot", "sql:", "map[", "jwt", "kid", "exp 2026", "interface {", "cursed", "locked"} {
		if strings.Contains(body, leak) {
			t.Errorf("body leaks %q: %s", leak, body)
		}
	}
}

func TestNew(t *testing.T) {
	spec, err := materials.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("refuses a secured spec without a verifier", func(t *testing.T) {
		if _, err := contract.New(spec, contract.Options{}); err == nil {
			t.Error("New accepted a secured spec with no Verify")
		}
	})
	t.Run("refuses no spec", func(t *testing.T) {
		if _, err := contract.New(nil, contract.Options{Verify: verify}); err == nil {
			t.Error("New accepted a nil spec")
		}
	})
}
