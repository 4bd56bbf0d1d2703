package materials_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/materials"
)

// fixture is a service over an in-memory store holding one material of
// ownCompany and one of otherCompany.
type fixture struct {
	*service
	repo       domain.Repository
	own, other api.Material
}

func newFixture(t *testing.T, opts ...serviceOption) *fixture {
	t.Helper()
	return newFixtureOver(t, newMemory(), opts...)
}

func newFixtureOver(t *testing.T, repo domain.Repository, opts ...serviceOption) *fixture {
	t.Helper()
	s := startService(t, repo, opts...)
	f := &fixture{service: s, repo: repo}
	f.own = s.create(t, staff(readWrite...), api.NewMaterial{CompanyId: ptr[int64](ownCompany), Name: "10 mm Steel", Quality: "steel", Thickness: 10})
	f.other = s.create(t, staff(readWrite...), api.NewMaterial{CompanyId: ptr[int64](otherCompany), Name: "3 mm Aluminium", Quality: "aluminium", Thickness: 3})
	return f
}

// stored reads the whole store, bypassing the service.
func stored(t *testing.T, repo domain.Repository) []domain.Material {
	t.Helper()
	all, err := repo.Find(context.Background(), domain.Query{Order: domain.Order{By: domain.ByID}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// assertUnchanged checks that the store still holds exactly before.
func assertUnchanged(t *testing.T, repo domain.Repository, before []domain.Material) {
	t.Helper()
	if after := stored(t, repo); !reflect.DeepEqual(after, before) {
		t.Errorf("a refused request changed the store:\nbefore %+v\nafter  %+v", before, after)
	}
}

func idPath(id int64) string { return "/materials/" + strconv.FormatInt(id, 10) }

// exchange is the raw response of one call.
type exchange struct {
	res  *http.Response
	body []byte
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const validNew = `{"name":"2 mm Copper","quality":"copper","thickness":2}`
const validUpdate = `{"name":"12 mm Steel","quality":"steel","thickness":12,"is_active":false}`

// TestEveryDocumentedStatus provokes each status the spec documents for
// each operation through the generated client and the real server, and
// checks that a refused request leaves the store as it was.
func TestEveryDocumentedStatus(t *testing.T) {
	ctx := context.Background()
	// The requests, one builder per call of the generated client; own,
	// other and id pick the material a request names.
	type send func(f *fixture, auth ...api.RequestEditorFn) (any, error)
	type pick func(f *fixture) int64
	own := func(f *fixture) int64 { return f.own.Id }
	other := func(f *fixture) int64 { return f.other.Id }
	id := func(n int64) pick { return func(*fixture) int64 { return n } }
	list := func(p *api.ListMaterialsParams) send {
		return func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
			return f.client.ListMaterialsWithResponse(ctx, p, auth...)
		}
	}
	create := func(m api.NewMaterial) send {
		return func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
			return f.client.CreateMaterialWithResponse(ctx, nil, m, auth...)
		}
	}
	createRaw := func(contentType, body string) send {
		return func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
			return f.client.CreateMaterialWithBodyWithResponse(ctx, nil, contentType, strings.NewReader(body), auth...)
		}
	}
	get := func(id pick) send {
		return func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
			return f.client.GetMaterialWithResponse(ctx, id(f), nil, auth...)
		}
	}
	update := func(id pick, m api.MaterialUpdate) send {
		return func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
			return f.client.UpdateMaterialWithResponse(ctx, id(f), nil, m, auth...)
		}
	}
	updateRaw := func(id pick, contentType, body string) send {
		return func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
			return f.client.UpdateMaterialWithBodyWithResponse(ctx, id(f), nil, contentType, strings.NewReader(body), auth...)
		}
	}
	remove := func(id pick) send {
		return func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
			return f.client.DeleteMaterialWithResponse(ctx, id(f), nil, auth...)
		}
	}
	// The conditional forms send a tag: every fixture material is at
	// version 1, whose tag is "1".
	getIf := func(id pick, ifNoneMatch string) send {
		return func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
			return f.client.GetMaterialWithResponse(ctx, id(f), &api.GetMaterialParams{IfNoneMatch: &ifNoneMatch}, auth...)
		}
	}
	updateIf := func(id pick, ifMatch string, m api.MaterialUpdate) send {
		return func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
			return f.client.UpdateMaterialWithResponse(ctx, id(f), &api.UpdateMaterialParams{IfMatch: &ifMatch}, m, auth...)
		}
	}
	removeIf := func(id pick, ifMatch string) send {
		return func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
			return f.client.DeleteMaterialWithResponse(ctx, id(f), &api.DeleteMaterialParams{IfMatch: &ifMatch}, auth...)
		}
	}
	copper := api.NewMaterial{Name: "2 mm Copper", Quality: "copper", Thickness: 2}
	bigNew := fmt.Sprintf(`{"name":"%s","quality":"steel","thickness":1}`, strings.Repeat("x", 2<<20))
	bigUpdate := fmt.Sprintf(`{"name":"%s","quality":"steel","thickness":1,"is_active":true}`, strings.Repeat("x", 2<<20))

	cases := []struct {
		op, name string
		who      *access.Caller // nil: no token
		setup    func(t *testing.T, f *fixture)
		send     send
		broken   string // the repository method that fails, if any
		status   int
		pointers []string // the field errors of a validation failure
		check    func(t *testing.T, f *fixture, e exchange)
	}{
		// listMaterials: 200 400 401 403 500 503
		{op: "listMaterials", name: "lists the materials", who: ptr(staff(readOnly...)), send: list(nil), status: 200},
		{op: "listMaterials", name: "refuses a limit over 100", who: ptr(staff(readOnly...)), send: list(&api.ListMaterialsParams{Limit: ptr[int32](101)}),
			status: 400, pointers: []string{"#/query/limit"}},
		{op: "listMaterials", name: "refuses a request without a token", send: list(nil), status: 401},
		{op: "listMaterials", name: "refuses a token without materials:read", who: ptr(staff("materials:write")), send: list(nil), status: 403},
		{op: "listMaterials", name: "refuses a token with no role", who: &access.Caller{Subject: "eve", Scopes: readWrite}, send: list(nil), status: 403},
		{op: "listMaterials", name: "answers 500 when counting fails", who: ptr(staff(readOnly...)), send: list(nil), broken: "Count", status: 500},
		{op: "listMaterials", name: "answers 500 when finding fails", who: ptr(external(ownCompany, readOnly...)), send: list(nil), broken: "Find", status: 500},
		{op: "listMaterials", name: "answers 503 when the database is down", who: ptr(staff(readOnly...)), send: list(nil), broken: "Count" + downSuffix, status: 503, check: assertUnavailable},

		// createMaterial: 201 400 401 403 409 413 415 422 500 503
		{op: "createMaterial", name: "creates and says where", who: ptr(external(ownCompany, readWrite...)), send: create(copper), status: 201,
			check: func(t *testing.T, f *fixture, e exchange) {
				var m api.Material
				decode(t, e.body, &m)
				if got, want := e.res.Header.Get("Location"), idPath(m.Id); got != want {
					t.Errorf("Location = %q, want %q", got, want)
				}
				if got, want := m.CompanyId, int64(ownCompany); got != want {
					t.Errorf("company_id = %d, want %d", got, want)
				}
				if !m.IsActive {
					t.Error("a new material is not active by default")
				}
				if got, want := len(stored(t, f.repo)), 3; got != want {
					t.Errorf("%d materials stored, want %d", got, want)
				}
			}},
		{op: "createMaterial", name: "refuses a thickness of zero", who: ptr(external(ownCompany, readWrite...)),
			send: create(api.NewMaterial{Name: "Zero", Quality: "steel", Thickness: 0}), status: 400, pointers: []string{"#/thickness"}},
		{op: "createMaterial", name: "refuses a request without a token", send: create(copper), status: 401},
		{op: "createMaterial", name: "refuses a token without materials:write", who: ptr(external(ownCompany, readOnly...)), send: create(copper), status: 403},
		{op: "createMaterial", name: "refuses an external caller creating for another company", who: ptr(external(ownCompany, readWrite...)),
			send: create(api.NewMaterial{CompanyId: ptr[int64](otherCompany), Name: "2 mm Copper", Quality: "copper", Thickness: 2}), status: 403},
		{op: "createMaterial", name: "refuses a name the company already uses", who: ptr(external(ownCompany, readWrite...)),
			send: create(api.NewMaterial{Name: "10 mm Steel", Quality: "steel", Thickness: 10}), status: 409},
		{op: "createMaterial", name: "refuses a body over the limit", who: ptr(external(ownCompany, readWrite...)), send: createRaw("application/json", bigNew), status: 413},
		{op: "createMaterial", name: "refuses a body that is not JSON", who: ptr(external(ownCompany, readWrite...)), send: createRaw("text/plain", validNew), status: 415},
		{op: "createMaterial", name: "asks staff for the company", who: ptr(staff(readWrite...)), send: create(copper), status: 403, pointers: []string{"#/company_id"}},
		{op: "createMaterial", name: "refuses an Idempotency-Key sent before with another body", who: ptr(external(ownCompany, readWrite...)),
			setup: func(t *testing.T, f *fixture) {
				res, err := f.client.CreateMaterialWithResponse(ctx, &api.CreateMaterialParams{IdempotencyKey: ptr("key-422")}, copper,
					f.as(t, external(ownCompany, readWrite...)))
				if err != nil || res.StatusCode() != http.StatusCreated {
					t.Fatalf("the first create: %v %d", err, res.StatusCode())
				}
			},
			send: func(f *fixture, auth ...api.RequestEditorFn) (any, error) {
				other := api.NewMaterial{Name: "3 mm Copper", Quality: "copper", Thickness: 3}
				return f.client.CreateMaterialWithResponse(ctx, &api.CreateMaterialParams{IdempotencyKey: ptr("key-422")}, other, auth...)
			}, status: 422},
		{op: "createMaterial", name: "answers 500 when storing fails", who: ptr(external(ownCompany, readWrite...)), send: create(copper), broken: "Create", status: 500},
		{op: "createMaterial", name: "answers 503 when the database is down", who: ptr(external(ownCompany, readWrite...)), send: create(copper), broken: "Create" + downSuffix, status: 503, check: assertUnavailable},

		// getMaterial: 200 400 401 403 404 500 503
		{op: "getMaterial", name: "returns the material", who: ptr(external(ownCompany, readOnly...)), send: get(own), status: 200,
			check: func(t *testing.T, f *fixture, e exchange) {
				var m api.Material
				decode(t, e.body, &m)
				if !reflect.DeepEqual(m, f.own) {
					t.Errorf("got %+v, want %+v", m, f.own)
				}
			}},
		{op: "getMaterial", name: "refuses an ID of zero", who: ptr(staff(readOnly...)), send: get(id(0)), status: 400, pointers: []string{"#/path/material_id"}},
		{op: "getMaterial", name: "answers 304 when If-None-Match holds the material's tag", who: ptr(staff(readOnly...)), send: getIf(own, `"1"`), status: 304},
		{op: "getMaterial", name: "refuses a request without a token", send: get(own), status: 401},
		{op: "getMaterial", name: "refuses a token without materials:read", who: ptr(external(ownCompany, "materials:write")), send: get(own), status: 403},
		{op: "getMaterial", name: "answers 404 for a material that does not exist", who: ptr(staff(readOnly...)), send: get(id(9999)), status: 404},
		{op: "getMaterial", name: "answers 404 for another company's material", who: ptr(external(ownCompany, readOnly...)), send: get(other), status: 404},
		{op: "getMaterial", name: "answers 500 when reading fails", who: ptr(staff(readOnly...)), send: get(own), broken: "Get", status: 500},
		{op: "getMaterial", name: "answers 503 when the database is down", who: ptr(staff(readOnly...)), send: get(own), broken: "Get" + downSuffix, status: 503, check: assertUnavailable},

		// updateMaterial: 200 400 401 403 404 409 413 415 500 503
		{op: "updateMaterial", name: "replaces the fields", who: ptr(external(ownCompany, readWrite...)),
			send: update(own, api.MaterialUpdate{Name: "12 mm Steel", Quality: "steel", Thickness: 12, IsActive: false}), status: 200,
			check: func(t *testing.T, f *fixture, e exchange) {
				var m api.Material
				decode(t, e.body, &m)
				if m.Name != "12 mm Steel" || m.Thickness != 12 || m.IsActive || m.Id != f.own.Id || m.CompanyId != ownCompany {
					t.Errorf("updated to %+v", m)
				}
				got, err := f.repo.Get(ctx, f.own.Id)
				if err != nil {
					t.Fatal(err)
				}
				if got.Name != "12 mm Steel" {
					t.Errorf("stored name %q, want the new one", got.Name)
				}
			}},
		{op: "updateMaterial", name: "refuses a missing is_active", who: ptr(staff(readWrite...)), send: updateRaw(own, "application/json", validNew),
			status: 400, pointers: []string{"#/is_active"}},
		{op: "updateMaterial", name: "refuses a request without a token", send: updateRaw(own, "application/json", validUpdate), status: 401},
		{op: "updateMaterial", name: "refuses a stale If-Match", who: ptr(staff(readWrite...)),
			send: updateIf(own, `"2"`, api.MaterialUpdate{Name: "12 mm Steel", Quality: "steel", Thickness: 12}), status: 412},
		{op: "updateMaterial", name: "refuses a token without materials:write", who: ptr(staff(readOnly...)), send: updateRaw(own, "application/json", validUpdate), status: 403},
		{op: "updateMaterial", name: "answers 404 for a material that does not exist", who: ptr(staff(readWrite...)), send: updateRaw(id(9999), "application/json", validUpdate), status: 404},
		{op: "updateMaterial", name: "answers 404 for another company's material", who: ptr(external(ownCompany, readWrite...)), send: updateRaw(other, "application/json", validUpdate), status: 404},
		{op: "updateMaterial", name: "refuses a name another material of the company has", who: ptr(external(ownCompany, readWrite...)),
			setup: func(t *testing.T, f *fixture) {
				f.create(t, staff(readWrite...), api.NewMaterial{CompanyId: ptr[int64](ownCompany), Name: "12 mm Steel", Quality: "steel", Thickness: 12})
			},
			send: updateRaw(own, "application/json", validUpdate), status: 409},
		{op: "updateMaterial", name: "refuses a body over the limit", who: ptr(staff(readWrite...)), send: updateRaw(own, "application/json", bigUpdate), status: 413},
		{op: "updateMaterial", name: "refuses a body that is not JSON", who: ptr(staff(readWrite...)), send: updateRaw(own, "application/xml", "<material/>"), status: 415},
		{op: "updateMaterial", name: "answers 500 when storing fails", who: ptr(staff(readWrite...)), send: updateRaw(own, "application/json", validUpdate), broken: "Update", status: 500},
		{op: "updateMaterial", name: "answers 503 when the database is down", who: ptr(staff(readWrite...)), send: updateRaw(own, "application/json", validUpdate), broken: "Update" + downSuffix, status: 503, check: assertUnavailable},

		// deleteMaterial: 204 400 401 403 404 500 503
		{op: "deleteMaterial", name: "deletes the material", who: ptr(external(ownCompany, readWrite...)), send: remove(own), status: 204,
			check: func(t *testing.T, f *fixture, e exchange) {
				if len(e.body) != 0 {
					t.Errorf("a 204 with a body: %s", e.body)
				}
				if _, err := f.repo.Get(ctx, f.own.Id); err != domain.ErrNotFound {
					t.Errorf("the deleted material is still stored (err %v)", err)
				}
				if got, want := len(stored(t, f.repo)), 1; got != want {
					t.Errorf("%d materials stored, want %d", got, want)
				}
			}},
		{op: "deleteMaterial", name: "refuses a negative ID", who: ptr(staff(readWrite...)), send: remove(id(-1)), status: 400, pointers: []string{"#/path/material_id"}},
		{op: "deleteMaterial", name: "refuses a request without a token", send: remove(own), status: 401},
		{op: "deleteMaterial", name: "refuses a stale If-Match", who: ptr(staff(readWrite...)), send: removeIf(own, `"2"`), status: 412},
		{op: "deleteMaterial", name: "refuses a token without materials:write", who: ptr(external(ownCompany, readOnly...)), send: remove(own), status: 403},
		{op: "deleteMaterial", name: "answers 404 for a material that does not exist", who: ptr(staff(readWrite...)), send: remove(id(9999)), status: 404},
		{op: "deleteMaterial", name: "answers 404 for another company's material", who: ptr(external(ownCompany, readWrite...)), send: remove(other), status: 404},
		{op: "deleteMaterial", name: "answers 500 when deleting fails", who: ptr(staff(readWrite...)), send: remove(own), broken: "Delete", status: 500},
		{op: "deleteMaterial", name: "answers 503 when the database is down", who: ptr(staff(readWrite...)), send: remove(own), broken: "Delete" + downSuffix, status: 503, check: assertUnavailable},
	}
	covered := map[string]map[int]bool{}
	for _, c := range cases {
		t.Run(c.op+"/"+strconv.Itoa(c.status)+" "+c.name, func(t *testing.T) {
			broken := &brokenRepository{Repository: newMemory()}
			f := newFixtureOver(t, broken)
			before := stored(t, f.repo)
			var auth []api.RequestEditorFn
			if c.who != nil {
				auth = append(auth, f.as(t, *c.who))
			}
			if c.setup != nil {
				c.setup(t, f)
			}
			broken.breakMethod(c.broken)
			typed, err := c.send(f, auth...)
			broken.breakMethod("")
			e := answer(t, typed, err)
			if c.status >= 400 {
				p := assertProblem(t, e.res, e.body, c.status)
				if got, want := p.pointers(), c.pointers; !equalStrings(got, want) {
					t.Errorf("pointers = %q, want %q", got, want)
				}
				if c.status == http.StatusUnauthorized && !strings.HasPrefix(e.res.Header.Get("WWW-Authenticate"), "Bearer ") {
					t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", e.res.Header.Get("WWW-Authenticate"))
				}
				if c.status == http.StatusInternalServerError {
					assertInternalError(t, f.service, p)
				}
				// A case with a setup changed the store itself.
				if c.setup == nil {
					assertUnchanged(t, f.repo, before)
				}
			} else if got, want := e.res.StatusCode, c.status; got != want {
				t.Fatalf("status = %d, want %d: %s", got, want, e.body)
			}
			if c.check != nil {
				c.check(t, f, e)
			}
		})
		op := strings.ToLower(c.op)
		if covered[op] == nil {
			covered[op] = map[int]bool{}
		}
		covered[op][c.status] = true
	}
	t.Run("the cases cover every documented status", func(t *testing.T) {
		for _, op := range documentedStatuses(t) {
			for _, status := range op.statuses {
				// The embedded spec capitalizes operation IDs.
				if !covered[strings.ToLower(op.id)][status] {
					t.Errorf("%s: no case provokes the documented %d", op.id, status)
				}
			}
		}
	})
}

