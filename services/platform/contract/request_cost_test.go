package contract_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/services/platform/contract"
)

// The cost of refusing a request must not grow faster than the request:
// a body under the limit made of thousands of unknown properties once cost
// seconds of CPU, most of it in joining one field error per property.
// These tests count work rather than time it: the entries of the answer,
// the calls into a format validator, whether the handler ran.

func TestManyInvalidFields(t *testing.T) {
	h := newStack(t, discardLogger())
	t.Run("a body of unknown properties lists the first 20 and says the rest were left out", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"name":"a","quality":"b","thickness":1`)
		n := 0
		for ; b.Len() < bodyLimit-16; n++ {
			fmt.Fprintf(&b, `,"k%03d":1`, n)
		}
		b.WriteString("}")
		p := send(t, h, http.MethodPost, "/materials", b.String())
		checkCapped(t, p, n)
		if got, want := (*p.Errors)[0].Pointer, "#/k000"; got != want {
			t.Errorf("first pointer = %q, want %q", got, want)
		}
	})
	t.Run("a query of broken pairs lists the first 20", func(t *testing.T) {
		var q strings.Builder
		q.WriteString("/materials?limit=20")
		n := 0
		for ; n < 200; n++ {
			fmt.Fprintf(&q, "&p%03d;x=1", n)
		}
		p := send(t, h, http.MethodGet, q.String(), "")
		checkCapped(t, p, n)
	})
	t.Run("a few invalid fields are all listed, with no note", func(t *testing.T) {
		p := send(t, h, http.MethodPost, "/materials", `{"thickness":1,"foo":1}`)
		if p.Errors == nil || len(*p.Errors) != 3 {
			t.Fatalf("errors = %v, want 3", p.Errors)
		}
		if strings.Contains(*p.Detail, "first") {
			t.Errorf("detail %q speaks of omitted fields", *p.Detail)
		}
	})
}

// checkCapped holds p to listing contract.MaxFieldErrors of the n invalid
// fields of a request, and to saying that it left some out.
func checkCapped(t *testing.T, p shared.Problem, n int) {
	t.Helper()
	if n <= 20 {
		t.Fatalf("the request has %d invalid fields, too few to test the cap", n)
	}
	if p.Errors == nil || len(*p.Errors) != 20 {
		got := 0
		if p.Errors != nil {
			got = len(*p.Errors)
		}
		t.Fatalf("the problem lists %d of %d invalid fields, want 20", got, n)
	}
	if p.Detail == nil || !strings.Contains(*p.Detail, "first 20") {
		t.Errorf("detail does not say that only the first 20 are listed: %v", p.Detail)
	}
}

// send sends a request with the write token and returns the 400 problem.
func send(t *testing.T, h http.Handler, method, target, body string) shared.Problem {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+writeToken)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400: %s", w.Code, w.Body)
	}
	var p shared.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("not a problem: %v: %s", err, w.Body)
	}
	return p
}

// countedSpec has one operation whose body's property "a" has a format
// whose validator counts its calls: both the compiled check and
// kin-openapi call it, so the count tells which of them ran.
const countedSpec = `
openapi: 3.0.3
info: {title: counted, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                a: {type: string, format: x-counted}
      responses:
        "204": {description: created}
`

// counted is the validator of the x-counted format. A format validator
// is global to kin-openapi, so it is defined once, before any test runs,
// and the tests that use it do not run in parallel.
var counted struct {
	calls atomic.Int64
	// onCall runs at each call, with the call's number.
	onCall func(n int64)
}

func init() {
	openapi3.DefineStringFormatValidator("x-counted", openapi3.NewCallbackValidator(func(string) error {
		n := counted.calls.Add(1)
		if counted.onCall != nil {
			counted.onCall(n)
		}
		return nil
	}))
}

func TestValidationStopsWhenTheRequestEnds(t *testing.T) {
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData([]byte(countedSpec))
	if err != nil {
		t.Fatal(err)
	}
	c, err := contract.New(spec, contract.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	var handled atomic.Int64
	r := chi.NewRouter()
	r.Group(func(g chi.Router) {
		g.Use(c.Middleware)
		g.Post("/things", func(w http.ResponseWriter, r *http.Request) {
			handled.Add(1)
			w.WriteHeader(http.StatusNoContent)
		})
	})

	cases := []struct {
		name string
		body string
		// cancelAt is the call of the format validator at which the
		// request's context ends; 0 ends it before the request is sent.
		cancelAt int64
		// wantCalls is how many times the validator may run in all.
		wantCalls int64
	}{
		{name: "ended before: no validation at all", body: `{"a":"x"}`, cancelAt: 0, wantCalls: 0},
		{name: "ended during the compiled check of a valid body: the handler does not run", body: `{"a":"x"}`, cancelAt: 1, wantCalls: 1},
		{name: "ended during the compiled check of an invalid body: kin-openapi does not run", body: `{"a":"x","b":1}`, cancelAt: 1, wantCalls: 1},
		{name: "ended during kin-openapi's walk: no problem listing the fields", body: `{"b":1,"a":"x"}`, cancelAt: 1, wantCalls: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			counted.calls.Store(0)
			handled.Store(0)
			counted.onCall = func(n int64) {
				if n == tc.cancelAt {
					cancel()
				}
			}
			defer func() { counted.onCall = nil }()
			if tc.cancelAt == 0 {
				cancel()
			}
			req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/things", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)

			if got := counted.calls.Load(); got > tc.wantCalls {
				t.Errorf("the format validator ran %d times, want at most %d", got, tc.wantCalls)
			}
			if handled.Load() != 0 {
				t.Error("the handler ran for a request whose context had ended")
			}
			if w.Code == http.StatusBadRequest || w.Code < 400 {
				t.Errorf("status = %d after the request ended, want neither a success nor a 400 that validated it: %s", w.Code, w.Body)
			}
			if !errors.Is(ctx.Err(), context.Canceled) {
				t.Fatal("the test did not cancel the request")
			}
		})
	}
}
