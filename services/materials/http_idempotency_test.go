package materials_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/idempotency"
	domain "github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// keyedStore is a repository with the transaction and the idempotency
// keys that go with it, as a service's build wires them.
type keyedStore struct {
	repo domain.Repository
	tx   story.Middleware
	keys idempotency.Store
}

var keyedStores = []struct {
	name string
	open func(t *testing.T) keyedStore
}{
	{"memory", func(*testing.T) keyedStore {
		return keyedStore{repo: newMemory(), keys: memory.NewIdempotencyKeys()}
	}},
	{"sqlite", func(t *testing.T) keyedStore {
		return openKeyed(t, filepath.Join(t.TempDir(), "materials.db"))
	}},
	{"postgres", func(t *testing.T) keyedStore {
		return openKeyed(t, pgtest.NewDatabase(t)) // skips without PostgreSQL
	}},
}

func openKeyed(t *testing.T, url string) keyedStore {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, "materials")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return keyedStore{repo: sqldb.NewMaterials(db), tx: sqldb.Transaction(db), keys: sqldb.NewIdempotencyKeys(db)}
}

// startKeyed serves the materials service over s.
func startKeyed(t *testing.T, s keyedStore) *service {
	t.Helper()
	verifier, err := auth.NewVerifier(hsConfig())
	if err != nil {
		t.Fatal(err)
	}
	signer, err := auth.NewSigner(hsConfig())
	if err != nil {
		t.Fatal(err)
	}
	h, err := materials.NewHandler(materials.Options{
		Repository: s.repo, Transaction: s.tx, Idempotency: s.keys,
		Verify: verifier.Verify,
		Checks: checks.Policy{Mode: checks.Strict},
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
	return &service{url: srv.URL, http: srv.Client(), client: client, signer: signer}
}

// TestIdempotencyKeyOnEveryStore checks createMaterial under an
// Idempotency-Key: a retry is answered as the first request was, without a
// second material; another request under the same key is refused; and of
// concurrent retries exactly one creates.
func TestIdempotencyKeyOnEveryStore(t *testing.T) {
	ctx := context.Background()
	copper := api.NewMaterial{CompanyId: ptr[int64](ownCompany), Name: "Copper", Quality: "Cu", Thickness: 1}
	for _, store := range keyedStores {
		t.Run(store.name+"/a retry with the same key gets the first 201 and creates nothing", func(t *testing.T) {
			s := startKeyed(t, store.open(t))
			as := s.as(t, staff(readWrite...))
			key := &api.CreateMaterialParams{IdempotencyKey: ptr("k-1")}
			first, err := s.client.CreateMaterialWithResponse(ctx, key, copper, as)
			if err != nil || first.StatusCode() != http.StatusCreated {
				t.Fatalf("first: %v %v %s", err, first.Status(), first.Body)
			}
			again, err := s.client.CreateMaterialWithResponse(ctx, key, copper, as)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := again.StatusCode(), http.StatusCreated; got != want {
				t.Fatalf("retry status = %d, want %d: %s", got, want, again.Body)
			}
			if got, want := string(again.Body), string(first.Body); got != want {
				t.Errorf("retry body = %s, want %s", got, want)
			}
			for _, h := range []string{"Location", "ETag", "Content-Type"} {
				if got, want := again.HTTPResponse.Header.Get(h), first.HTTPResponse.Header.Get(h); got != want {
					t.Errorf("retry %s = %q, want %q", h, got, want)
				}
			}
			if got := len(s.all(t, staff(readWrite...))); got != 1 {
				t.Errorf("%d materials, want 1", got)
			}
		})
		t.Run(store.name+"/the same key with another body is 422", func(t *testing.T) {
			s := startKeyed(t, store.open(t))
			as := s.as(t, staff(readWrite...))
			key := &api.CreateMaterialParams{IdempotencyKey: ptr("k-2")}
			if res, err := s.client.CreateMaterialWithResponse(ctx, key, copper, as); err != nil || res.StatusCode() != http.StatusCreated {
				t.Fatalf("first: %v %v", err, res.Status())
			}
			zinc := copper
			zinc.Name = "Zinc"
			res, err := s.client.CreateMaterialWithResponse(ctx, key, zinc, as)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := res.StatusCode(), http.StatusUnprocessableEntity; got != want {
				t.Fatalf("status = %d, want %d: %s", got, want, res.Body)
			}
			if got := len(s.all(t, staff(readWrite...))); got != 1 {
				t.Errorf("%d materials, want 1", got)
			}
		})
		t.Run(store.name+"/keys belong to their caller", func(t *testing.T) {
			s := startKeyed(t, store.open(t))
			key := &api.CreateMaterialParams{IdempotencyKey: ptr("k-3")}
			if res, err := s.client.CreateMaterialWithResponse(ctx, key, copper, s.as(t, staff(readWrite...))); err != nil || res.StatusCode() != http.StatusCreated {
				t.Fatalf("staff: %v %v", err, res.Status())
			}
			zinc := api.NewMaterial{Name: "Zinc", Quality: "Zn", Thickness: 1}
			res, err := s.client.CreateMaterialWithResponse(ctx, key, zinc, s.as(t, external(ownCompany, readWrite...)))
			if err != nil || res.StatusCode() != http.StatusCreated {
				t.Fatalf("another caller with the same key: %v %v %s", err, res.Status(), res.Body)
			}
		})
		t.Run(store.name+"/a failure is not kept: its retry runs again", func(t *testing.T) {
			s := startKeyed(t, store.open(t))
			as := s.as(t, staff(readWrite...))
			s.create(t, staff(readWrite...), copper)
			key := &api.CreateMaterialParams{IdempotencyKey: ptr("k-4")}
			for i := range 2 {
				res, err := s.client.CreateMaterialWithResponse(ctx, key, copper, as)
				if err != nil || res.StatusCode() != http.StatusConflict {
					t.Fatalf("attempt %d: %v %v, want 409 (the name is taken)", i, err, res.Status())
				}
			}
		})
		t.Run(store.name+"/ten concurrent retries with one key create exactly one material", func(t *testing.T) {
			s := startKeyed(t, store.open(t))
			as := s.as(t, staff(readWrite...))
			key := &api.CreateMaterialParams{IdempotencyKey: ptr("k-5")}
			const n = 10
			var wg sync.WaitGroup
			statuses := make([]int, n)
			bodies := make([][]byte, n)
			for i := range n {
				wg.Go(func() {
					res, err := s.client.CreateMaterialWithResponse(ctx, key, copper, as)
					if err != nil {
						t.Error(err)
						return
					}
					statuses[i], bodies[i] = res.StatusCode(), res.Body
				})
			}
			wg.Wait()
			var created []byte
			for i, st := range statuses {
				switch st {
				case http.StatusCreated:
					if created != nil && string(bodies[i]) != string(created) {
						t.Errorf("two different 201 bodies: %s and %s", created, bodies[i])
					}
					created = bodies[i]
				case http.StatusConflict:
				default:
					t.Errorf("request %d: status %d, want 201 or 409: %s", i, st, bodies[i])
				}
			}
			if created == nil {
				t.Fatalf("no request got 201: %v", statuses)
			}
			var m api.Material
			if err := json.Unmarshal(created, &m); err != nil {
				t.Fatal(err)
			}
			if got := s.all(t, staff(readWrite...)); len(got) != 1 || got[0].Id != m.Id {
				t.Errorf("materials = %v, want only %d", got, m.Id)
			}
		})
	}
}
