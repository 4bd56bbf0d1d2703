package quotes_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jmoiron/sqlx"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/call"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/services/quotes"
	"github.com/charterhq/charter/stories/access"
	materialsdomain "github.com/charterhq/charter/stories/materials"
	domain "github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// benchCompany is the company of the caller, of its quotes and of the
// materials they are cut from.
const benchCompany = 7

// BenchmarkStack measures what the whole quotes service costs over the
// work it does, as services/materials' BenchmarkStack does for materials:
// for each store and operation, "full" is NewHandler (request ID, recover,
// body limit, authentication with a signed token, contract validation,
// generated strict handler, controller, story, the checks of responses and
// event payloads charterd makes in production) and "bare" is a chi handler
// that calls the same repository functions and encodes the JSON itself.
// make bench prints bare ns/op ÷ full ns/op, the share of the bare
// handler's throughput the full stack keeps.
//
// Submitting prices each line from the materials service: submit-inproc
// calls materials in process (call.InProcess, as charterd hosting both
// does) and submit-http over loopback HTTP (an httptest.Server, as when
// they run apart). Both sides of a submit pair price through the same
// quotes.Materials function, the same call client and the same full
// materials service: the materials call is work a submission does,
// whatever serves it, so the pair measures the quotes stack alone rather
// than the two stacks compounded. Its cost, the same on both sides, is
// why the submit pairs keep more of the bare throughput than get and
// create.
func BenchmarkStack(b *testing.B) {
	ops := []struct {
		name      string
		transport string // how quotes reaches materials
		serve     func(b *testing.B, f *benchFixture, h http.Handler)
	}{
		{"get", "in-process", benchGet},
		{"create", "in-process", benchCreate},
		{"submit-inproc", "in-process", benchSubmit},
		{"submit-http", "loopback", benchSubmit},
	}
	for _, store := range []string{"memory", "sqlite"} {
		b.Run(store, func(b *testing.B) {
			for _, op := range ops {
				b.Run(op.name, func(b *testing.B) {
					for _, kind := range []string{"full", "bare"} {
						b.Run(kind, func(b *testing.B) {
							// A fresh fixture for each run, so that
							// creates and submissions do not grow the
							// data the next run reads.
							f := newBenchFixture(b, store, op.transport)
							h := f.bare()
							if kind == "full" {
								h = f.full(b)
							}
							op.serve(b, f, h)
						})
					}
				})
			}
		})
	}
}

// benchGet reads one of the seeded drafts, with its lines.
func benchGet(b *testing.B, f *benchFixture, h http.Handler) {
	req := f.request(http.MethodGet, "/quotes/"+strconv.FormatInt(f.seeded[len(f.seeded)/2], 10))
	benchServe(b, 0, func(int) { f.serve(b, h, req, http.StatusOK) })
}

// benchCreate creates a draft of two lines.
func benchCreate(b *testing.B, f *benchFixture, h http.Handler) {
	req := f.request(http.MethodPost, "/quotes")
	req.Header.Set("Content-Type", "application/json")
	body := &benchBody{}
	benchServe(b, 0, func(i int) {
		body.set(fmt.Appendf(body.buf[:0],
			`{"lines":[{"material_id":%d,"quantity":%d,"width_mm":600,"height_mm":400},{"material_id":%d,"quantity":4,"width_mm":1200,"height_mm":250}]}`,
			f.materials[0], 1+(i&1023), f.materials[1]))
		req.Body, req.ContentLength = body, int64(body.Len())
		f.serve(b, h, req, http.StatusCreated)
	})
}

// benchSubmit submits a new draft each time: the story prices its two
// lines with two calls to materials and writes the submission.
//
// Each draft has an ID of its own, and the contract remembers the verdict
// on the first 512 distinct values of a path parameter, copying its map to
// add each one: 9.5 MB allocated in all, which spread over a run of a few
// hundred submissions added 5 to 25 KB to full's B/op. A process that
// serves for a while is past them, so the warm-up is too.
func benchSubmit(b *testing.B, f *benchFixture, h http.Handler) {
	req := f.request(http.MethodPost, "/quotes/1/submit")
	var path []byte
	benchServe(b, 600, func(int) {
		path = fmt.Appendf(path[:0], "/quotes/%d/submit", f.nextDraft(b))
		req.URL.Path = string(path)
		req.RequestURI = req.URL.Path
		f.serve(b, h, req, http.StatusOK)
	})
}

