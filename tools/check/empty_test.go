package check_test

import (
	"net/http"
	"testing"

	"github.com/charterhq/charter/tools/check"
)

// emptySpec has a query parameter that allows empty values: ?page= means
// no page, though no integer is written empty.
var emptySpec = []byte(`
openapi: 3.0.3
info: {title: reports, version: "1"}
paths:
  /reports:
    get:
      operationId: listReports
      parameters:
        - {name: page, in: query, allowEmptyValue: true, schema: {type: integer, minimum: 1}}
      responses:
        "200": {description: Reports.}
        "400": {description: Bad request.}
`)

// emptyServer answers 400 to a page that is not a positive integer;
// with refuseEmpty, also to an empty one, which the spec allows.
func emptyServer(refuseEmpty bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		q := r.URL.Query()
		if p := q.Get("page"); q.Has("page") && (p == "" && refuseEmpty || p != "" && !positive(p)) {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

func positive(s string) bool {
	if s == "" || s[0] == '0' {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// TestAllowedEmptyValueIsSent: an empty value of a parameter that allows
// it is a valid request, which a server refusing it fails.
func TestAllowedEmptyValueIsSent(t *testing.T) {
	doc, err := check.LoadSpec(emptySpec)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Execute(doc, check.Handler(emptyServer(false)))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed() {
		t.Fatalf("a server that takes ?page= failed: %v", rep.Failures)
	}
	rep, err = check.Execute(doc, check.Handler(emptyServer(true)))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Check != check.ValidAccepted {
		t.Fatalf("seed %d: want one valid_accepted failure, got %v", rep.Seed, rep.Failures)
	}
	if got := rep.Failures[0].Requests[0].Target; got != "/reports?page=" {
		t.Errorf("seed %d: shrunk to %s, want /reports?page=", rep.Seed, got)
	}
}