// answer takes the raw response out of a generated client's typed one
// (every one has HTTPResponse and Body), failing the test on err.
func answer(t *testing.T, typed any, err error) exchange {
	t.Helper()
	must(t, err)
	v := reflect.ValueOf(typed).Elem()
	return exchange{v.FieldByName("HTTPResponse").Interface().(*http.Response), v.FieldByName("Body").Bytes()}
}

// assertInternalError checks a 500: a generic detail, a request ID to
// quote, and the cause in the logs under that ID and nowhere else.
func assertInternalError(t *testing.T, s *service, p problemDoc) {
	t.Helper()
	if !strings.HasPrefix(p.Title, "Internal error") || !strings.HasPrefix(p.Detail, "Internal error") {
		t.Errorf("title %q, detail %q: want Internal error", p.Title, p.Detail)
	}
	logs := s.logs.String()
	if !strings.Contains(logs, brokenText) {
		t.Errorf("the logs do not name the cause:\n%s", logs)
	}
	if !strings.Contains(logs, p.RequestID) {
		t.Errorf("the logs do not carry request ID %q:\n%s", p.RequestID, logs)
	}
}

// documentedStatuses lists the statuses the embedded spec documents for
// each operation.
type documentedOperation struct {
	id       string
	statuses []int
}

func documentedStatuses(t *testing.T) []documentedOperation {
	t.Helper()
	spec, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	var out []documentedOperation
	for _, path := range spec.Paths.InMatchingOrder() {
		for _, op := range spec.Paths.Find(path).Operations() {
			d := documentedOperation{id: op.OperationID}
			for code := range op.Responses.Map() {
				n, err := strconv.Atoi(code)
				if err != nil {
					t.Fatalf("%s: response %q is not a status", op.OperationID, code)
				}
				d.statuses = append(d.statuses, n)
			}
			out = append(out, d)
		}
	}
	return out
}

