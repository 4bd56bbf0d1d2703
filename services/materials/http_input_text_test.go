package materials_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	api "github.com/charterhq/charter/gen/materials"
)

// TestTextInputOnEveryStore sends, over every store, the text a store
// would keep differently or not at all: a NUL (which PostgreSQL's text
// refuses, so that it answered 500 where SQLite stored it), other
// controls, bytes that are not UTF-8 and lone surrogates (which
// encoding/json turns into U+FFFD), a name of invisible characters only,
// a body in another charset and IDs with leading zeros. Each is refused
// with a problem that points at the field, and leaves the store as it
// was; the text a client may send is stored and read back as sent.
func TestTextInputOnEveryStore(t *testing.T) {
	const jsonType = "application/json"
	create := func(name string) string {
		return `{"company_id":7,"name":"` + name + `","quality":"steel","thickness":2}`
	}
	update := func(name string) string {
		return `{"name":"` + name + `","quality":"steel","thickness":2,"is_active":true}`
	}
	for _, store := range stores {
		t.Run(store.name, func(t *testing.T) {
			f := newFixtureOver(t, store.open(t))
			tok := f.token(t, staff(readWrite...))
			own := idPath(f.own.Id)
			zeroOwn := "/materials/0" + strings.TrimPrefix(own, "/materials/")
			cases := []struct {
				name, method, target, contentType, body string
				status                                  int
				pointers                                []string
				detail                                  string // a substring of the first error's detail
			}{
				{name: "a NUL in a name on create", method: "POST", target: "/materials", body: create(`a\u0000b`),
					status: 400, pointers: []string{"#/name"}, detail: "U+0000"},
				{name: "a NUL in a name on update", method: "PUT", target: own, body: update(`a\u0000b`),
					status: 400, pointers: []string{"#/name"}, detail: "U+0000"},
				{name: "a NUL in a quality", method: "POST", target: "/materials",
					body:   `{"company_id":7,"name":"x","quality":"st\u0000eel","thickness":2}`,
					status: 400, pointers: []string{"#/quality"}},
				{name: "a NUL in a currency", method: "PUT", target: own,
					body:   `{"name":"x","quality":"steel","thickness":2,"is_active":true,"price_per_square_metre":{"amount":1,"currency":"EU\u0000"}}`,
					status: 400, pointers: []string{"#/price_per_square_metre/currency"}},
				{name: "a NUL in an unknown property's name", method: "POST", target: "/materials",
					body:   `{"company_id":7,"name":"x","quality":"steel","thickness":2,"\u0000":1}`,
					status: 400, pointers: []string{"#/\x00"}, detail: "property name"},
				{name: "an escape sequence in a name", method: "POST", target: "/materials", body: create(`\u001b[31mred`),
					status: 400, pointers: []string{"#/name"}},
				{name: "a DEL in a name", method: "PUT", target: own, body: update("a\x7f"),
					status: 400, pointers: []string{"#/name"}},
				{name: "a C1 control in a name", method: "POST", target: "/materials", body: create("a\u0085"),
					status: 400, pointers: []string{"#/name"}},
				{name: "a tab in a name", method: "POST", target: "/materials", body: create(`a\tb`),
					status: 400, pointers: []string{"#/name"}},
				{name: "a line feed in a quality", method: "PUT", target: own,
					body:   `{"name":"x","quality":"steel\n","thickness":2,"is_active":true}`,
					status: 400, pointers: []string{"#/quality"}},
				{name: "a byte that is not UTF-8 in a name", method: "POST", target: "/materials", body: create("a\xffb"),
					status: 400, pointers: []string{"#/name"}, detail: "UTF-8"},
				{name: "a lone high surrogate in a name", method: "POST", target: "/materials", body: create(`a\ud800`),
					status: 400, pointers: []string{"#/name"}, detail: "surrogate"},
				{name: "a lone low surrogate in a name", method: "PUT", target: own, body: update(`\udc00`),
					status: 400, pointers: []string{"#/name"}, detail: "surrogate"},
				{name: "a name of a zero-width space", method: "POST", target: "/materials", body: create(`\u200b`),
					status: 400, pointers: []string{"#/name"}},
				{name: "a name of no-break spaces", method: "PUT", target: own, body: update("\u00a0\u00a0"),
					status: 400, pointers: []string{"#/name"}},
				{name: "a name of a byte order mark", method: "POST", target: "/materials", body: create(`\ufeff`),
					status: 400, pointers: []string{"#/name"}},
				{name: "a name of an ideographic space and a word joiner", method: "POST", target: "/materials", body: create(`\u3000\u2060`),
					status: 400, pointers: []string{"#/name"}},
				{name: "a name of a soft hyphen", method: "POST", target: "/materials", body: create(`\u00ad`),
					status: 400, pointers: []string{"#/name"}},
				{name: "a name of a combining accent alone", method: "POST", target: "/materials", body: create(`\u0301`),
					status: 400, pointers: []string{"#/name"}},
				{name: "a quality of an em space", method: "POST", target: "/materials",
					body:   `{"company_id":7,"name":"x","quality":"\u2003","thickness":2}`,
					status: 400, pointers: []string{"#/quality"}},
				{name: "a body in UTF-16", method: "POST", target: "/materials", contentType: "application/json; charset=utf-16",
					body: create("x"), status: 415},
				{name: "a body in Latin-1", method: "PUT", target: own, contentType: "application/json; charset=iso-8859-1",
					body: update("Stahl \xe4"), status: 415},
				{name: "reading an ID with a leading zero", method: "GET", target: zeroOwn,
					status: 400, pointers: []string{"#/path/material_id"}, detail: "leading zero"},
				{name: "updating an ID with a leading zero", method: "PUT", target: zeroOwn, body: update("x"),
					status: 400, pointers: []string{"#/path/material_id"}},
				{name: "deleting an ID with a leading zero", method: "DELETE", target: zeroOwn,
					status: 400, pointers: []string{"#/path/material_id"}},
				{name: "reading an ID with a plus sign", method: "GET", target: "/materials/%2B" + strings.TrimPrefix(own, "/materials/"),
					status: 400, pointers: []string{"#/path/material_id"}},
				{name: "a limit with a leading zero", method: "GET", target: "/materials?limit=05",
					status: 400, pointers: []string{"#/query/limit"}},
				{name: "an offset with a plus sign beside an escaped ordering", method: "GET", target: "/materials?offset=%2B1&ordering=%2Dname",
					status: 400, pointers: []string{"#/query/offset"}},
			}
			before := stored(t, f.repo)
			for _, c := range cases {
				t.Run("refuses "+c.name, func(t *testing.T) {
					ct := c.contentType
					if ct == "" && c.body != "" {
						ct = jsonType
					}
					res, body := f.do(t, c.method, c.target, tok, ct, c.body)
					p := assertProblem(t, res, body, c.status)
					if got, want := p.pointers(), c.pointers; !equalStrings(got, want) {
						t.Errorf("pointers = %q, want %q", got, want)
					}
					if c.detail != "" && (len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Detail, c.detail)) {
						t.Errorf("the problem does not say %q: %s", c.detail, body)
					}
					assertUnchanged(t, f.repo, before)
				})
			}

			// What a client may send is kept as sent, whatever the store.
			names := []struct{ name, sent, want string }{
				{"letters of other scripts", "Stahl ä 日本 ", "Stahl ä 日本 "},
				{"an emoji", "😀", "😀"},
				{"an emoji as a surrogate pair", `x\ud83d\ude00`, "x😀"},
				{"a visible character among invisible ones", `\u00a0x\u200b`, "\u00a0x\u200b"},
				{"a letter and a combining accent", `e\u0301`, "e\u0301"},
				{"escaped ASCII", `\u0041\/b`, "A/b"},
			}
			for i, n := range names {
				t.Run("keeps "+n.name, func(t *testing.T) {
					body := `{"company_id":7,"name":"` + n.sent + `","quality":"steel","thickness":` + string(rune('1'+i)) + `}`
					res, data := f.do(t, "POST", "/materials", tok, jsonType, body)
					if res.StatusCode != http.StatusCreated {
						t.Fatalf("status = %d, want 201: %s", res.StatusCode, data)
					}
					loc := res.Header.Get("Location")
					got, err := f.client.GetMaterialWithResponse(context.Background(), idOf(t, loc), nil, bearer(tok))
					must(t, err)
					if got.JSON200 == nil {
						t.Fatalf("read back: status %d: %s", got.StatusCode(), got.Body)
					}
					if got.JSON200.Name != n.want {
						t.Errorf("name = %q, want %q", got.JSON200.Name, n.want)
					}
					upd := api.MaterialUpdate{Name: n.want + " 2", Quality: "steel", Thickness: 1, IsActive: true}
					u, err := f.client.UpdateMaterialWithResponse(context.Background(), got.JSON200.Id, nil, upd, bearer(tok))
					must(t, err)
					if u.JSON200 == nil || u.JSON200.Name != upd.Name {
						t.Errorf("update: status %d: %s", u.StatusCode(), u.Body)
					}
				})
			}
		})
	}
}

// idOf reads the ID at the end of a Location.
func idOf(t *testing.T, location string) int64 {
	t.Helper()
	i := strings.LastIndexByte(location, '/')
	var id int64
	for _, r := range location[i+1:] {
		if r < '0' || r > '9' {
			t.Fatalf("Location %q does not end in an ID", location)
		}
		id = id*10 + int64(r-'0')
	}
	return id
}
