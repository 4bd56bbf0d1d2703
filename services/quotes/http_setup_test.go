package quotes_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/call"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/services/platform/idempotency"
	"github.com/charterhq/charter/services/quotes"
	"github.com/charterhq/charter/stories/access"
	materialsdomain "github.com/charterhq/charter/stories/materials"
	domain "github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// TestMain stops the throwaway PostgreSQL server the store tests start.
func TestMain(m *testing.M) { pgtest.Main(m) }

// The companies of the HTTP tests: external callers of ownCompany, and
// quotes and materials of otherCompany they must never reach.
const (
	ownCompany   = 7
	otherCompany = 8
)

// testSecret signs the HS256 tokens of the HTTP tests: the callers' and
// the one quotes calls materials with.
const testSecret = "quotes-http-test-secret-of-at-least-32-bytes"

var (
	readWrite = []string{"quotes:read", "quotes:write"}
	readOnly  = []string{"quotes:read"}
)

// staff and external are the callers the HTTP tests act as.
func staff(scopes ...string) access.Caller {
	return access.Caller{Subject: "ada", Roles: []access.Role{access.Staff}, Scopes: scopes}
}

func external(company int64, scopes ...string) access.Caller {
	return access.Caller{Subject: "bob", CompanyID: company, Roles: []access.Role{access.External}, Scopes: scopes}
}

// The callers of the tests.
var (
	bob       = external(ownCompany, readWrite...)
	bobReads  = external(ownCompany, readOnly...)
	bobWrites = external(ownCompany, "quotes:write")
	ada       = staff(readWrite...)
	adaReads  = staff(readOnly...)
	roleless  = access.Caller{Subject: "eve", Scopes: readWrite}
	nobody    = access.Caller{} // sends no token
)

// quotesIdentity is who quotes calls materials as, as the host signs it:
// staff, so that it reads every company's materials, with the one scope
// it needs.
var quotesIdentity = access.Caller{Subject: "service:quotes", Roles: []access.Role{access.Staff}, Scopes: []string{"materials:read"}}

// authConfig is the HS256 configuration both services verify with and
// the tests sign with, unless a test says otherwise.
func authConfig() auth.Config {
	return auth.Config{Issuer: "charter-test", Audience: "charter-test", HMACSecret: []byte(testSecret)}
}

// epoch is where the fake clock of every test starts: whole seconds, so
// that every store keeps the instants the service writes exactly.
var epoch = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// clock is the fake clock quotes reads; tests move it by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// system is the quotes service behind a real HTTP server, pricing from a
// real materials service, with a generated client and a signer whose
// tokens both services accept.
type system struct {
	url    string
	http   *http.Client
	client *api.ClientWithResponses
	signer *auth.Signer
	repo   domain.Repository
	outbox outbox.Store
	parts  quotes.Parts
	// keep applies a material event to quotes' copies of materials, as
	// quotes' consumer of materials' events does.
	keep      *domain.KeepMaterialCopy
	clock     *clock
	materials *peer
	catalogue catalogue
	logs      *syncBuffer
}

type systemConfig struct {
	repo        domain.Repository
	copies      domain.MaterialCopies
	outbox      outbox.Store
	tx          story.Middleware
	keys        idempotency.Store
	overNetwork bool
	call        call.Options
	validity    time.Duration
	verify      auth.Config
	sign        auth.Config
}

type systemOption func(*systemConfig)

// over stores the quotes in repo, its stories that write inside tx (nil
// for none).
func over(repo domain.Repository, tx story.Middleware) systemOption {
	return func(c *systemConfig) { c.repo, c.tx = repo, tx }
}

// overKeyed is over with the keys of the Idempotency-Key header kept in
// keys, which store them in the database of tx.
func overKeyed(repo domain.Repository, tx story.Middleware, keys idempotency.Store) systemOption {
	return func(c *systemConfig) { c.repo, c.tx, c.keys = repo, tx, keys }
}

// withOutbox records the stories' events in box.
func withOutbox(box outbox.Store) systemOption {
	return func(c *systemConfig) { c.outbox = box }
}

// withCopies keeps quotes' copies of materials in copies.
func withCopies(copies domain.MaterialCopies) systemOption {
	return func(c *systemConfig) { c.copies = copies }
}

// overHTTP serves materials on an httptest.Server that quotes calls over
// the network; without it, quotes calls materials in process.
func overHTTP() systemOption { return func(c *systemConfig) { c.overNetwork = true } }

// withCall sets the attempt timeout, tries and breaker of quotes' client
// of materials; zero fields keep the tests' defaults.
func withCall(o call.Options) systemOption {
	return func(c *systemConfig) {
		if o.Timeout > 0 {
			c.call.Timeout = o.Timeout
		}
		if o.Tries > 0 {
			c.call.Tries = o.Tries
		}
		if o.Failures > 0 {
			c.call.Failures = o.Failures
		}
		if o.OpenFor > 0 {
			c.call.OpenFor = o.OpenFor
		}
	}
}

// withValidity sets how long a submitted quote stays valid.
func withValidity(d time.Duration) systemOption { return func(c *systemConfig) { c.validity = d } }

