package materials_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// TestMain stops the throwaway PostgreSQL server the store tests start.
func TestMain(m *testing.M) { pgtest.Main(m) }

// The companies of the HTTP tests: an external caller of ownCompany, and
// materials of otherCompany it must never reach.
const (
	ownCompany   = 7
	otherCompany = 8
)

// testSecret signs the HS256 tokens of the HTTP tests.
const testSecret = "materials-http-test-secret-of-at-least-32-bytes"

var (
	readWrite = []string{"materials:read", "materials:write"}
	readOnly  = []string{"materials:read"}
)

// staff and external are the callers the HTTP tests act as.
func staff(scopes ...string) access.Caller {
	return access.Caller{Subject: "ada", Roles: []access.Role{access.Staff}, Scopes: scopes}
}

func external(company int64, scopes ...string) access.Caller {
	return access.Caller{Subject: "bob", CompanyID: company, Roles: []access.Role{access.External}, Scopes: scopes}
}

// hsConfig is the HS256 configuration the service verifies with, unless a
// test says otherwise.
func hsConfig() auth.Config {
	return auth.Config{Issuer: "charter-test", Audience: "materials", HMACSecret: []byte(testSecret)}
}

// service is the whole materials service behind a real HTTP server, with
// a generated client and a signer whose tokens the service accepts.
type service struct {
	url    string
	http   *http.Client
	client *api.ClientWithResponses
	signer *auth.Signer
	logs   *syncBuffer
}

type serviceOption func(*serviceConfig)

type serviceConfig struct {
	verify, sign auth.Config
	bodyLimit    int64
	tx           story.Middleware
	events       story.Events
}

// withEvents records the stories' events through events, the stories
// that write running inside tx (nil for none).
func withEvents(events story.Events, tx story.Middleware) serviceOption {
	return func(s *serviceConfig) { s.events, s.tx = events, tx }
}

// withAuth verifies tokens with verify and signs the test's tokens with
// sign.
func withAuth(verify, sign auth.Config) serviceOption {
	return func(s *serviceConfig) { s.verify, s.sign = verify, sign }
}

func withBodyLimit(n int64) serviceOption { return func(s *serviceConfig) { s.bodyLimit = n } }

