package check_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/charterhq/charter/tools/check"
)

// pagedSpec is a small API whose list pages the way style says: by a
// cursor the page names (cursor), by a page number (page) or by a Link
// header to the next page (link), each with a page size of its own name.
func pagedSpec(style string) []byte {
	params, extra, headers := "", "", ""
	switch style {
	case "cursor":
		params = `
        - {name: cursor, in: query, schema: {type: string, minLength: 1}}
        - {name: max_results, in: query, schema: {type: integer, minimum: 1, maximum: 10, default: 5}}`
		extra = `
                  next_cursor: {type: string, nullable: true}`
	case "page":
		params = `
        - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}
        - {name: per_page, in: query, schema: {type: integer, minimum: 1, maximum: 10, default: 5}}`
		extra = `
                  total: {type: integer}`
	case "link":
		params = `
        - {name: marker, in: query, schema: {type: integer, minimum: 0}}
        - {name: page_size, in: query, schema: {type: integer, minimum: 1, maximum: 10, default: 5}}`
		headers = `
          headers:
            Link: {schema: {type: string}}`
	}
	return []byte(`
openapi: 3.0.3
info: {title: things, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:` + params + `
      responses:
        "200":
          description: A page of things.` + headers + `
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {type: array, items: {$ref: "#/components/schemas/Thing"}}` + extra + `
        "400": {description: Bad request.}
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string, maxLength: 5}}}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        "400": {description: Bad request.}
  /things/{thing_id}:
    get:
      operationId: getThing
      parameters:
        - {name: thing_id, in: path, required: true, schema: {type: integer, minimum: 1}}
      responses:
        "200":
          description: The thing.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        "400": {description: Bad request.}
        "404": {description: Not found.}
components:
  schemas:
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
`)
}

// pagedServer serves pagedSpec(style); with skip, each page after the
// first starts one thing late, so that a walk misses one at each break.
// It checks no input, so the test runs pages_complete alone.
func pagedServer(style string, skip bool) http.Handler {
	var mu sync.Mutex
	var things []map[string]any
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("POST /things", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Name string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			reply(w, http.StatusBadRequest, map[string]any{})
			return
		}
		mu.Lock()
		t := map[string]any{"id": len(things) + 1, "name": in.Name}
		things = append(things, t)
		mu.Unlock()
		reply(w, http.StatusCreated, t)
	})
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.Atoi(r.PathValue("id"))
		mu.Lock()
		defer mu.Unlock()
		if id < 1 || id > len(things) {
			reply(w, http.StatusNotFound, map[string]any{})
			return
		}
		reply(w, http.StatusOK, things[id-1])
	})
	mux.HandleFunc("GET /things", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		num := func(name string, def int) int {
			if n, err := strconv.Atoi(q.Get(name)); err == nil {
				return n
			}
			return def
		}
		mu.Lock()
		all := append([]map[string]any{}, things...)
		mu.Unlock()
		start, size := 0, 5
		late := 0
		if skip {
			late = 1
		}
		switch style {
		case "cursor":
			size = num("max_results", 5)
			if c := q.Get("cursor"); c != "" {
				start = num("cursor", 0) + late
			}
		case "page":
			size = num("per_page", 5)
			if p := num("page", 1); p > 1 {
				start = (p-1)*size + late
			}
		case "link":
			size = num("page_size", 5)
			if q.Has("marker") {
				start = num("marker", 0) + late
			}
		}
		end := min(start+size, len(all))
		start = min(start, end)
		page := map[string]any{"items": all[start:end]}
		more := end < len(all)
		switch style {
		case "cursor":
			page["next_cursor"] = nil
			if more {
				page["next_cursor"] = strconv.Itoa(end)
			}
		case "page":
			page["total"] = len(all)
		case "link":
			if more {
				w.Header().Set("Link", fmt.Sprintf(`<http://things.example/things?marker=%d&page_size=%d>; rel="next"`, end, size))
			}
		}
		reply(w, http.StatusOK, page)
	})
	return mux
}

// TestPagesCompleteFollowsEveryPagingStyle walks lists that page by a
// cursor, by a page number and by Link headers: each passes as served,
// and a server whose pages after the first start one item late fails
// pages_complete on its list.
func TestPagesCompleteFollowsEveryPagingStyle(t *testing.T) {
	for _, style := range []string{"cursor", "page", "link"} {
		t.Run(style, func(t *testing.T) {
			doc, err := check.LoadSpec(pagedSpec(style))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := check.Execute(doc, check.Handler(pagedServer(style, false)), check.WithSeed(plantedSeed),
				check.WithChecks(check.PagesComplete))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Failed() {
				t.Fatalf("a server that pages right failed: %v", rep.Failures)
			}
			if got := rep.Results["listThings"][check.PagesComplete]; got != check.Passed {
				t.Fatalf("pages_complete on listThings: %v, want passed", got)
			}
			rep, err = check.Execute(doc, check.Handler(pagedServer(style, true)), check.WithSeed(plantedSeed),
				check.WithChecks(check.PagesComplete))
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Failures) != 1 || rep.Failures[0].Check != check.PagesComplete || rep.Failures[0].Operation != "listThings" {
				t.Fatalf("want one pages_complete failure on listThings, got %v", rep.Failures)
			}
			f := rep.Failures[0]
			if len(f.Requests) < 2 || !strings.HasPrefix(f.Requests[len(f.Requests)-1].Target, "/things?") {
				t.Errorf("the reproduction does not end with a walk through the pages:\n%s", f)
			}
		})
	}
}