// benchServe warms up, for 100 ms and at least warm requests, then times
// serve.
func benchServe(b *testing.B, warm int, serve func(i int)) {
	// Serving for a while before the timing starts, then collecting the
	// garbage, spares both sides of a pair what the previous benchmark
	// left behind and the first requests' one-off costs.
	for i, start := -1, time.Now(); i >= -warm || time.Since(start) < 100*time.Millisecond; i-- {
		serve(i)
	}
	runtime.GC()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		serve(i)
	}
}

// benchFixture is one run's quotes store, materials service and the
// client quotes prices through.
type benchFixture struct {
	repo domain.Repository
	tx   story.Middleware
	// prices reads materials through the call client, in process or over
	// loopback HTTP, as the service's own identity.
	prices domain.MaterialsFunc
	// materials are the two priced materials of benchCompany.
	materials []int64
	// seeded are the drafts get reads.
	seeded []int64
	// drafts are the drafts still to submit.
	drafts []int64
	token  string
}

func newBenchFixture(b *testing.B, store, transport string) *benchFixture {
	f := &benchFixture{}
	var materialsRepo materialsdomain.Repository
	switch store {
	case "memory":
		f.repo, materialsRepo = memory.NewQuotes(), memory.NewMaterials()
	case "sqlite":
		dir := b.TempDir()
		// Each service has a database of its own, as the host gives it.
		open := func(service string) *sqlx.DB {
			db, err := sqldb.Open(context.Background(), filepath.Join(dir, service+".db"), service)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			return db
		}
		db := open("quotes")
		f.repo, f.tx = sqldb.NewQuotes(db), sqldb.Transaction(db)
		materialsRepo = sqldb.NewMaterials(open("materials"))
	default:
		b.Fatalf("no store %q", store)
	}

	signer, err := auth.NewSigner(auth.DevelopmentConfig())
	if err != nil {
		b.Fatal(err)
	}
	verifier, err := auth.NewVerifier(auth.DevelopmentConfig())
	if err != nil {
		b.Fatal(err)
	}
	f.token = benchSign(b, signer, access.Caller{
		Subject: "bench", CompanyID: benchCompany, Roles: []access.Role{access.External},
		Scopes: []string{"quotes:read", "quotes:write"},
	})
	// The token the host would give quotes: staff, materials:read only,
	// signed once.
	identity := benchSign(b, signer, access.Caller{
		Subject: "service:quotes", Roles: []access.Role{access.Staff}, Scopes: []string{"materials:read"},
	})

	at := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	for i, price := range []int64{12000, 6500} {
		m, err := materialsRepo.Create(context.Background(), materialsdomain.Material{
			CompanyID: benchCompany, Name: fmt.Sprintf("%d mm steel", 10-5*i), Quality: "steel", Thickness: float64(10 - 5*i),
			IsActive: true, Price: &materialsdomain.Money{Amount: price, Currency: "EUR"}, CreatedAt: at, UpdatedAt: at,
		})
		if err != nil {
			b.Fatal(err)
		}
		f.materials = append(f.materials, m.ID)
	}
	materialsHandler, err := materials.NewHandler(materials.Options{
		Repository: materialsRepo, Verify: verifier.Verify, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	o := call.Options{Name: "materials", Token: func(context.Context) (string, error) { return identity, nil }}
	baseURL := "http://materials.in-process"
	if transport == "loopback" {
		srv := httptest.NewServer(materialsHandler)
		b.Cleanup(srv.Close)
		baseURL = srv.URL
	} else {
		o.Transport = call.InProcess(materialsHandler)
	}
	f.prices, err = quotes.Materials(baseURL, call.NewClient(o))
	if err != nil {
		b.Fatal(err)
	}

	f.seeded = f.createDrafts(b, 100)
	return f
}

func (f *benchFixture) full(b *testing.B) http.Handler {
	verifier, err := auth.NewVerifier(auth.DevelopmentConfig())
	if err != nil {
		b.Fatal(err)
	}
	h, err := quotes.NewHandler(quotes.Options{
		Parts:  quotes.Parts{Repository: f.repo, Copies: memory.NewMaterialCopies(), Materials: f.prices, Now: time.Now, Transaction: f.tx},
		Verify: verifier.Verify,
		Logger: slog.New(slog.DiscardHandler),
		Checks: productionChecks(b),
	})
	if err != nil {
		b.Fatal(err)
	}
	return h
}

// productionChecks are the checks of responses and event payloads
// charterd makes in this environment: sampled:0.01 outside development
// when CHARTER_RESPONSE_CHECK is not set, so that the full stack is
// measured as it runs in production; CHARTER_RESPONSE_CHECK=off make
// bench measures it without them.
func productionChecks(tb testing.TB) checks.Policy {
	cfg, err := host.FromEnv(os.Getenv)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := cfg.Checks()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// createDrafts stores n drafts of two lines straight into the repository.
func (f *benchFixture) createDrafts(b *testing.B, n int) []int64 {
	now := time.Now()
	ids := make([]int64, 0, n)
	for i := range n {
		q, err := f.repo.Create(context.Background(), domain.Quote{
			CompanyID: benchCompany, State: domain.Draft, CreatedAt: now, UpdatedAt: now,
			Lines: []domain.Line{
				{MaterialID: f.materials[0], Quantity: int32(1 + i%100), WidthMM: 600, HeightMM: 400},
				{MaterialID: f.materials[1], Quantity: 4, WidthMM: 1200, HeightMM: 250},
			},
		})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, q.ID)
	}
	return ids
}

// nextDraft returns a draft nobody submitted yet, making a batch of them
// with the timer stopped when none is left.
func (f *benchFixture) nextDraft(b *testing.B) int64 {
	if len(f.drafts) == 0 {
		b.StopTimer()
		f.drafts = f.createDrafts(b, 1000)
		b.StartTimer()
	}
	id := f.drafts[0]
	f.drafts = f.drafts[1:]
	return id
}

func (f *benchFixture) request(method, target string) *http.Request {
	req := httptest.NewRequest(method, target, nil)
	req.Header.Set("Authorization", "Bearer "+f.token)
	return req
}

// serve sends req to h and checks the status.
func (f *benchFixture) serve(b *testing.B, h http.Handler, req *http.Request, status int) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != status {
		b.Fatalf("%s %s: status %d, want %d: %s", req.Method, req.URL, w.Code, status, w.Body)
	}
}

func benchSign(b *testing.B, s *auth.Signer, c access.Caller) string {
	token, err := s.Sign(c, time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	return token
}

// bare is what the service would be without the edge, the contract, the
// generated code and the stories: chi, the repository, the materials
// call and encoding/json. It answers benchCompany's caller only.
func (f *benchFixture) bare() http.Handler {
	repo := f.repo
	r := chi.NewRouter()
	quote := func(w http.ResponseWriter, r *http.Request) (domain.Quote, bool) {
		id, err := strconv.ParseInt(chi.URLParam(r, "quote_id"), 10, 64)
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return domain.Quote{}, false
		}
		q, err := repo.Get(r.Context(), id)
		if err != nil || q.CompanyID != benchCompany {
			http.Error(w, "not found", http.StatusNotFound)
			return domain.Quote{}, false
		}
		return q, true
	}
	r.Get("/quotes/{quote_id}", func(w http.ResponseWriter, r *http.Request) {
		if q, ok := quote(w, r); ok {
			benchJSON(w, http.StatusOK, benchQuote(q))
		}
	})
	r.Post("/quotes", func(w http.ResponseWriter, r *http.Request) {
		var in api.NewQuote
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		now := time.Now()
		q := domain.Quote{CompanyID: benchCompany, State: domain.Draft, CreatedAt: now, UpdatedAt: now}
		if in.Lines != nil {
			for _, l := range *in.Lines {
				q.Lines = append(q.Lines, domain.Line{MaterialID: l.MaterialId, Quantity: l.Quantity, WidthMM: l.WidthMm, HeightMM: l.HeightMm})
			}
		}
		q, err := repo.Create(r.Context(), q)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Location", "/quotes/"+strconv.FormatInt(q.ID, 10))
		benchJSON(w, http.StatusCreated, benchQuote(q))
	})
	r.Post("/quotes/{quote_id}/submit", func(w http.ResponseWriter, r *http.Request) {
		q, ok := quote(w, r)
		if !ok {
			return
		}
		if q.State != domain.Draft || len(q.Lines) == 0 {
			http.Error(w, "not a draft with lines", http.StatusConflict)
			return
		}
		ids := make([]int64, len(q.Lines))
		for i, l := range q.Lines {
			ids[i] = l.MaterialID
		}
		slices.Sort(ids)
		found, err := f.prices(r.Context(), slices.Compact(ids))
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		lines := make([]domain.Line, len(q.Lines))
		total := domain.Money{}
		for i, l := range q.Lines {
			m, ok := found[l.MaterialID]
			if !ok || m.CompanyID != q.CompanyID || !m.Active || (i > 0 && m.PricePerSquareMetre.Currency != total.Currency) {
				http.Error(w, "material unavailable", http.StatusUnprocessableEntity)
				return
			}
			// The exact price of the part rounded half up to the minor
			// unit: the story's rule, without its overflow checks.
			unit := (int64(l.WidthMM)*int64(l.HeightMM)*m.PricePerSquareMetre.Amount + 500_000) / 1_000_000
			l.MaterialName = m.Name
			l.UnitPrice = domain.Money{Amount: unit, Currency: m.PricePerSquareMetre.Currency}
			l.Total = domain.Money{Amount: unit * int64(l.Quantity), Currency: m.PricePerSquareMetre.Currency}
			lines[i] = l
			total.Amount += l.Total.Amount
			total.Currency = l.Total.Currency
		}
		now := time.Now()
		q, err = repo.Submit(r.Context(), q.ID, q.Version, domain.Submission{
			Lines: lines, Total: total, ValidUntil: now.Add(domain.DefaultValidity), At: now,
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		benchJSON(w, http.StatusOK, benchQuote(q))
	})
	return r
}

// benchQuote is the API's view of q.
func benchQuote(q domain.Quote) api.Quote {
	out := api.Quote{
		Id: q.ID, CompanyId: q.CompanyID, State: api.QuoteState(q.State), Lines: make([]api.QuoteLine, len(q.Lines)),
		CreatedAt: q.CreatedAt.UTC(), UpdatedAt: q.UpdatedAt.UTC(), ValidUntil: q.ValidUntil, SubmittedAt: q.SubmittedAt,
	}
	for i, l := range q.Lines {
		out.Lines[i] = api.QuoteLine{MaterialId: l.MaterialID, Quantity: l.Quantity, WidthMm: l.WidthMM, HeightMm: l.HeightMM}
		if q.State != domain.Draft {
			name := l.MaterialName
			out.Lines[i].MaterialName = &name
			out.Lines[i].UnitPrice = &shared.Money{Amount: l.UnitPrice.Amount, Currency: l.UnitPrice.Currency}
			out.Lines[i].Total = &shared.Money{Amount: l.Total.Amount, Currency: l.Total.Currency}
		}
	}
	if q.Total != nil {
		out.Total = &shared.Money{Amount: q.Total.Amount, Currency: q.Total.Currency}
	}
	return out
}

func benchJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// benchBody sends a new body with each request without allocating a
// reader each time.
type benchBody struct {
	bytes.Reader
	buf []byte
}

func (b *benchBody) set(data []byte) {
	b.buf = data
	b.Reset(data)
}

func (*benchBody) Close() error { return nil }

var _ io.ReadCloser = (*benchBody)(nil)
