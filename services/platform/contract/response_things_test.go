package contract_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/services/platform/problem"
)

// thingsSpec is a small contract with what responses can document: a
// body schema with required properties, a required header, an error
// problem, a default response and a response without content.
const thingsSpec = `
openapi: 3.0.3
info: {title: Things, version: 1.0.0}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "201":
          description: Created.
          headers:
            Location: {required: true, schema: {type: string}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
    get:
      operationId: getThing
      responses:
        "200":
          description: The thing.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        "404":
          description: No such thing.
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
    delete:
      operationId: deleteThing
      responses:
        "204": {description: Deleted.}
  /anything:
    get:
      operationId: getAnything
      responses:
        "200":
          description: Anything.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        default:
          description: Any error.
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
components:
  schemas:
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
    Problem:
      type: object
      required: [type, title, status]
      properties:
        type: {type: string, format: uri-reference}
        title: {type: string}
        status: {type: integer, minimum: 100, maximum: 599}
        detail: {type: string}
        instance: {type: string}
        request_id: {type: string}
`

func loadThings(tb testing.TB) *openapi3.T {
	tb.Helper()
	spec, err := openapi3.NewLoader().LoadFromData([]byte(thingsSpec))
	if err != nil {
		tb.Fatal(err)
	}
	return spec
}

// things serves every operation of thingsSpec with h, behind the edge's
// request ID, the contract and its response check, in that order when
// checkFirst is false and with the check in front of the contract
// otherwise.
func things(tb testing.TB, logger *slog.Logger, check contract.ResponseCheck, checkFirst bool, h http.HandlerFunc) (http.Handler, *contract.Contract) {
	tb.Helper()
	c, err := contract.New(loadThings(tb), contract.Options{Logger: logger})
	if err != nil {
		tb.Fatal(err)
	}
	r := chi.NewRouter()
	r.Group(func(g chi.Router) {
		if checkFirst {
			g.Use(c.ValidateResponses(check), c.Middleware)
		} else {
			g.Use(c.Middleware, c.ValidateResponses(check))
		}
		g.Post("/things", h)
		g.Get("/things/{id}", h)
		g.Delete("/things/{id}", h)
		g.Get("/anything", h)
	})
	return edge.Root(r), c
}

// writeJSON answers with a JSON body and the given headers.
func writeJSON(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func writeProblem(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		problem.Write(w, r, problem.New(status, "As the handler says."))
	}
}

// serveCase sends tc's request; a create carries a valid body.
func serveCase(h http.Handler, tc responseCase) *httptest.ResponseRecorder {
	var body *strings.Reader
	if tc.method == http.MethodPost {
		body = strings.NewReader(thing)
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(tc.method, tc.target, body)
	if tc.method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// violations collects what OnViolation is given.
type violations struct {
	mu  sync.Mutex
	ops []string
	err []error
}

func (v *violations) record(op string, err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.ops = append(v.ops, op)
	v.err = append(v.err, err)
}

// checkOrders are the two places the check can take around the contract
// on one chi group: it must judge the same responses whether it is
// mounted after the contract, as documented, or by mistake before it.
var checkOrders = []struct {
	name       string
	checkFirst bool
}{{"after the contract", false}, {"before the contract", true}}
