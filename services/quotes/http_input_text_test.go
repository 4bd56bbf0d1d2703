package quotes_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/quotes"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/quotes"
)

// TestTextInputOnEveryStore sends quotes, over every store, what the
// platform's contract refuses for every service: IDs and numbers with a
// leading zero or a plus sign (DELETE /quotes/01 deleted quote 1), a body
// in another charset, and property names with a control character, bytes
// that are not UTF-8 or a lone surrogate. Each is refused with a problem
// that points at the field, and the quote is left as it was.
func TestTextInputOnEveryStore(t *testing.T) {
	for _, store := range textStores {
		t.Run(store.name, func(t *testing.T) {
			s := startTextService(t, store.open(t))
			tok := s.token(t)
			res, body := s.send(t, "POST", "/quotes", tok, "application/json",
				`{"lines":[{"material_id":1,"quantity":2,"width_mm":600,"height_mm":400}]}`)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("create: status %d: %s", res.StatusCode, body)
			}
			own := res.Header.Get("Location")
			id := strings.TrimPrefix(own, "/quotes/")
			zero := "/quotes/0" + id
			before := s.read(t, tok, own)
			const line = `{"material_id":1,"quantity":3,"width_mm":600,"height_mm":400}`
			cases := []struct {
				name, method, target, contentType, body string
				status                                  int
				pointers                                []string
				detail                                  string // a substring of the first error's detail
			}{
				{name: "reading an ID with a leading zero", method: "GET", target: zero,
					status: 400, pointers: []string{"#/path/quote_id"}, detail: "leading zero"},
				{name: "deleting an ID with a leading zero", method: "DELETE", target: zero,
					status: 400, pointers: []string{"#/path/quote_id"}},
				{name: "replacing the lines of an ID with a leading zero", method: "PUT", target: zero + "/lines",
					contentType: "application/json", body: `{"lines":[` + line + `]}`,
					status: 400, pointers: []string{"#/path/quote_id"}},
				{name: "submitting an ID with a plus sign", method: "POST", target: "/quotes/%2B" + id + "/submit",
					status: 400, pointers: []string{"#/path/quote_id"}},
				{name: "a limit with a leading zero", method: "GET", target: "/quotes?limit=010",
					status: 400, pointers: []string{"#/query/limit"}},
				{name: "an offset with a plus sign beside an escaped ordering", method: "GET", target: "/quotes?offset=%2B0&ordering=%2Did",
					status: 400, pointers: []string{"#/query/offset"}},
				{name: "lines in UTF-16", method: "PUT", target: own + "/lines", contentType: "application/json; charset=utf-16",
					body: `{"lines":[` + line + `]}`, status: 415},
				{name: "a NUL in a property name", method: "PUT", target: own + "/lines", contentType: "application/json",
					body: `{"lines":[],"\u0000":1}`, status: 400, pointers: []string{"#/\x00"}, detail: "U+0000"},
				{name: "a control in the property name of a line", method: "PUT", target: own + "/lines", contentType: "application/json",
					body:   `{"lines":[{"material_id":1,"quantity":3,"width_mm":600,"height_mm":400,"note\u001b":1}]}`,
					status: 400, pointers: []string{"#/lines/0/note\x1b"}, detail: "property name"},
				{name: "a property name that is not UTF-8", method: "POST", target: "/quotes", contentType: "application/json",
					body: "{\"lines\":[],\"\xff\":1}", status: 400, pointers: []string{"#/\ufffd"}, detail: "UTF-8"},
				{name: "a property name with a lone surrogate", method: "POST", target: "/quotes", contentType: "application/json",
					body: `{"lines":[],"\udbff":1}`, status: 400, pointers: []string{"#/\ufffd"}, detail: "surrogate"},
			}
			for _, c := range cases {
				t.Run("refuses "+c.name, func(t *testing.T) {
					res, body := s.send(t, c.method, c.target, tok, c.contentType, c.body)
					if res.StatusCode != c.status {
						t.Fatalf("status = %d, want %d: %s", res.StatusCode, c.status, body)
					}
					if got, want := res.Header.Get("Content-Type"), "application/problem+json"; got != want {
						t.Errorf("Content-Type = %q, want %q", got, want)
					}
					var p struct {
						Errors []struct{ Pointer, Detail string } `json:"errors"`
					}
					if err := json.Unmarshal(body, &p); err != nil {
						t.Fatalf("not a problem document: %v: %s", err, body)
					}
					var pointers []string
					for _, e := range p.Errors {
						pointers = append(pointers, e.Pointer)
					}
					if strings.Join(pointers, "|") != strings.Join(c.pointers, "|") {
						t.Errorf("pointers = %q, want %q", pointers, c.pointers)
					}
					if c.detail != "" && (len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Detail, c.detail)) {
						t.Errorf("the problem does not say %q: %s", c.detail, body)
					}
					if after := s.read(t, tok, own); after != before {
						t.Errorf("a refused request changed the quote:\nbefore %s\nafter  %s", before, after)
					}
				})
			}
			t.Run("still answers the ID as written", func(t *testing.T) {
				res, body := s.send(t, "DELETE", own, tok, "", "")
				if res.StatusCode != http.StatusNoContent {
					t.Errorf("status = %d, want 204: %s", res.StatusCode, body)
				}
			})
		})
	}
}

