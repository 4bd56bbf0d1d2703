package contract_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/services/platform/problem"
)

type responseCase struct {
	name           string
	method, target string
	handler        http.HandlerFunc
	// violation is what the response breaks, a substring of the problem's
	// detail in Strict mode; "" for a response that keeps the contract.
	violation string
}

const thing = `{"id":1,"name":"spanner"}`

var responseCases = []responseCase{
	{name: "a documented response", method: "GET", target: "/things/1",
		handler: writeJSON(200, thing, "ETag", `"v1"`)},
	{name: "a documented problem", method: "GET", target: "/things/2", handler: writeProblem(404)},
	{name: "a status a default response covers", method: "GET", target: "/anything", handler: writeProblem(409)},
	{name: "a 204 with no body", method: "DELETE", target: "/things/1",
		handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }},
	{name: "a required header", method: "POST", target: "/things",
		handler: writeJSON(201, thing, "Location", "/things/1")},
	{name: "a refusal by the contract", method: "GET", target: "/things/0",
		// The contract answers 400, which getThing does not document:
		// the contract's refusals are not the operation's responses.
		handler: writeJSON(200, thing)},

	{name: "an undocumented status", method: "GET", target: "/things/1",
		handler: writeJSON(http.StatusTeapot, thing), violation: "status 418 is not documented"},
	{name: "a body missing a required property", method: "GET", target: "/things/1",
		handler: writeJSON(200, `{"id":1}`), violation: `Thing (#/name: property "name" is missing)`},
	{name: "a wrong content type", method: "GET", target: "/things/1",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte(thing))
		}, violation: `Content-Type has unexpected value: "text/plain"`},
	{name: "a missing required header", method: "POST", target: "/things",
		handler: writeJSON(201, thing), violation: `"Location" missing`},
	{name: "a body that is not JSON", method: "GET", target: "/things/1",
		handler: writeJSON(200, `{"id":`), violation: "failed to decode response body"},
	{name: "nothing written where a body is documented", method: "GET", target: "/things/1",
		handler: func(http.ResponseWriter, *http.Request) {}, violation: `Content-Type has unexpected value: ""`},
}

func TestValidateResponses(t *testing.T) {
	for _, order := range checkOrders {
		t.Run(order.name, func(t *testing.T) {
			for _, tc := range responseCases {
				t.Run(tc.name, func(t *testing.T) { testResponseCase(t, tc, order.checkFirst) })
			}
		})
	}
}

func testResponseCase(t *testing.T, tc responseCase, checkFirst bool) {
	off, _ := things(t, discardLogger(), contract.ResponseCheck{}, checkFirst, tc.handler)
	want := serveCase(off, tc)

	t.Run("Off changes nothing", func(t *testing.T) {
		// The reference is the handler behind the contract alone.
		bare, err := contract.New(loadThings(t), contract.Options{Logger: discardLogger()})
		if err != nil {
			t.Fatal(err)
		}
		r := chi.NewRouter()
		r.With(bare.Middleware).HandleFunc(routeOf(tc.target), tc.handler)
		assertSameResponse(t, serveCase(edge.Root(r), tc), want)
	})

	t.Run("Sampled passes the response and reports", func(t *testing.T) {
		var got violations
		h, c := things(t, discardLogger(), contract.ResponseCheck{Mode: contract.Sampled, Rate: 1, OnViolation: got.record}, checkFirst, tc.handler)
		assertSameResponse(t, serveCase(h, tc), want)
		assertReported(t, &got, c, tc)
	})

	t.Run("Strict", func(t *testing.T) {
		var got violations
		var logs bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&logs, nil))
		h, c := things(t, logger, contract.ResponseCheck{Mode: contract.Strict, OnViolation: got.record}, checkFirst, tc.handler)
		w := serveCase(h, tc)
		assertReported(t, &got, c, tc)
		if tc.violation == "" {
			assertSameResponse(t, w, want)
			if logs.Len() > 0 {
				t.Errorf("logged a response that keeps the contract: %s", logs.String())
			}
			return
		}
		p := assertProblem(t, w, http.StatusInternalServerError)
		if !strings.Contains(p.Detail, "broke the contract") || !strings.Contains(p.Detail, tc.violation) {
			t.Errorf("detail = %q, want the violation %q", p.Detail, tc.violation)
		}
		for _, leak := range []string{"spanner", "Schema:", "Value:"} {
			if strings.Contains(w.Body.String(), leak) {
				t.Errorf("the problem shows %q of the response or its schema: %s", leak, w.Body)
			}
		}
		if w.Header().Get("Location") != "" || w.Header().Get("ETag") != "" {
			t.Errorf("the problem kept the handler's headers: %v", w.Header())
		}
		assertLogged(t, logs.Bytes(), w.Header().Get(edge.RequestIDHeader))
	})
}

