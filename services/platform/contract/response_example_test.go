package contract_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/problem"
)

// In Strict mode a handler whose response breaks the contract answers
// 500, naming what broke; here the body lacks the required name.
func ExampleContract_ValidateResponses() {
	spec, err := openapi3.NewLoader().LoadFromData([]byte(thingsSpec))
	if err != nil {
		panic(err)
	}
	c, err := contract.New(spec, contract.Options{Logger: discardLogger()})
	if err != nil {
		panic(err)
	}
	r := chi.NewRouter()
	r.Group(func(g chi.Router) {
		g.Use(c.Middleware, c.ValidateResponses(contract.ResponseCheck{
			Mode: contract.Strict,
			OnViolation: func(operationID string, err error) {
				fmt.Println("violation in", operationID)
			},
		}))
		g.Get("/things/{id}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":1}`))
		})
	})

	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/things/1", nil))
	var p problem.Problem
	_ = json.Unmarshal(w.Body.Bytes(), &p)
	fmt.Println(w.Code, p.Detail)
	fmt.Println(c.ResponseViolations(), "violation counted")
	// Output:
	// violation in getThing
	// 500 The response of getThing broke the contract: response body doesn't match schema #/components/schemas/Thing (#/name: property "name" is missing).
	// 1 violation counted
}
