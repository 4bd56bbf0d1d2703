package contract_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/services/platform/contract"
)

// The 400 or 413 the contract answers after accepting a request, when the
// generated code cannot bind a parameter or decode a body, is a refusal
// like those before acceptance: not checked, even where the operation
// does not document it (getThing and createThing document no 400).
func TestRefusalAfterAcceptanceIsNotChecked(t *testing.T) {
	refusals := []struct {
		name, method, target string
		refuse               func(c *contract.Contract, w http.ResponseWriter, r *http.Request)
		want                 int
	}{
		{"a parameter the binding refuses", "GET", "/things/1", func(c *contract.Contract, w http.ResponseWriter, r *http.Request) {
			c.ParamError(w, r, errors.New("bind: id"))
		}, http.StatusBadRequest},
		{"a body the decoder refuses", "POST", "/things", func(c *contract.Contract, w http.ResponseWriter, r *http.Request) {
			c.RequestError(w, r, errors.New("decode"))
		}, http.StatusBadRequest},
		{"a body over the limit", "POST", "/things", func(c *contract.Contract, w http.ResponseWriter, r *http.Request) {
			c.RequestError(w, r, &http.MaxBytesError{Limit: 10})
		}, http.StatusRequestEntityTooLarge},
	}
	for _, order := range checkOrders {
		for _, tt := range refusals {
			t.Run(order.name+"/"+tt.name, func(t *testing.T) {
				var got violations
				var c *contract.Contract
				var h http.Handler
				h, c = things(t, discardLogger(), contract.ResponseCheck{Mode: contract.Strict, OnViolation: got.record}, order.checkFirst,
					func(w http.ResponseWriter, r *http.Request) { tt.refuse(c, w, r) })
				w := serveCase(h, responseCase{method: tt.method, target: tt.target})
				assertProblem(t, w, tt.want)
				if len(got.err) > 0 {
					t.Errorf("the refusal was checked: %q", got.err)
				}
			})
		}
	}
}

// The problems the platform writes deliberately, refusals included, match
// the Problem schema the materials contract documents for their status:
// every answer of the HTTP cases is validated, outside the stack, against
// its operation's documented response.
func TestPlatformProblemsMatchTheProblemSchema(t *testing.T) {
	spec, err := materials.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	router, err := legacy.NewRouter(spec)
	if err != nil {
		t.Fatal(err)
	}
	h := newStack(t, discardLogger())
	checked := 0
	for _, tc := range httpCases {
		if tc.wantStatus < 400 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			if tc.token != "" && !strings.HasPrefix(tc.token, "Basic ") {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			route, params, err := router.FindRoute(httptest.NewRequest(tc.method, tc.target, nil))
			if err != nil {
				return // no operation: a 404 or 405 of the router
			}
			if route.Operation.Responses.Status(w.Code) == nil {
				return // a status the operation leaves to the platform
			}
			checked++
			err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
				Status:                 w.Code,
				Header:                 w.Header(),
				Body:                   io.NopCloser(bytes.NewReader(w.Body.Bytes())),
			})
			if err != nil {
				t.Errorf("%d answer breaks the contract: %v", w.Code, err)
			}
		})
	}
	if checked < 10 {
		t.Errorf("only %d answers were checked", checked)
	}
}
