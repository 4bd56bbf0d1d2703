package materials_test

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
	"strconv"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/materials"
)

// benchCompany is the company of the caller and of the seeded materials.
const benchCompany = 7

// BenchmarkStack measures what the whole service costs over the work it
// does: for each repository and operation, "full" is NewHandler (request
// ID, recover, body limit, authentication with a signed token, contract
// validation, generated strict handler, controller, story, the checks of
// responses and event payloads charterd makes in production) and "bare" is
// a chi handler that calls the same repository functions and encodes the
// JSON itself. make bench prints bare ns/op ÷ full ns/op, the share of
// the bare handler's throughput the full stack keeps.
func BenchmarkStack(b *testing.B) {
	repos := []struct {
		name string
		open func(testing.TB) domain.Repository
	}{
		{"memory", func(testing.TB) domain.Repository { return memory.NewMaterials() }},
		{"sqlite", func(tb testing.TB) domain.Repository {
			db, err := sqldb.Open(context.Background(), filepath.Join(tb.TempDir(), "bench.db"), "materials")
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { db.Close() })
			return sqldb.NewMaterials(db)
		}},
	}
	token := benchToken(b)
	cases := []struct {
		name, method, target string
		create               bool
		status               int
	}{
		{"get", http.MethodGet, "/materials/42", false, http.StatusOK},
		{"list", http.MethodGet, "/materials?limit=20&offset=10&ordering=name&is_active=true", false, http.StatusOK},
		{"create", http.MethodPost, "/materials", true, http.StatusCreated},
	}
	for _, repo := range repos {
		b.Run(repo.name, func(b *testing.B) {
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					for _, kind := range []string{"full", "bare"} {
						b.Run(kind, func(b *testing.B) {
							// A fresh repository for each run, so that
							// creates do not grow the data the next run
							// reads.
							r := seed(b, repo.open(b))
							var h http.Handler
							if kind == "full" {
								h = fullHandler(b, r)
							} else {
								h = bareHandler(r)
							}
							req := httptest.NewRequest(c.method, c.target, nil)
							req.Header.Set("Authorization", "Bearer "+token)
							body := &rewindBody{}
							if c.create {
								req.Header.Set("Content-Type", "application/json")
							}
							// serve sends the i-th request and checks its status.
							serve := func(i int) {
								if c.create {
									body.set(fmt.Appendf(body.buf[:0],
										`{"name":"bench %d","quality":"steel","thickness":2.5,"is_active":true}`, i))
									req.Body, req.ContentLength = body, int64(body.Len())
								}
								w := httptest.NewRecorder()
								h.ServeHTTP(w, req)
								if w.Code != c.status {
									b.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
								}
							}
							warmUp(serve)
							b.ReportAllocs()
							for i := 0; b.Loop(); i++ {
								serve(i)
							}
						})
					}
				})
			}
		})
	}
}

// warmUp serves requests for a while before the timing starts, then
// collects the garbage: what the previous benchmark left behind (a heap
// the runtime is still returning to the system, a database file being
// deleted) and the first requests' one-off costs then weigh on neither
// side of a pair, whichever runs first.
func warmUp(serve func(i int)) {
	for i, start := -1, time.Now(); time.Since(start) < 100*time.Millisecond; i-- {
		serve(i)
	}
	runtime.GC()
}

// benchToken signs a token for an external caller of benchCompany with
// the scopes every operation needs.
func benchToken(tb testing.TB) string {
	signer, err := auth.NewSigner(auth.DevelopmentConfig())
	if err != nil {
		tb.Fatal(err)
	}
	token, err := signer.Sign(access.Caller{
		Subject: "bench", CompanyID: benchCompany, Roles: []access.Role{access.External},
		Scopes: []string{"materials:read", "materials:write"},
	}, time.Hour)
	if err != nil {
		tb.Fatal(err)
	}
	return token
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

func fullHandler(tb testing.TB, r domain.Repository) http.Handler {
	verifier, err := auth.NewVerifier(auth.DevelopmentConfig())
	if err != nil {
		tb.Fatal(err)
	}
	h, err := materials.NewHandler(materials.Options{
		Repository: r,
		Verify:     verifier.Verify,
		Logger:     slog.New(slog.DiscardHandler),
		Checks:     productionChecks(tb),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// seed stores 100 materials of benchCompany, half of them active.
func seed(tb testing.TB, r domain.Repository) domain.Repository {
	at := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	for i := range 100 {
		_, err := r.Create(context.Background(), domain.Material{
			CompanyID: benchCompany, Name: fmt.Sprintf("seed %03d", i), Quality: "steel",
			Thickness: float64(1 + i%10), IsActive: i%2 == 0, CreatedAt: at, UpdatedAt: at,
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return r
}

// bareHandler is what the service would be without the edge, the
// contract, the generated code and the stories: chi, the repository and
// encoding/json.
func bareHandler(repo domain.Repository) http.Handler {
	r := chi.NewRouter()
	r.Get("/materials/{material_id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(chi.URLParam(r, "material_id"), 10, 64)
		if err != nil {
			http.Error(w, "bad id", http.StatusBadRequest)
			return
		}
		m, err := repo.Get(r.Context(), id)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		writeJSON(w, http.StatusOK, bareMaterial(m))
	})
	r.Get("/materials", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		limit, _ := strconv.Atoi(q.Get("limit"))
		offset, _ := strconv.Atoi(q.Get("offset"))
		query := domain.Query{Filter: domain.Filter{CompanyID: benchCompany}, Limit: limit, Offset: offset}
		if v := q.Get("is_active"); v != "" {
			active := v == "true"
			query.IsActive = &active
		}
		order, err := domain.ParseOrdering(q.Get("ordering"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		query.Order = order
		count, err := repo.Count(r.Context(), query.Filter)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		found, err := repo.Find(r.Context(), query)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		page := api.MaterialPage{Items: make([]api.Material, len(found)), Count: count, Limit: int32(limit), Offset: int32(offset)}
		for i, m := range found {
			page.Items[i] = bareMaterial(m)
		}
		writeJSON(w, http.StatusOK, page)
	})
	r.Post("/materials", func(w http.ResponseWriter, r *http.Request) {
		var in api.NewMaterial
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		now := time.Now()
		m, err := repo.Create(r.Context(), domain.Material{
			CompanyID: benchCompany, Name: in.Name, Quality: in.Quality, Thickness: in.Thickness,
			IsActive: in.IsActive == nil || *in.IsActive, CreatedAt: now, UpdatedAt: now,
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.Header().Set("Location", "/materials/"+strconv.FormatInt(m.ID, 10))
		writeJSON(w, http.StatusCreated, bareMaterial(m))
	})
	return r
}

func bareMaterial(m domain.Material) api.Material {
	return api.Material{
		Id: m.ID, CompanyId: m.CompanyID, Name: m.Name, Quality: m.Quality, Thickness: m.Thickness,
		IsActive: m.IsActive, CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// rewindBody sends a new body with each request without allocating a
// reader each time.
type rewindBody struct {
	bytes.Reader
	buf []byte
}

func (b *rewindBody) set(data []byte) {
	b.buf = data
	b.Reset(data)
}

func (*rewindBody) Close() error { return nil }

var _ io.ReadCloser = (*rewindBody)(nil)