// textStores are the quote stores the text tests run over, each with the
// transaction its writing stories run in.
var textStores = []struct {
	name string
	open func(t *testing.T) quotes.Parts
}{
	{"memory", func(*testing.T) quotes.Parts {
		return quotes.Parts{Repository: memory.NewQuotes(), Copies: memory.NewMaterialCopies()}
	}},
	{"sqlite", func(t *testing.T) quotes.Parts { return textSQLParts(t, filepath.Join(t.TempDir(), "quotes.db")) }},
	{"postgres", func(t *testing.T) quotes.Parts { return textSQLParts(t, pgtest.NewDatabase(t)) }}, // skips without PostgreSQL
}

func textSQLParts(t *testing.T, url string) quotes.Parts {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, "quotes")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return quotes.Parts{Repository: sqldb.NewQuotes(db), Copies: sqldb.NewMaterialCopies(db), Transaction: sqldb.Transaction(db)}
}

// textService is the quotes service alone behind a real HTTP server, its
// materials a fixed price list: the input tests never reach them.
type textService struct {
	url    string
	http   *http.Client
	signer *auth.Signer
}

func startTextService(t *testing.T, parts quotes.Parts) *textService {
	t.Helper()
	cfg := auth.Config{Issuer: "charter-test", Audience: "quotes", HMACSecret: []byte("quotes-text-test-secret-of-at-least-32-bytes")}
	verifier, err := auth.NewVerifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := auth.NewSigner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	parts.Now = func() time.Time { return time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC) }
	parts.Materials = func(_ context.Context, ids []int64) (map[int64]domain.PricedMaterial, error) {
		out := make(map[int64]domain.PricedMaterial, len(ids))
		for _, id := range ids {
			out[id] = domain.PricedMaterial{ID: id, CompanyID: 7, Name: "10 mm Steel", Active: true,
				PricePerSquareMetre: domain.Money{Amount: 12000, Currency: "EUR"}}
		}
		return out, nil
	}
	h, err := quotes.NewHandler(quotes.Options{
		Parts:  parts,
		Verify: verifier.Verify,
		Logger: slog.New(slog.DiscardHandler),
		Checks: checks.Policy{Mode: checks.Strict},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &textService{url: srv.URL, http: srv.Client(), signer: signer}
}

// token is an external caller's of company 7 who may read and write.
func (s *textService) token(t *testing.T) string {
	t.Helper()
	tok, err := s.signer.Sign(access.Caller{Subject: "bob", CompanyID: 7, Roles: []access.Role{access.External},
		Scopes: []string{"quotes:read", "quotes:write"}}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// send sends a raw request; an empty body sends none.
func (s *textService) send(t *testing.T, method, target, token, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := s.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, data
}

// read returns the quote at path as the service answers it.
func (s *textService) read(t *testing.T, token, path string) string {
	t.Helper()
	res, body := s.send(t, "GET", path, token, "", "")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("read %s: status %d: %s", path, res.StatusCode, body)
	}
	return string(body)
}
