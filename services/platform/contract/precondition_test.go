package contract_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/edge"
)

// lockedSpec is a small contract whose PUT declares If-Match required and
// whose DELETE declares it optional.
const lockedSpec = `
openapi: 3.0.3
info: {title: Locked, version: 1.0.0}
paths:
  /locks/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    put:
      operationId: replaceLock
      parameters:
        - {name: If-Match, in: header, required: true, schema: {type: string, minLength: 1}}
      responses:
        "200": {description: replaced}
        "428": {description: If-Match is required}
    delete:
      operationId: deleteLock
      parameters:
        - {name: If-Match, in: header, schema: {type: string, minLength: 1}}
      responses:
        "204": {description: deleted}
`

// TestRequiredIfMatch checks that a write whose spec declares If-Match
// required is answered 428 without it, before the handler runs, and that
// an optional If-Match changes nothing.
func TestRequiredIfMatch(t *testing.T) {
	spec, err := openapi3.NewLoader().LoadFromData([]byte(lockedSpec))
	if err != nil {
		t.Fatal(err)
	}
	c, err := contract.New(spec, contract.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	served := 0
	ok := func(w http.ResponseWriter, r *http.Request) { served++; w.WriteHeader(http.StatusOK) }
	r := chi.NewRouter()
	r.Group(func(g chi.Router) {
		g.Use(c.Middleware)
		g.Put("/locks/{id}", ok)
		g.Delete("/locks/{id}", ok)
	})
	h := edge.Root(r)

	for _, tc := range []struct {
		name, method, ifMatch string
		want                  int
	}{
		{"a required If-Match left out is answered 428", http.MethodPut, "", http.StatusPreconditionRequired},
		{"a required If-Match given reaches the handler", http.MethodPut, `"1"`, http.StatusOK},
		{"an empty required If-Match is invalid, not missing", http.MethodPut, "-", http.StatusBadRequest},
		{"an optional If-Match left out reaches the handler", http.MethodDelete, "", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := served
			req := httptest.NewRequest(tc.method, "/locks/1", strings.NewReader(""))
			switch tc.ifMatch {
			case "":
			case "-":
				req.Header["If-Match"] = []string{""}
			default:
				req.Header.Set("If-Match", tc.ifMatch)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.want, w.Body)
			}
			if reached := served > before; reached != (tc.want == http.StatusOK) {
				t.Errorf("the handler ran: %v", reached)
			}
			if tc.want == http.StatusPreconditionRequired {
				if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type = %q, want application/problem+json", ct)
				}
				var p struct {
					Type   string `json:"type"`
					Status int    `json:"status"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Status != http.StatusPreconditionRequired {
					t.Errorf("problem %s: %v", w.Body, err)
				}
			}
		})
	}
}
