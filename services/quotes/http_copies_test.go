package quotes_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	materialsdomain "github.com/charterhq/charter/stories/materials"
	domain "github.com/charterhq/charter/stories/quotes"
)

// copiesStores are the stores the copies tests run over: quotes and its
// copies of materials in one database, the writing stories in its
// transaction.
var copiesStores = []struct {
	name string
	opts func(t *testing.T) []systemOption
}{
	{"memory", func(*testing.T) []systemOption { return nil }},
	{"sqlite", func(t *testing.T) []systemOption { return sqlStore(t, filepath.Join(t.TempDir(), "quotes.db")) }},
	{"postgres", func(t *testing.T) []systemOption { return sqlStore(t, pgtest.NewDatabase(t)) }}, // skips without PostgreSQL
}

func sqlStore(t *testing.T, url string) []systemOption {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, "quotes")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return []systemOption{over(sqldb.NewQuotes(db), sqldb.Transaction(db)), withCopies(sqldb.NewMaterialCopies(db)),
		withOutbox(sqldb.NewOutbox(db))}
}

// copyOf is quotes' copy of m as the event of its last change carries it;
// the material's version stands for the event's sequence, which grows
// with each change of the material as the version does.
func copyOf(m materialsdomain.Material) domain.MaterialCopy {
	c := domain.MaterialCopy{ID: m.ID, CompanyID: m.CompanyID, Name: m.Name, Thickness: m.Thickness, Active: m.IsActive,
		Sequence: m.Version, ChangedAt: m.UpdatedAt}
	if m.Price != nil {
		c.Price = &domain.Money{Amount: m.Price.Amount, Currency: m.Price.Currency}
	}
	return c
}

// keepCopy applies a material event to quotes' copies, as quotes'
// consumer does, and fails the test unless the story succeeds.
func (s *system) keepCopy(tb testing.TB, c domain.MaterialCopy) {
	tb.Helper()
	if _, err := s.keep.Run(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
}

// TestSubmitWithMaterialsDown checks that a quote is priced from quotes'
// copies of its materials with the materials service stopped: nothing
// listens where quotes would call it, and it is never called.
func TestSubmitWithMaterialsDown(t *testing.T) {
	for _, store := range copiesStores {
		t.Run(store.name, func(t *testing.T) {
			s := startSystem(t, append(store.opts(t), overHTTP())...)
			cat := s.catalogue
			for _, m := range []materialsdomain.Material{cat.steel, cat.stainless, cat.inactive} {
				s.keepCopy(t, copyOf(m))
			}
			s.materials.stop(t)

			t.Run("a quote of copied materials is priced from the copies", func(t *testing.T) {
				q := s.draft(t, bob, line(cat.steel, 2, 1000, 500), line(cat.stainless, 1, 1000, 1000))
				got := s.submit(t, bob, q.Id)
				// 0.5 m² at 120.00 twice, and 1 m² at 65.00.
				if got.State != api.Submitted || got.Total == nil || got.Total.Amount != 2*6000+6500 || got.Total.Currency != "EUR" {
					t.Errorf("submitted %+v total %+v, want 185.00 EUR", got.State, got.Total)
				}
				if n := got.Lines[0].MaterialName; n == nil || *n != cat.steel.Name {
					t.Errorf("the first line's material name is %v, want %q", n, cat.steel.Name)
				}
			})

			t.Run("a later change of a copy prices the next quote", func(t *testing.T) {
				dearer := copyOf(cat.steel)
				dearer.Sequence, dearer.ChangedAt = cat.steel.Version+1, cat.steel.UpdatedAt.Add(time.Minute)
				dearer.Price = &domain.Money{Amount: 15000, Currency: "EUR"}
				s.keepCopy(t, dearer)
				s.keepCopy(t, copyOf(cat.steel)) // the older change, delivered again, changes nothing
				q := s.draft(t, bob, line(cat.steel, 1, 1000, 1000))
				if got := s.submit(t, bob, q.Id); got.Total == nil || got.Total.Amount != 15000 {
					t.Errorf("total %+v, want 150.00 EUR, the later price", got.Total)
				}
			})

			t.Run("an inactive or deleted material is unavailable, not unreachable", func(t *testing.T) {
				s.keepCopy(t, domain.MaterialCopy{ID: cat.stainless.ID, CompanyID: ownCompany, Deleted: true, ChangedAt: epoch.Add(time.Hour)})
				for _, m := range []materialsdomain.Material{cat.inactive, cat.stainless} {
					q := s.draft(t, bob, line(m, 1, 100, 100))
					res, body := s.do(t, "POST", idPath(q.Id)+"/submit", s.token(t, bob), "", "")
					p := assertProblem(t, res, body, http.StatusConflict)
					if got, want := p.pointers(), []string{"#/lines/0/material_id"}; !equalStrings(got, want) {
						t.Errorf("%s: pointers %v, want %v", m.Name, got, want)
					}
				}
			})

			t.Run("a material without a copy is unreachable while materials is down", func(t *testing.T) {
				q := s.draft(t, bob, line(cat.steel, 1, 100, 100), line(cat.dollars, 1, 100, 100))
				res, body := s.do(t, "POST", idPath(q.Id)+"/submit", s.token(t, bob), "", "")
				assertProblem(t, res, body, http.StatusServiceUnavailable)
				if got := s.get(t, bob, q.Id); got.State != api.Draft {
					t.Errorf("after the refusal the quote is %s, want a draft", got.State)
				}
			})

			if got := s.materials.calls.Load(); got != 0 {
				t.Errorf("materials was called %d times, want never", got)
			}
		})
	}
}
