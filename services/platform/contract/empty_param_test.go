package contract_test

import (
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/edge"
)

// emptySpec has query parameters of each kind an empty value (?name=)
// means something different for: a type the empty string is not
// (integer, number, boolean), a string the empty string satisfies or not
// (minLength, pattern, enum), one that allows empty values, and a
// required one.
const emptySpec = `
openapi: 3.0.3
info: {title: empty values, version: "1"}
paths:
  /things:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer, format: int32, minimum: 1}}
        - {name: ratio, in: query, schema: {type: number}}
        - {name: done, in: query, schema: {type: boolean}}
        - {name: q, in: query, schema: {type: string}}
        - {name: name, in: query, schema: {type: string, minLength: 1}}
        - {name: code, in: query, schema: {type: string, pattern: "^[A-Z]+$"}}
        - {name: order, in: query, schema: {type: string, enum: [id, -id]}}
        - {name: page, in: query, allowEmptyValue: true, schema: {type: integer, minimum: 1}}
        - {name: tag, in: query, allowEmptyValue: true, schema: {type: string, minLength: 2}}
        - {name: pad, in: query, schema: {type: string}}
      responses: {"200": {description: ok}}
  /search:
    get:
      parameters:
        - {name: term, in: query, required: true, schema: {type: string}}
        - {name: size, in: query, required: true, schema: {type: integer}}
      responses: {"200": {description: ok}}
`

func emptyStack(t *testing.T) http.Handler {
	t.Helper()
	spec, err := openapi3.NewLoader().LoadFromData([]byte(emptySpec))
	if err != nil {
		t.Fatal(err)
	}
	c, err := contract.New(spec, contract.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ok := func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }
	r := chi.NewRouter()
	r.Group(func(g chi.Router) {
		g.Use(c.Middleware)
		g.Get("/things", ok)
		g.Get("/search", ok)
	})
	return edge.Root(r)
}

// TestEmptyQueryValues holds an empty query value to what OpenAPI 3 makes
// of it: a parameter that is present with the empty string as its value.
// Only a string can be empty, so an empty integer, number or boolean is
// refused (unless the parameter allows empty values, which then mean the
// parameter is unused), and an empty string is valid exactly when its
// schema accepts "". Each case runs on the fast path and, with an escape
// in the query, on the path through openapi3filter: both must agree.
func TestEmptyQueryValues(t *testing.T) {
	h := emptyStack(t)
	cases := []inputCase{
		{name: "an empty integer", target: "/things?limit=", wantStatus: 400, wantPointers: []string{"#/query/limit"}, wantDetail: "must not be empty"},
		{name: "an empty number", target: "/things?ratio=", wantStatus: 400, wantPointers: []string{"#/query/ratio"}, wantDetail: "must not be empty"},
		{name: "an empty boolean", target: "/things?done=", wantStatus: 400, wantPointers: []string{"#/query/done"}, wantDetail: "must not be empty"},
		{name: "an empty string", target: "/things?q=", wantStatus: 200},
		{name: "an empty string with a minimum length", target: "/things?name=", wantStatus: 400, wantPointers: []string{"#/query/name"}},
		{name: "an empty string that misses its pattern", target: "/things?code=", wantStatus: 400, wantPointers: []string{"#/query/code"}},
		{name: "an empty string outside its enum", target: "/things?order=", wantStatus: 400, wantPointers: []string{"#/query/order"}},
		{name: "an empty integer that may be empty", target: "/things?page=", wantStatus: 200},
		{name: "an empty string that may be empty", target: "/things?tag=", wantStatus: 200},
		{name: "an empty required string", target: "/search?term=&size=1", wantStatus: 200},
		{name: "an empty required integer", target: "/search?term=a&size=", wantStatus: 400, wantPointers: []string{"#/query/size"}, wantDetail: "must not be empty"},
		{name: "two empty values", target: "/things?limit=&name=", wantStatus: 400, wantPointers: []string{"#/query/limit", "#/query/name"}},
	}
	for i := range cases {
		cases[i].method = http.MethodGet
	}
	t.Run("fast path", func(t *testing.T) { runInputCases(t, h, cases) })
	escaped := make([]inputCase, len(cases))
	for i, tc := range cases {
		tc.target += "&pad=a%20b"
		escaped[i] = tc
	}
	t.Run("through openapi3filter", func(t *testing.T) { runInputCases(t, h, escaped) })
}
