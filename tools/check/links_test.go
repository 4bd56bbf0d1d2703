package check_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/charterhq/charter/tools/check"
)

// linkedSpec names its ids "key" and links create to get: without the
// link, nothing would tell the checker which field identifies a thing.
const linkedSpec = `
openapi: 3.0.3
info: {title: Things, version: "1"}
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
              required: [label]
              properties:
                label: {type: string, maxLength: 5}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema:
                type: object
                required: [key]
                properties:
                  key: {type: string}
          links:
            GetThing:
              operationId: getThing
              parameters:
                thing_key: $response.body#/key
        "400": {description: Bad input.}
  /things/{thing_key}:
    get:
      operationId: getThing
      parameters:
        - {name: thing_key, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The thing.
          content:
            application/json:
              schema: {type: object}
        "404": {description: No such thing.}
`

// things serves linkedSpec; with lose set it forgets what it creates.
func things(lose bool) http.Handler {
	var mu sync.Mutex
	stored := map[string]bool{}
	n := 0
	mux := http.NewServeMux()
	mux.HandleFunc("POST /things", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Label *string `json:"label"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Label == nil || len([]rune(*in.Label)) > 5 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		n++
		key := fmt.Sprintf("k%d", n)
		if !lose {
			stored[key] = true
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"key":%q}`, key)
	})
	mux.HandleFunc("GET /things/{key}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ok := stored[r.PathValue("key")]
		mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{}`)
	})
	return mux
}

func TestStatefulRunsFollowLinks(t *testing.T) {
	doc, err := check.LoadSpec([]byte(linkedSpec))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Execute(doc, check.Handler(things(false)), check.WithSeed(plantedSeed))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Fatalf("a server that keeps what it creates failed: %v", rep.Failures)
	}
	if got := rep.Results["createThing"][check.CreateFetchable]; got != check.Passed {
		t.Fatalf("create_fetchable is %v: the link was not followed", got)
	}
	rep, err = check.Execute(doc, check.Handler(things(true)), check.WithSeed(plantedSeed))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Check != check.CreateFetchable {
		t.Fatalf("want one create_fetchable failure, got %v", rep.Failures)
	}
	if got := rep.Failures[0].Requests[1].Target; !strings.HasPrefix(got, "/things/k") {
		t.Errorf("fetched %s, not the linked key", got)
	}
}