// routeOf is the chi pattern of thingsSpec's path that target is on.
func routeOf(target string) string {
	if strings.HasPrefix(target, "/things/") {
		return "/things/{id}"
	}
	return target
}

func assertSameResponse(t *testing.T, got, want *httptest.ResponseRecorder) {
	t.Helper()
	if got.Code != want.Code {
		t.Fatalf("status = %d, want %d; body %s", got.Code, want.Code, got.Body)
	}
	// The request IDs differ by request; every other header is the same.
	gh, wh := got.Header().Clone(), want.Header().Clone()
	gh.Del(edge.RequestIDHeader)
	wh.Del(edge.RequestIDHeader)
	if g, w := headerString(gh), headerString(wh); g != w {
		t.Errorf("header = %s, want %s", g, w)
	}
	g := strings.ReplaceAll(got.Body.String(), got.Header().Get(edge.RequestIDHeader), "ID")
	w := strings.ReplaceAll(want.Body.String(), want.Header().Get(edge.RequestIDHeader), "ID")
	if g != w {
		t.Errorf("body = %q, want %q", g, w)
	}
}

func headerString(h http.Header) string {
	var b strings.Builder
	_ = h.Write(&b)
	return b.String()
}

func assertReported(t *testing.T, got *violations, c *contract.Contract, tc responseCase) {
	t.Helper()
	want := 0
	if tc.violation != "" {
		want = 1
	}
	if len(got.ops) != want || c.ResponseViolations() != uint64(want) {
		t.Fatalf("reported %d violations (%q), counted %d; want %d", len(got.ops), got.err, c.ResponseViolations(), want)
	}
	if want == 0 {
		return
	}
	var v *contract.Violation
	if !errors.As(got.err[0], &v) {
		t.Fatalf("OnViolation got %T, want a *contract.Violation", got.err[0])
	}
	if got.ops[0] != v.Operation || v.Operation == "" || v.Status == 0 {
		t.Errorf("violation of %q (%s, status %d) is incomplete", got.ops[0], v.Operation, v.Status)
	}
	if !strings.Contains(v.Error(), tc.violation) {
		t.Errorf("violation = %q, want it to say %q", v.Error(), tc.violation)
	}
}

func assertProblem(t *testing.T, w *httptest.ResponseRecorder, status int) problem.Problem {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d; body %s", w.Code, status, w.Body)
	}
	if got := w.Header().Get("Content-Type"); got != problem.ContentType {
		t.Fatalf("content type = %q, want %q", got, problem.ContentType)
	}
	var p problem.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("body is not a problem: %v: %s", err, w.Body)
	}
	if p.Status != status || p.RequestID == "" || p.RequestID != w.Header().Get(edge.RequestIDHeader) {
		t.Errorf("incomplete problem: %s", w.Body)
	}
	return p
}

// assertLogged finds the error log of a violation, with its operation and
// the request's ID.
func assertLogged(t *testing.T, logs []byte, requestID string) {
	t.Helper()
	for line := range bytes.Lines(logs) {
		var entry map[string]any
		if err := json.Unmarshal(line, &entry); err != nil {
			t.Fatalf("log line is not JSON: %s", line)
		}
		if entry["level"] == "ERROR" && entry["operation"] != "" && entry["operation"] != nil &&
			entry["request_id"] == requestID && entry["violation"] != nil {
			return
		}
	}
	t.Errorf("no error log of the violation with its operation and request ID %q: %s", requestID, logs)
}
