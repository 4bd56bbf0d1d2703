package quotes_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/services/platform/auth"
)

// TestMalformedInput sends what a careless or hostile client sends and
// checks the problem: its status and a pointer to each invalid field.
// Nothing it sends may change the store or reach materials.
func TestMalformedInput(t *testing.T) {
	f := newFixture(t)
	tok := f.token(t, bob)
	draft := idPath(f.quotes[ownDraft])
	const jsonType = "application/json"
	lineOf := func(fields string) string { return `{"lines":[{` + fields + `}]}` }
	manyLines := `{"lines":[` + strings.Repeat(`{"material_id":1,"quantity":1,"width_mm":1,"height_mm":1},`, 100) +
		`{"material_id":1,"quantity":1,"width_mm":1,"height_mm":1}]}`
	cases := []struct {
		name, method, target, contentType, body string
		status                                  int
		pointers                                []string
	}{
		// Query parameters.
		{name: "a limit that is not a number", method: "GET", target: "/quotes?limit=ten",
			status: 400, pointers: []string{"#/query/limit"}},
		{name: "a limit of zero", method: "GET", target: "/quotes?limit=0",
			status: 400, pointers: []string{"#/query/limit"}},
		{name: "a limit over 100", method: "GET", target: "/quotes?limit=101",
			status: 400, pointers: []string{"#/query/limit"}},
		{name: "a negative offset", method: "GET", target: "/quotes?offset=-1",
			status: 400, pointers: []string{"#/query/offset"}},
		{name: "an unknown ordering", method: "GET", target: "/quotes?ordering=colour",
			status: 400, pointers: []string{"#/query/ordering"}},
		{name: "an ordering on a field that is not sortable", method: "GET", target: "/quotes?ordering=company_id",
			status: 400, pointers: []string{"#/query/ordering"}},
		{name: "an ordering with two dashes", method: "GET", target: "/quotes?ordering=--id",
			status: 400, pointers: []string{"#/query/ordering"}},
		{name: "SQL in the ordering", method: "GET", target: "/quotes?ordering=id;DROP%20TABLE%20quotes",
			status: 400, pointers: []string{"#/query/ordering"}},
		{name: "an unknown state", method: "GET", target: "/quotes?state=open",
			status: 400, pointers: []string{"#/query/state"}},
		{name: "several invalid parameters at once", method: "GET", target: "/quotes?limit=0&offset=-1&state=x",
			status: 400, pointers: []string{"#/query/limit", "#/query/offset", "#/query/state"}},

		// Path parameters.
		{name: "an ID that is not a number", method: "GET", target: "/quotes/steel",
			status: 400, pointers: []string{"#/path/quote_id"}},
		{name: "an ID of zero", method: "DELETE", target: "/quotes/0",
			status: 400, pointers: []string{"#/path/quote_id"}},
		{name: "an ID beyond int64", method: "POST", target: "/quotes/99999999999999999999/submit",
			status: 400, pointers: []string{"#/path/quote_id"}},
		{name: "a negative ID", method: "POST", target: "/quotes/-1/accept",
			status: 400, pointers: []string{"#/path/quote_id"}},
		{name: "a fractional ID", method: "PUT", target: "/quotes/1.5/lines", contentType: jsonType, body: validLines,
			status: 400, pointers: []string{"#/path/quote_id"}},

		// Bodies.
		{name: "a body that is not JSON", method: "POST", target: "/quotes", contentType: jsonType, body: `{"lines":`,
			status: 400, pointers: []string{"#"}},
		{name: "a JSON array for an object", method: "POST", target: "/quotes", contentType: jsonType, body: `[1,2]`,
			status: 400, pointers: []string{"#"}},
		{name: "JSON null", method: "PUT", target: draft + "/lines", contentType: jsonType, body: `null`,
			status: 400, pointers: []string{"#"}},
		{name: "no body on create", method: "POST", target: "/quotes", contentType: jsonType,
			status: 400, pointers: []string{"#"}},
		{name: "no body on replacing lines", method: "PUT", target: draft + "/lines", contentType: jsonType,
			status: 400, pointers: []string{"#"}},
		{name: "null lines", method: "POST", target: "/quotes", contentType: jsonType, body: `{"lines":null}`,
			status: 400, pointers: []string{"#/lines"}},
		{name: "replacing lines without lines", method: "PUT", target: draft + "/lines", contentType: jsonType, body: `{}`,
			status: 400, pointers: []string{"#/lines"}},
		{name: "an unknown property", method: "POST", target: "/quotes", contentType: jsonType, body: `{"colour":"red"}`,
			status: 400, pointers: []string{"#/colour"}},
		{name: "a company when replacing lines", method: "PUT", target: draft + "/lines", contentType: jsonType,
			body: `{"lines":[],"company_id":8}`, status: 400, pointers: []string{"#/company_id"}},
		{name: "a company_id of zero", method: "POST", target: "/quotes", contentType: jsonType, body: `{"company_id":0}`,
			status: 400, pointers: []string{"#/company_id"}},
		{name: "a company_id as a string", method: "POST", target: "/quotes", contentType: jsonType, body: `{"company_id":"7"}`,
			status: 400, pointers: []string{"#/company_id"}},
		{name: "a fractional company_id", method: "POST", target: "/quotes", contentType: jsonType, body: `{"company_id":7.5}`,
			status: 400, pointers: []string{"#/company_id"}},
		{name: "a line without its fields", method: "POST", target: "/quotes", contentType: jsonType, body: lineOf(""),
			status: 400, pointers: []string{"#/lines/0/material_id", "#/lines/0/quantity", "#/lines/0/width_mm", "#/lines/0/height_mm"}},
		{name: "a line with a price of its own", method: "POST", target: "/quotes", contentType: jsonType,
			body:   lineOf(`"material_id":1,"quantity":1,"width_mm":100,"height_mm":100,"unit_price":{"amount":1,"currency":"EUR"}`),
			status: 400, pointers: []string{"#/lines/0/unit_price"}},
		{name: "a material ID of zero", method: "PUT", target: draft + "/lines", contentType: jsonType,
			body: lineOf(`"material_id":0,"quantity":1,"width_mm":100,"height_mm":100`), status: 400, pointers: []string{"#/lines/0/material_id"}},
		{name: "a quantity over 10000", method: "POST", target: "/quotes", contentType: jsonType,
			body: lineOf(`"material_id":1,"quantity":10001,"width_mm":100,"height_mm":100`), status: 400, pointers: []string{"#/lines/0/quantity"}},
		{name: "a fractional quantity", method: "PUT", target: draft + "/lines", contentType: jsonType,
			body: lineOf(`"material_id":1,"quantity":2.5,"width_mm":100,"height_mm":100`), status: 400, pointers: []string{"#/lines/0/quantity"}},
		{name: "a quantity as a string", method: "POST", target: "/quotes", contentType: jsonType,
			body: lineOf(`"material_id":1,"quantity":"ten","width_mm":100,"height_mm":100`), status: 400, pointers: []string{"#/lines/0/quantity"}},
		{name: "a width of zero", method: "PUT", target: draft + "/lines", contentType: jsonType,
			body: lineOf(`"material_id":1,"quantity":1,"width_mm":0,"height_mm":100`), status: 400, pointers: []string{"#/lines/0/width_mm"}},
		{name: "a height over 10000 mm", method: "POST", target: "/quotes", contentType: jsonType,
			body: lineOf(`"material_id":1,"quantity":1,"width_mm":100,"height_mm":10001`), status: 400, pointers: []string{"#/lines/0/height_mm"}},
		{name: "a height beyond int32", method: "PUT", target: draft + "/lines", contentType: jsonType,
			body: lineOf(`"material_id":1,"quantity":1,"width_mm":100,"height_mm":4294967296`), status: 400, pointers: []string{"#/lines/0/height_mm"}},
		{name: "101 lines", method: "PUT", target: draft + "/lines", contentType: jsonType, body: manyLines,
			status: 400, pointers: []string{"#/lines"}},

		// Media types and sizes.
		{name: "a form body", method: "POST", target: "/quotes", contentType: "application/x-www-form-urlencoded",
			body: "company_id=7", status: 415},
		{name: "a body without a media type", method: "PUT", target: draft + "/lines", body: validLines, status: 415},
		{name: "a body over the limit", method: "POST", target: "/quotes", contentType: jsonType, body: overLimit, status: 413},
	}
	before := stored(t, f.repo)
	calls := f.materials.calls.Load()
	for _, c := range cases {
		t.Run("refuses "+c.name, func(t *testing.T) {
			res, body := f.do(t, c.method, c.target, tok, c.contentType, c.body)
			p := assertProblem(t, res, body, c.status)
			if got, want := p.pointers(), c.pointers; !equalStrings(got, want) {
				t.Errorf("pointers = %q, want %q", got, want)
			}
			for _, e := range p.Errors {
				if e.Detail == "" {
					t.Errorf("the error at %s does not say what is wrong", e.Pointer)
				}
			}
			if c.status == http.StatusUnsupportedMediaType && !strings.Contains(res.Header.Get("Accept"), "application/json") {
				t.Errorf("Accept = %q, want application/json offered", res.Header.Get("Accept"))
			}
			assertUnchanged(t, f.repo, before)
		})
	}

	t.Run("refuses a body over the limit sent without a length", func(t *testing.T) {
		// A reader of unknown length makes the client send the body in
		// chunks, so that only reading it finds it too large.
		req, err := http.NewRequest(http.MethodPut, f.url+draft+"/lines", io.MultiReader(strings.NewReader(overLimit)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", jsonType)
		res, body := send(t, f.http, req)
		if got := req.ContentLength; got != 0 {
			t.Fatalf("the request announced %d bytes", got)
		}
		assertProblem(t, res, body, http.StatusRequestEntityTooLarge)
		assertUnchanged(t, f.repo, before)
	})
	t.Run("accepts a valid ordering and state after the refusals", func(t *testing.T) {
		o, state := api.QuoteOrdering("-created_at"), api.Draft
		r, err := f.client.ListQuotesWithResponse(context.Background(), &api.ListQuotesParams{Ordering: &o, State: &state}, bearer(tok))
		must(t, err)
		if got, want := r.StatusCode(), http.StatusOK; got != want {
			t.Fatalf("status = %d, want %d: %s", got, want, r.Body)
		}
		if got, want := r.JSON200.Count, int64(len(f.quotes)-4); got != want { // all but the missing, zero, submitted and other company's
			t.Errorf("count = %d, want %d", got, want)
		}
	})
	if got := f.materials.calls.Load(); got != calls {
		t.Errorf("malformed requests called materials %d times", got-calls)
	}
}

// TestRouting checks what the router answers outside the operations.
func TestRouting(t *testing.T) {
	f := newFixture(t)
	tok := f.token(t, ada)
	draft := idPath(f.quotes[ownDraft])
	cases := []struct {
		name, method, target string
		status               int
		allow                string
	}{
		{"an unknown path is not found", "GET", "/quotez", 404, ""},
		{"a path below a quote is not found", "GET", draft + "/history", 404, ""},
		{"an unknown path is not found without a token either", "DELETE", "/nothing/here", 404, ""},
		{"deleting the collection is not allowed", "DELETE", "/quotes", 405, "GET, POST"},
		{"patching a quote is not allowed", "PATCH", draft, 405, "GET, DELETE"},
		{"reading the lines alone is not allowed", "GET", draft + "/lines", 405, "PUT"},
		{"reading a submission is not allowed", "GET", draft + "/submit", 405, "POST"},
		{"deleting an acceptance is not allowed", "DELETE", draft + "/accept", 405, "POST"},
	}
	before := stored(t, f.repo)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, body := f.do(t, c.method, c.target, tok, "", "")
			assertProblem(t, res, body, c.status)
			if got, want := res.Header.Get("Allow"), c.allow; got != want {
				t.Errorf("Allow = %q, want %q", got, want)
			}
			assertUnchanged(t, f.repo, before)
		})
	}
}