func decode(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}

// TestRefusedTokens sends every kind of bad token to every operation: each
// is answered 401 with a Bearer challenge and changes nothing.
func TestRefusedTokens(t *testing.T) {
	f := newFixture(t)
	good := external(ownCompany, readWrite...)
	sign := func(cfg auth.Config, ttl time.Duration) string {
		s, err := auth.NewSigner(cfg)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.Sign(good, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	otherSecret := hsConfig()
	otherSecret.HMACSecret = []byte("another-secret-that-is-also-32-bytes-long")
	otherAudience := hsConfig()
	otherAudience.Audience = "billing"
	otherIssuer := hsConfig()
	otherIssuer.Issuer = "someone-else"
	tokens := []struct {
		name, header string
		code         string // the RFC 6750 error code of the challenge
	}{
		{"no Authorization header", "", ""},
		{"another scheme", "Basic YWRhOnNlY3JldA==", ""},
		{"a bearer token that is not a JWT", "Bearer not-a-jwt", "invalid_token"},
		{"an expired token", "Bearer " + sign(hsConfig(), -time.Hour), "invalid_token"},
		{"a token signed with another secret", "Bearer " + sign(otherSecret, time.Hour), "invalid_token"},
		{"an unsigned token (alg none)", "Bearer " + unsignedToken(good), "invalid_token"},
		{"a token for another audience", "Bearer " + sign(otherAudience, time.Hour), "invalid_token"},
		{"a token from another issuer", "Bearer " + sign(otherIssuer, time.Hour), "invalid_token"},
		{"a token with a tampered payload", "Bearer " + tamper(t, sign(hsConfig(), time.Hour)), "invalid_token"},
		// Signed tokens that a lenient reader would take for something
		// their issuer never wrote: the second "roles" would make bob staff.
		{"a token with roles given twice", "Bearer " + handSigned(hsHeader, handClaims(good, `"roles":["staff"],`)), "invalid_token"},
		{"a token whose exp is a string", "Bearer " + handSigned(hsHeader, expAsString(handClaims(good, ""))), "invalid_token"},
		{"a token with an unknown critical header", "Bearer " + handSigned(`{"alg":"HS256","typ":"JWT","crit":["x-charter"],"x-charter":1}`, handClaims(good, "")), "invalid_token"},
	}
	// The hand-signed tokens are refused for what they say, not for how
	// they were signed: one without a flaw is accepted.
	if res, body := f.do(t, http.MethodGet, idPath(f.own.Id), handSigned(hsHeader, handClaims(good, "")), "", ""); res.StatusCode != http.StatusOK {
		t.Fatalf("a hand-signed token without a flaw: status %d: %s", res.StatusCode, body)
	}
	requests := []struct{ op, method, target, body string }{
		{"listMaterials", http.MethodGet, "/materials", ""},
		{"createMaterial", http.MethodPost, "/materials", validNew},
		{"getMaterial", http.MethodGet, idPath(f.own.Id), ""},
		{"updateMaterial", http.MethodPut, idPath(f.own.Id), validUpdate},
		{"deleteMaterial", http.MethodDelete, idPath(f.own.Id), ""},
		// Authentication comes before the parameters and the body are
		// checked: a caller without a valid token learns nothing of them.
		{"getMaterial with a malformed id", http.MethodGet, "/materials/not-a-number", ""},
		{"updateMaterial with a malformed body", http.MethodPut, idPath(f.own.Id), `{"name":`},
	}
	before := stored(t, f.repo)
	for _, tok := range tokens {
		for _, r := range requests {
			t.Run(r.op+" refuses "+tok.name, func(t *testing.T) {
				req, err := http.NewRequest(r.method, f.url+r.target, strings.NewReader(r.body))
				if err != nil {
					t.Fatal(err)
				}
				if tok.header != "" {
					req.Header.Set("Authorization", tok.header)
				}
				if r.body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				res, body := send(t, f.http, req)
				p := assertProblem(t, res, body, http.StatusUnauthorized)
				challenge := res.Header.Get("WWW-Authenticate")
				if !strings.HasPrefix(challenge, `Bearer realm="`) {
					t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", challenge)
				}
				if got, want := strings.Contains(challenge, `error="`+tok.code+`"`), tok.code != ""; got != want {
					t.Errorf("WWW-Authenticate = %q, want error code %q", challenge, tok.code)
				}
				if p.Detail == "" {
					t.Error("the problem does not say why")
				}
				if tok.code != "" && !strings.Contains(challenge, `error_description="`+p.Detail+`"`) {
					t.Errorf("WWW-Authenticate = %q, want the problem's detail %q as its error_description", challenge, p.Detail)
				}
				assertUnchanged(t, f.repo, before)
			})
		}
	}
}

// unsignedToken is a JWT with "alg": "none" and otherwise valid claims.
func unsignedToken(c access.Caller) string {
	enc := base64.RawURLEncoding.EncodeToString
	header := enc([]byte(`{"alg":"none","typ":"JWT"}`))
	claims := enc(fmt.Appendf(nil,
		`{"iss":"charter-test","aud":["materials"],"sub":%q,"exp":%d,"iat":%d,"scope":"materials:read materials:write","roles":["external"],"company_id":%d}`,
		c.Subject, time.Now().Add(time.Hour).Unix(), time.Now().Unix(), c.CompanyID))
	return header + "." + claims + "."
}

// hsHeader is the JOSE header of an HS256 token.
const hsHeader = `{"alg":"HS256","typ":"JWT"}`

// handClaims is the payload the service's signer would write for c,
// written out by hand with extra members after "roles", so that a test can
// give a claim twice, which no signer does.
func handClaims(c access.Caller, extra string) string {
	roles := make([]string, len(c.Roles))
	for i, r := range c.Roles {
		roles[i] = strconv.Quote(string(r))
	}
	return fmt.Sprintf(`{"iss":"charter-test","aud":["materials"],"sub":%q,"scope":%q,"company_id":%d,"roles":[%s],%s"iat":%d,"exp":%d}`,
		c.Subject, strings.Join(c.Scopes, " "), c.CompanyID, strings.Join(roles, ","), extra, time.Now().Unix(), time.Now().Add(time.Hour).Unix())
}

// expAsString writes the exp of a payload of handClaims, its last
// member, as a string of digits.
func expAsString(payload string) string {
	i := strings.LastIndex(payload, `"exp":`) + len(`"exp":`)
	return payload[:i] + `"` + strings.TrimSuffix(payload[i:], "}") + `"}`
}

// handSigned signs a header and a payload written by hand with the
// service's HS256 secret.
func handSigned(header, payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	input := enc([]byte(header)) + "." + enc([]byte(payload))
	mac := hmac.New(sha256.New, []byte(testSecret))
	mac.Write([]byte(input))
	return input + "." + enc(mac.Sum(nil))
}

// tamper gives a token more rights, keeping its signature.
func tamper(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q has %d parts", token, len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(string(payload), `"external"`, `"staff"`, 1)
	if forged == string(payload) {
		t.Fatalf("no role to change in %s", payload)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(forged))
	return strings.Join(parts, ".")
}

func send(t *testing.T, c *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}