// startService serves NewHandler over repo on an httptest.Server closed
// when t ends.
func startService(t *testing.T, repo domain.Repository, opts ...serviceOption) *service {
	t.Helper()
	cfg := serviceConfig{verify: hsConfig(), sign: hsConfig()}
	for _, o := range opts {
		o(&cfg)
	}
	verifier, err := auth.NewVerifier(cfg.verify)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := auth.NewSigner(cfg.sign)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	h, err := materials.NewHandler(materials.Options{
		Repository:  repo,
		Events:      cfg.events,
		Transaction: cfg.tx,
		Verify:      verifier.Verify,
		Logger:      slog.New(slog.NewTextHandler(logs, nil)),
		BodyLimit:   cfg.bodyLimit,
		Checks:      checks.Policy{Mode: checks.Strict},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client, err := api.NewClientWithResponses(srv.URL, api.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return &service{url: srv.URL, http: srv.Client(), client: client, signer: signer, logs: logs}
}

// token signs a token for c valid for an hour.
func (s *service) token(t *testing.T, c access.Caller) string {
	t.Helper()
	tok, err := s.signer.Sign(c, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// as authorizes a generated client's request with a token for c.
func (s *service) as(t *testing.T, c access.Caller) api.RequestEditorFn {
	return bearer(s.token(t, c))
}

// bearer authorizes a generated client's request with token.
func bearer(token string) api.RequestEditorFn {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

// create stores a material through the API as c and fails the test
// unless it is created.
func (s *service) create(t *testing.T, c access.Caller, m api.NewMaterial) api.Material {
	t.Helper()
	res, err := s.client.CreateMaterialWithResponse(context.Background(), nil, m, s.as(t, c))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != http.StatusCreated || res.JSON201 == nil {
		t.Fatalf("create %q: status %d: %s", m.Name, res.StatusCode(), res.Body)
	}
	return *res.JSON201
}

// all lists every material c may see, in ID order.
func (s *service) all(t *testing.T, c access.Caller) []api.Material {
	t.Helper()
	limit := int32(100)
	res, err := s.client.ListMaterialsWithResponse(context.Background(), &api.ListMaterialsParams{Limit: &limit}, s.as(t, c))
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode() != http.StatusOK || res.JSON200 == nil {
		t.Fatalf("list: status %d: %s", res.StatusCode(), res.Body)
	}
	return res.JSON200.Items
}

// do sends a raw request, for what the generated client cannot send:
// wrong types, bad JSON, other media types, unknown routes. An empty
// token sends no Authorization header.
func (s *service) do(t *testing.T, method, target, token, contentType, body string) (*http.Response, []byte) {
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

// assertNoInternals checks that a body leaks no Go, SQL or library text.
func assertNoInternals(t *testing.T, body []byte) {
	t.Helper()
	lower := strings.ToLower(string(body))
	for _, leak := range []string{"goroutine", ".go:", "panic", "sql", "select ", "openapi3", "kin-openapi", "json: cannot", "strconv.", "*errors", "runtime error", "jwt", brokenText} {
		if strings.Contains(lower, strings.ToLower(leak)) {
			t.Errorf("the body leaks %q: %s", leak, body)
		}
	}
}

// equalStrings reports whether a and b hold the same strings in order.
func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// brokenText is the text of the error a broken repository returns; it
// must appear in the logs and never in a response.
const brokenText = "dial tcp 10.0.0.3:5432: connection refused"

// brokenRepository is the in-memory repository with one method failing
// as a database that went away would.
type brokenRepository struct {
	domain.Repository
	// method is read by the server's goroutines while the test sets it.
	method atomic.Pointer[string]
}

// breakMethod makes method fail from now on; "" repairs the repository.
// A method named with the suffix downSuffix fails as sqldb does when the
// database is down: with an error that wraps sqldb.ErrUnavailable.
func (b *brokenRepository) breakMethod(method string) { b.method.Store(&method) }

// downSuffix marks a method that breakMethod breaks as a database that is
// down does.
const downSuffix = " (database down)"

var (
	errBroken = errors.New(brokenText)
	errDown   = fmt.Errorf("%w: %s", sqldb.ErrUnavailable, brokenText)
)

// assertUnavailable checks the answer to a request the database being
// down failed: 503 with a Retry-After in seconds, and the cause in the
// logs rather than in the body (which assertProblem checks).
func assertUnavailable(t *testing.T, f *fixture, e exchange) {
	t.Helper()
	if n, err := strconv.Atoi(e.res.Header.Get("Retry-After")); err != nil || n <= 0 {
		t.Errorf("Retry-After = %q, want a number of seconds", e.res.Header.Get("Retry-After"))
	}
	if logs := f.service.logs.String(); !strings.Contains(logs, brokenText) {
		t.Errorf("the logs do not name the cause:\n%s", logs)
	}
}

// fails returns the error method fails with, or nil.
func (b *brokenRepository) fails(method string) error {
	switch m := b.method.Load(); {
	case m == nil:
		return nil
	case *m == method:
		return errBroken
	case *m == method+downSuffix:
		return errDown
	}
	return nil
}

func (b *brokenRepository) Create(ctx context.Context, m domain.Material) (domain.Material, error) {
	if err := b.fails("Create"); err != nil {
		return domain.Material{}, err
	}
	return b.Repository.Create(ctx, m)
}

func (b *brokenRepository) Get(ctx context.Context, id int64) (domain.Material, error) {
	if err := b.fails("Get"); err != nil {
		return domain.Material{}, err
	}
	return b.Repository.Get(ctx, id)
}

func (b *brokenRepository) Update(ctx context.Context, id, version int64, f domain.Fields, at time.Time) (domain.Material, error) {
	if err := b.fails("Update"); err != nil {
		return domain.Material{}, err
	}
	return b.Repository.Update(ctx, id, version, f, at)
}

func (b *brokenRepository) Delete(ctx context.Context, id, version int64) error {
	if err := b.fails("Delete"); err != nil {
		return err
	}
	return b.Repository.Delete(ctx, id, version)
}

func (b *brokenRepository) Count(ctx context.Context, f domain.Filter) (int64, error) {
	if err := b.fails("Count"); err != nil {
		return 0, err
	}
	return b.Repository.Count(ctx, f)
}

func (b *brokenRepository) Find(ctx context.Context, q domain.Query) ([]domain.Material, error) {
	if err := b.fails("Find"); err != nil {
		return nil, err
	}
	return b.Repository.Find(ctx, q)
}

// syncBuffer collects the service's logs; the server writes them from
// its own goroutines.
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

// ed25519Config is a public-key configuration: the service holds only
// the public key, the signer the private one.
func ed25519Config(t *testing.T) (verify, sign auth.Config) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	verify = auth.Config{Issuer: "idp.example", Audience: "materials", PublicKeys: map[string]crypto.PublicKey{"k1": pub}}
	sign = auth.Config{Issuer: "idp.example", Audience: "materials", SigningKey: priv, SigningKeyID: "k1"}
	return verify, sign
}

// newMemory returns an empty in-memory repository.
func newMemory() domain.Repository { return memory.NewMaterials() }

func ptr[T any](v T) *T { return &v }