// withAuth verifies tokens, in both services, with verify and signs every
// token, the service's included, with sign.
func withAuth(verify, sign auth.Config) systemOption {
	return func(c *systemConfig) { c.verify, c.sign = verify, sign }
}

// startSystem builds materials and quotes and serves quotes on an
// httptest.Server; both are closed when tb ends.
func startSystem(tb testing.TB, opts ...systemOption) *system {
	tb.Helper()
	s, h := buildSystem(tb, opts...)
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	client, err := api.NewClientWithResponses(srv.URL, api.WithHTTPClient(srv.Client()))
	if err != nil {
		tb.Fatal(err)
	}
	s.url, s.http, s.client = srv.URL, srv.Client(), client
	return s
}

// buildSystem builds the materials service, quotes' client of it and the
// quotes handler, without serving quotes.
func buildSystem(tb testing.TB, opts ...systemOption) (*system, http.Handler) {
	tb.Helper()
	cfg := systemConfig{
		repo: memory.NewQuotes(), copies: memory.NewMaterialCopies(), outbox: memory.NewOutbox(),
		// Small tries and backoff, so that a failing materials service
		// is given up on at once; the attempt timeout is the client's.
		call:   call.Options{Tries: 2, Backoff: time.Millisecond},
		verify: authConfig(), sign: authConfig(),
	}
	for _, o := range opts {
		o(&cfg)
	}
	verifier, err := auth.NewVerifier(cfg.verify)
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := auth.NewSigner(cfg.sign)
	if err != nil {
		tb.Fatal(err)
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))

	materialsRepo := memory.NewMaterials()
	cat := seedCatalogue(tb, materialsRepo)
	materialsHandler, err := materials.NewHandler(materials.Options{
		Repository: materialsRepo,
		Verify:     verifier.Verify,
		Logger:     logger,
		Checks:     checks.Policy{Mode: checks.Strict},
	})
	if err != nil {
		tb.Fatal(err)
	}
	p := &peer{real: materialsHandler}
	p.restore()

	o := cfg.call
	o.Name = "materials"
	o.Token = func(context.Context) (string, error) { return signer.Sign(quotesIdentity, time.Hour) }
	baseURL := "http://materials"
	if cfg.overNetwork {
		p.server = httptest.NewServer(p)
		tb.Cleanup(p.server.Close)
		baseURL = p.server.URL
	} else {
		o.Transport = call.InProcess(p)
	}
	prices, err := quotes.Materials(baseURL, call.NewClient(o))
	if err != nil {
		tb.Fatal(err)
	}

	clk := &clock{now: epoch}
	parts := quotes.Parts{Repository: cfg.repo, Copies: cfg.copies, Materials: prices, Events: cfg.outbox, Now: clk.Now, Validity: cfg.validity, Transaction: cfg.tx,
		Checks: events.PayloadCheck{Policy: checks.Policy{Mode: checks.Strict}, Logger: logger}}
	h, err := quotes.NewHandler(quotes.Options{
		Parts:       parts,
		Verify:      verifier.Verify,
		Logger:      logger,
		Checks:      checks.Policy{Mode: checks.Strict},
		Idempotency: cfg.keys,
	})
	if err != nil {
		tb.Fatal(err)
	}
	// The story the service's consumer of material events runs, over the
	// same parts.
	wiring, err := quotes.Wire(parts)
	if err != nil {
		tb.Fatal(err)
	}
	return &system{signer: signer, repo: cfg.repo, outbox: cfg.outbox, parts: parts, keep: wiring.KeepMaterialCopy, clock: clk, materials: p, catalogue: cat, logs: logs}, h
}