// TestPublicKeyTokens runs both services with only an Ed25519 public key:
// tokens signed with the private key, the one quotes calls materials
// with included, work end to end, and an HS256 token, whatever its
// secret, is refused.
func TestPublicKeyTokens(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	verify := auth.Config{Issuer: "idp.example", Audience: "charter", PublicKeys: map[string]crypto.PublicKey{"k1": pub}}
	sign := auth.Config{Issuer: "idp.example", Audience: "charter", SigningKey: priv, SigningKeyID: "k1"}
	s := startSystem(t, withAuth(verify, sign))

	q := s.submit(t, bob, s.draft(t, bob, line(s.catalogue.steel, 1, 1000, 1000)).Id)
	if q.Total == nil || q.Total.Amount != 12000 {
		t.Errorf("submitted %+v, want priced at 120.00 EUR", q)
	}
	if got := s.get(t, ada, q.Id); got.State != api.Submitted {
		t.Errorf("staff read %+v", got)
	}

	hs, err := auth.NewSigner(auth.Config{Issuer: "idp.example", Audience: "charter", HMACSecret: []byte(testSecret)})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := hs.Sign(ada, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	res, body := s.do(t, "GET", "/quotes", tok, "", "")
	assertProblem(t, res, body, http.StatusUnauthorized)
}
