package materials_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/services/platform/auth"
)

// TestMalformedInput sends what a careless or hostile client sends and
// checks the problem: its status and a pointer to each invalid field.
// Nothing it sends may change the store.
func TestMalformedInput(t *testing.T) {
	f := newFixture(t, withBodyLimit(4096))
	tok := f.token(t, staff(readWrite...))
	own := idPath(f.own.Id)
	const jsonType = "application/json"
	cases := []struct {
		name, method, target, contentType, body string
		status                                  int
		pointers                                []string
	}{
		// Query parameters.
		{name: "a limit that is not a number", method: "GET", target: "/materials?limit=ten",
			status: 400, pointers: []string{"#/query/limit"}},
		{name: "a limit of zero", method: "GET", target: "/materials?limit=0",
			status: 400, pointers: []string{"#/query/limit"}},
		{name: "a limit over 100", method: "GET", target: "/materials?limit=101",
			status: 400, pointers: []string{"#/query/limit"}},
		{name: "a limit beyond int32", method: "GET", target: "/materials?limit=99999999999",
			status: 400, pointers: []string{"#/query/limit"}},
		{name: "a fractional limit", method: "GET", target: "/materials?limit=2.5",
			status: 400, pointers: []string{"#/query/limit"}},
		{name: "a negative offset", method: "GET", target: "/materials?offset=-1",
			status: 400, pointers: []string{"#/query/offset"}},
		{name: "an offset over a million", method: "GET", target: "/materials?offset=1000001",
			status: 400, pointers: []string{"#/query/offset"}},
		{name: "an is_active that is not a boolean", method: "GET", target: "/materials?is_active=maybe",
			status: 400, pointers: []string{"#/query/is_active"}},
		{name: "an unknown ordering", method: "GET", target: "/materials?ordering=colour",
			status: 400, pointers: []string{"#/query/ordering"}},
		{name: "an ordering on a column that is not sortable", method: "GET", target: "/materials?ordering=company_id",
			status: 400, pointers: []string{"#/query/ordering"}},
		{name: "an ordering with two dashes", method: "GET", target: "/materials?ordering=--name",
			status: 400, pointers: []string{"#/query/ordering"}},
		{name: "SQL in the ordering", method: "GET", target: "/materials?ordering=name;DROP%20TABLE%20materials",
			status: 400, pointers: []string{"#/query/ordering"}},
		{name: "percent-encoded SQL in the ordering", method: "GET", target: "/materials?ordering=name%3BDROP%20TABLE%20materials",
			status: 400, pointers: []string{"#/query/ordering"}},
		{name: "SQL after a valid ordering", method: "GET", target: "/materials?ordering=name%20DESC%2C%20(SELECT%201)",
			status: 400, pointers: []string{"#/query/ordering"}},
		{name: "several invalid parameters at once", method: "GET", target: "/materials?limit=0&offset=-1&ordering=x",
			status: 400, pointers: []string{"#/query/limit", "#/query/offset", "#/query/ordering"}},

		// Path parameters.
		{name: "an ID that is not a number", method: "GET", target: "/materials/steel",
			status: 400, pointers: []string{"#/path/material_id"}},
		{name: "an ID of zero", method: "GET", target: "/materials/0",
			status: 400, pointers: []string{"#/path/material_id"}},
		{name: "an ID beyond int64", method: "DELETE", target: "/materials/99999999999999999999",
			status: 400, pointers: []string{"#/path/material_id"}},
		{name: "a fractional ID", method: "PUT", target: "/materials/1.5", contentType: jsonType, body: validUpdate,
			status: 400, pointers: []string{"#/path/material_id"}},

		// Bodies.
		{name: "a body that is not JSON", method: "POST", target: "/materials", contentType: jsonType, body: `{"name": "x",`,
			status: 400, pointers: []string{"#"}},
		{name: "a JSON array for an object", method: "POST", target: "/materials", contentType: jsonType, body: `[1,2]`,
			status: 400, pointers: []string{"#"}},
		{name: "JSON null", method: "POST", target: "/materials", contentType: jsonType, body: `null`,
			status: 400, pointers: []string{"#"}},
		{name: "no body on create", method: "POST", target: "/materials", contentType: jsonType,
			status: 400, pointers: []string{"#"}},
		{name: "no body on update", method: "PUT", target: own, contentType: jsonType,
			status: 400, pointers: []string{"#"}},
		{name: "every required field missing", method: "POST", target: "/materials", contentType: jsonType, body: `{}`,
			status: 400, pointers: []string{"#/name", "#/quality", "#/thickness"}},
		{name: "a number for a name", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":5,"quality":"steel","thickness":2,"company_id":7}`,
			status: 400, pointers: []string{"#/name"}},
		{name: "a string for a thickness", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":"thick","company_id":7}`,
			status: 400, pointers: []string{"#/thickness"}},
		{name: "a string for is_active", method: "PUT", target: own, contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"is_active":"yes"}`,
			status: 400, pointers: []string{"#/is_active"}},
		{name: "a company_id that is not an integer", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"company_id":7.5}`,
			status: 400, pointers: []string{"#/company_id"}},
		{name: "a company_id of zero", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"company_id":0}`,
			status: 400, pointers: []string{"#/company_id"}},
		{name: "a negative thickness", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":-1,"company_id":7}`,
			status: 400, pointers: []string{"#/thickness"}},
		{name: "a thickness over 1000", method: "PUT", target: own, contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":1000.5,"is_active":true}`,
			status: 400, pointers: []string{"#/thickness"}},
		{name: "a thickness out of float range", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":1e400,"company_id":7}`,
			status: 400, pointers: []string{"#"}},
		{name: "an empty name", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"","quality":"steel","thickness":2,"company_id":7}`,
			status: 400, pointers: []string{"#/name"}},
		{name: "a blank name", method: "PUT", target: own, contentType: jsonType,
			body:   `{"name":"   ","quality":"steel","thickness":2,"is_active":true}`,
			status: 400, pointers: []string{"#/name"}},
		{name: "a name over 100 characters", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"` + strings.Repeat("n", 101) + `","quality":"steel","thickness":2,"company_id":7}`,
			status: 400, pointers: []string{"#/name"}},
		{name: "a negative price", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"company_id":7,"price_per_square_metre":{"amount":-1,"currency":"EUR"}}`,
			status: 400, pointers: []string{"#/price_per_square_metre/amount"}},
		{name: "a price beyond what JavaScript holds exactly", method: "PUT", target: own, contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"is_active":true,"price_per_square_metre":{"amount":9007199254740992,"currency":"EUR"}}`,
			status: 400, pointers: []string{"#/price_per_square_metre/amount"}},
		{name: "a fractional price", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"company_id":7,"price_per_square_metre":{"amount":120.5,"currency":"EUR"}}`,
			status: 400, pointers: []string{"#/price_per_square_metre/amount"}},
		{name: "a price as a string", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"company_id":7,"price_per_square_metre":{"amount":"120.00","currency":"EUR"}}`,
			status: 400, pointers: []string{"#/price_per_square_metre/amount"}},
		{name: "a lower-case currency", method: "PUT", target: own, contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"is_active":true,"price_per_square_metre":{"amount":12000,"currency":"eur"}}`,
			status: 400, pointers: []string{"#/price_per_square_metre/currency"}},
		{name: "a currency symbol", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"company_id":7,"price_per_square_metre":{"amount":12000,"currency":"€"}}`,
			status: 400, pointers: []string{"#/price_per_square_metre/currency"}},
		{name: "a price without a currency", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"company_id":7,"price_per_square_metre":{"amount":12000}}`,
			status: 400, pointers: []string{"#/price_per_square_metre/currency"}},
		{name: "a null price, which would remove it", method: "PUT", target: own, contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"is_active":true,"price_per_square_metre":null}`,
			status: 400, pointers: []string{"#/price_per_square_metre"}},
		{name: "an unknown property", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"company_id":7,"colour":"red"}`,
			status: 400, pointers: []string{"#/colour"}},
		{name: "a read-only property on update", method: "PUT", target: own, contentType: jsonType,
			body:   `{"name":"x","quality":"steel","thickness":2,"is_active":true,"company_id":8}`,
			status: 400, pointers: []string{"#/company_id"}},
		{name: "several invalid fields at once", method: "POST", target: "/materials", contentType: jsonType,
			body:   `{"name":"","quality":"steel","thickness":0,"company_id":7}`,
			status: 400, pointers: []string{"#/name", "#/thickness"}},

		// Media types and sizes.
		{name: "a form body", method: "POST", target: "/materials", contentType: "application/x-www-form-urlencoded",
			body: "name=x&quality=steel&thickness=2", status: 415},
		{name: "a body without a media type", method: "PUT", target: own, body: validUpdate, status: 415},
		{name: "a body over the limit", method: "POST", target: "/materials", contentType: jsonType,
			body: `{"name":"` + strings.Repeat("n", 5000) + `","quality":"steel","thickness":2,"company_id":7}`, status: 413},
	}
	before := stored(t, f.repo)
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
		big := `{"name":"` + strings.Repeat("n", 5000) + `","quality":"steel","thickness":2,"company_id":7}`
		// A reader of unknown length makes the client send the body in
		// chunks, so that only reading it finds it too large.
		req, err := http.NewRequest(http.MethodPost, f.url+"/materials", io.MultiReader(strings.NewReader(big)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", jsonType)
		res, body := send(t, f.http, req)
		if got, want := req.ContentLength, int64(0); got != want {
			t.Fatalf("the request announced %d bytes", got)
		}
		assertProblem(t, res, body, http.StatusRequestEntityTooLarge)
		assertUnchanged(t, f.repo, before)
	})
	t.Run("accepts a valid ordering after the refusals", func(t *testing.T) {
		o := api.MaterialOrdering("-name")
		r, err := f.client.ListMaterialsWithResponse(context.Background(), &api.ListMaterialsParams{Ordering: &o}, bearer(tok))
		must(t, err)
		if got, want := r.StatusCode(), http.StatusOK; got != want {
			t.Fatalf("status = %d, want %d: %s", got, want, r.Body)
		}
		if got, want := r.JSON200.Count, int64(2); got != want {
			t.Errorf("count = %d, want %d", got, want)
		}
	})
}

// TestRouting checks what the router answers outside the operations.
func TestRouting(t *testing.T) {
	f := newFixture(t)
	tok := f.token(t, staff(readWrite...))
	cases := []struct {
		name, method, target string
		status               int
		allow                string
	}{
		{"an unknown path is not found", "GET", "/materialz", 404, ""},
		{"a path below a material is not found", "GET", idPath(f.own.Id) + "/history", 404, ""},
		{"an unknown path is not found without a token either", "DELETE", "/nothing/here", 404, ""},
		{"deleting the collection is not allowed", "DELETE", "/materials", 405, "GET, POST"},
		{"patching a material is not allowed", "PATCH", idPath(f.own.Id), 405, "GET, PUT, DELETE"},
		{"posting to a material is not allowed", "POST", idPath(f.own.Id), 405, "GET, PUT, DELETE"},
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

// TestPublicKeyTokens runs the service with only public keys: tokens
// signed with the matching private key work end to end, and an HS256
// token, whatever its secret, is refused.
func TestPublicKeyTokens(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	edVerify, edSign := ed25519Config(t)
	setups := []struct {
		name         string
		verify, sign auth.Config
	}{
		{"Ed25519", edVerify, edSign},
		{"RS256", auth.Config{Issuer: "idp.example", Audience: "materials", PublicKeys: publicKeys("r1", &rsaKey.PublicKey)},
			auth.Config{Issuer: "idp.example", Audience: "materials", SigningKey: rsaKey, SigningKeyID: "r1"}},
	}
	for _, s := range setups {
		t.Run(s.name+" tokens reach every operation", func(t *testing.T) {
			f := newFixture(t, withAuth(s.verify, s.sign))
			journey(t, f.service, external(ownCompany, readWrite...))
		})
		t.Run(s.name+" service refuses an HS256 token", func(t *testing.T) {
			f := newFixture(t, withAuth(s.verify, s.sign))
			hs, err := auth.NewSigner(auth.Config{Issuer: "idp.example", Audience: "materials", HMACSecret: []byte(testSecret)})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := hs.Sign(staff(readWrite...), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			res, body := f.do(t, "GET", "/materials", tok, "", "")
			assertProblem(t, res, body, http.StatusUnauthorized)
		})
	}
}