// token signs a token for c valid for an hour.
func (s *system) token(tb testing.TB, c access.Caller) string {
	tb.Helper()
	tok, err := s.signer.Sign(c, time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// as authorizes a generated client's request with a token for c.
func (s *system) as(tb testing.TB, c access.Caller) api.RequestEditorFn {
	return bearer(s.token(tb, c))
}

// bearer authorizes a generated client's request with token.
func bearer(token string) api.RequestEditorFn {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

// line is a line of width × height millimetres of m, quantity times.
func line(m materialsdomain.Material, quantity, width, height int32) api.NewQuoteLine {
	return api.NewQuoteLine{MaterialId: m.ID, Quantity: quantity, WidthMm: width, HeightMm: height}
}

// create stores a draft through the API as c and fails the test unless
// it is created.
func (s *system) create(tb testing.TB, c access.Caller, q api.NewQuote) api.Quote {
	tb.Helper()
	res, err := s.client.CreateQuoteWithResponse(context.Background(), nil, q, s.as(tb, c))
	if err != nil {
		tb.Fatal(err)
	}
	if res.StatusCode() != http.StatusCreated || res.JSON201 == nil {
		tb.Fatalf("create: status %d: %s", res.StatusCode(), res.Body)
	}
	return *res.JSON201
}

// draft creates a draft of c's company with lines, or none.
func (s *system) draft(tb testing.TB, c access.Caller, lines ...api.NewQuoteLine) api.Quote {
	tb.Helper()
	var q api.NewQuote
	if len(lines) > 0 {
		// A pointer to a nil slice would send "lines": null, which the
		// contract refuses.
		q.Lines = &lines
	}
	return s.create(tb, c, q)
}

// submit submits quote id as c and fails the test unless it is submitted.
func (s *system) submit(tb testing.TB, c access.Caller, id int64) api.Quote {
	tb.Helper()
	res, err := s.client.SubmitQuoteWithResponse(context.Background(), id, nil, s.as(tb, c))
	if err != nil {
		tb.Fatal(err)
	}
	if res.StatusCode() != http.StatusOK || res.JSON200 == nil {
		tb.Fatalf("submit %d: status %d: %s", id, res.StatusCode(), res.Body)
	}
	return *res.JSON200
}

// get reads quote id as c and fails the test unless it is there.
func (s *system) get(tb testing.TB, c access.Caller, id int64) api.Quote {
	tb.Helper()
	res, err := s.client.GetQuoteWithResponse(context.Background(), id, nil, s.as(tb, c))
	if err != nil {
		tb.Fatal(err)
	}
	if res.StatusCode() != http.StatusOK || res.JSON200 == nil {
		tb.Fatalf("get %d: status %d: %s", id, res.StatusCode(), res.Body)
	}
	return *res.JSON200
}

// all lists every quote c may see, in ID order.
func (s *system) all(tb testing.TB, c access.Caller) api.QuotePage {
	tb.Helper()
	limit := int32(100)
	res, err := s.client.ListQuotesWithResponse(context.Background(), &api.ListQuotesParams{Limit: &limit}, s.as(tb, c))
	if err != nil {
		tb.Fatal(err)
	}
	if res.StatusCode() != http.StatusOK || res.JSON200 == nil {
		tb.Fatalf("list: status %d: %s", res.StatusCode(), res.Body)
	}
	return *res.JSON200
}

// do sends a raw request, for what the generated client cannot send:
// wrong types, bad JSON, other media types, unknown routes. An empty
// token sends no Authorization header.
func (s *system) do(t *testing.T, method, target, token, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return send(t, s.http, req)
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

func idPath(id int64) string { return "/quotes/" + strconv.FormatInt(id, 10) }

// roundHalfUp is the unit price the contract promises for a part of
// width × height millimetres of a material priced perM2 a square metre:
// the exact amount rounded half up to the minor unit. It is computed
// here independently of the service, in plain integers, which hold every
// figure the tests use.
func roundHalfUp(width, height int32, perM2 int64) int64 {
	return (int64(width)*int64(height)*perM2 + 500_000) / 1_000_000
}

// problemDoc is a problem document as a client reads it, with every
// member the service may send.
type problemDoc struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Instance  string `json:"instance"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Pointer string `json:"pointer"`
		Detail  string `json:"detail"`
	} `json:"errors"`
}

// pointers returns the pointers of the problem's field errors.
func (p problemDoc) pointers() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Pointer)
	}
	return out
}

// assertProblem checks that a response is a problem document of status
// and returns it.
func assertProblem(t *testing.T, res *http.Response, body []byte, status int) problemDoc {
	t.Helper()
	if got, want := res.StatusCode, status; got != want {
		t.Fatalf("status = %d, want %d: %s", got, want, body)
	}
	if got, want := res.Header.Get("Content-Type"), "application/problem+json"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	var p problemDoc
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("the body is not a problem document: %v: %s", err, body)
	}
	if got, want := p.Status, status; got != want {
		t.Errorf("problem status = %d, want %d", got, want)
	}
	if p.Type == "" || p.Title == "" {
		t.Errorf("problem lacks a type or a title: %s", body)
	}
	if p.RequestID == "" {
		t.Errorf("problem has no request_id: %s", body)
	}
	assertNoInternals(t, body)
	return p
}

// assertNoInternals checks that a body leaks no Go, SQL or library text,
// nor anything of materials' own answers.
func assertNoInternals(t *testing.T, body []byte) {
	t.Helper()
	lower := strings.ToLower(string(body))
	for _, leak := range []string{"goroutine", ".go:", "panic", "sql", "select ", "openapi3", "kin-openapi", "json: cannot",
		"strconv.", "*errors", "runtime error", "jwt", "call materials", "materials answered", "materials is failing",
		"connection refused", "deadline", brokenText} {
		if strings.Contains(lower, strings.ToLower(leak)) {
			t.Errorf("the body leaks %q: %s", leak, body)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

func decode(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// stored reads the whole store, bypassing the service.
func stored(t *testing.T, repo domain.Repository) []domain.Quote {
	t.Helper()
	all, err := repo.Find(context.Background(), domain.Query{Order: domain.Order{By: domain.ByID}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// assertUnchanged checks that the store still holds exactly before.
func assertUnchanged(t *testing.T, repo domain.Repository, before []domain.Quote) {
	t.Helper()
	if after := stored(t, repo); !reflect.DeepEqual(after, before) {
		t.Errorf("a refused request changed the store:\nbefore %+v\nafter  %+v", before, after)
	}
}

// syncBuffer collects the services' logs; the servers write them from
// their own goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func ptr[T any](v T) *T { return &v }
