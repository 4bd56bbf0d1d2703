package quotes_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// The callers of the tests: Acme (company 1) and Globex (company 2) have
// quotes; Initech (company 3) has none.
var (
	staff   = access.Caller{Subject: "sam", Roles: []access.Role{access.Staff}}
	acme    = access.Caller{Subject: "ann", CompanyID: 1, Roles: []access.Role{access.External}}
	globex  = access.Caller{Subject: "gus", CompanyID: 2, Roles: []access.Role{access.External}}
	initech = access.Caller{Subject: "ivy", CompanyID: 3, Roles: []access.Role{access.External}}
	// homeless is external but belongs to no company, so reaches nothing.
	homeless = access.Caller{Subject: "hal", Roles: []access.Role{access.External}}
	// nobody has neither role.
	nobody = access.Caller{Subject: "nat", Scopes: []string{"quotes:read", "quotes:write"}}
)

// now is the clock of the stories under test; the seeded quotes are older.
var now = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

func clock() time.Time { return now }

// The permission filters, by the name of the injector that uses them.
var filters = map[string]func(access.Caller, quotes.Filter) (quotes.Filter, error){
	"staff":    quotes.StaffAccess,
	"external": quotes.CompanyAccess,
}

func eur(amount int64) quotes.Money { return quotes.Money{Amount: amount, Currency: "EUR"} }

// catalogue is what the materials service knows, by ID:
//
//	 1 Acme   "2 mm Steel"      active         45.00 EUR/m²
//	 2 Acme   "3 mm Aluminium"  active        120.00 EUR/m²
//	 3 Acme   "5 mm Copper"     inactive      300.00 EUR/m²
//	 4 Globex "8 mm Steel"      active         90.00 EUR/m²
//	 5 Acme   "1 mm Brass"      active         80.00 USD/m²
//	 6 Acme   "Unobtainium"     active   a price no part can be quoted at
//	 7 Acme   "Free sample"     active          0.00 EUR/m²
//	 8 Acme   "Mispriced"       active         -1.00 EUR/m²
//	 9 Acme   "Nameless money"  active         10.00 in no currency
//	10 Acme   "Platinum"        active   50,000,000.00 EUR/m²
//
// One Platinum line of 10,000 parts of 10 × 10 m is within MaxAmount; two
// are not.
//
// Any other ID is unknown.
var catalogue = map[int64]quotes.PricedMaterial{
	1:  {ID: 1, CompanyID: 1, Name: "2 mm Steel", Active: true, PricePerSquareMetre: eur(4500)},
	2:  {ID: 2, CompanyID: 1, Name: "3 mm Aluminium", Active: true, PricePerSquareMetre: eur(12000)},
	3:  {ID: 3, CompanyID: 1, Name: "5 mm Copper", PricePerSquareMetre: eur(30000)},
	4:  {ID: 4, CompanyID: 2, Name: "8 mm Steel", Active: true, PricePerSquareMetre: eur(9000)},
	5:  {ID: 5, CompanyID: 1, Name: "1 mm Brass", Active: true, PricePerSquareMetre: quotes.Money{Amount: 8000, Currency: "USD"}},
	6:  {ID: 6, CompanyID: 1, Name: "Unobtainium", Active: true, PricePerSquareMetre: eur(1 << 62)},
	7:  {ID: 7, CompanyID: 1, Name: "Free sample", Active: true, PricePerSquareMetre: eur(0)},
	8:  {ID: 8, CompanyID: 1, Name: "Mispriced", Active: true, PricePerSquareMetre: eur(-100)},
	9:  {ID: 9, CompanyID: 1, Name: "Nameless money", Active: true, PricePerSquareMetre: quotes.Money{Amount: 1000}},
	10: {ID: 10, CompanyID: 1, Name: "Platinum", Active: true, PricePerSquareMetre: eur(5_000_000_000)},
}

// materialsService is a fake of the materials service: it answers from
// catalogue and remembers what it was asked.
type materialsService struct {
	mu    sync.Mutex
	asked [][]int64
	// down, when set, is returned instead of an answer.
	down error
}

// Materials answers one lookup, as the injected dependency.
func (m *materialsService) Materials(_ context.Context, ids []int64) (map[int64]quotes.PricedMaterial, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.asked = append(m.asked, slices.Clone(ids))
	if m.down != nil {
		return nil, m.down
	}
	out := map[int64]quotes.PricedMaterial{}
	for _, id := range ids {
		if pm, ok := catalogue[id]; ok {
			out[id] = pm
		}
	}
	return out, nil
}

// copyOf is quotes' copy of material id of the catalogue, as its creation
// event left it.
func copyOf(id int64) quotes.MaterialCopy {
	m := catalogue[id]
	price := m.PricePerSquareMetre
	return quotes.MaterialCopy{ID: m.ID, CompanyID: m.CompanyID, Name: m.Name, Thickness: 2, Active: m.Active,
		Price: &price, Sequence: 1, ChangedAt: now.Add(-time.Hour)}
}

// keep stores c in copies through the story that applies material events.
func keep(t *testing.T, copies quotes.MaterialCopies, c quotes.MaterialCopy) {
	t.Helper()
	k, err := quotes.NewKeepMaterialCopy(quotes.KeepMaterialCopyDeps{Keep: copies.Keep})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Run(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

// keepCatalogue stores a copy of every material of the catalogue.
func keepCatalogue(t *testing.T, copies quotes.MaterialCopies) {
	t.Helper()
	for id := range catalogue {
		keep(t, copies, copyOf(id))
	}
}

func line(material int64, quantity, width, height int32) quotes.Line {
	return quotes.Line{MaterialID: material, Quantity: quantity, WidthMM: width, HeightMM: height}
}

func at(t time.Time) *time.Time { return &t }

// seeded returns a repository holding, by ID:
//
//	1 Acme   draft      2 × 1000×500 of 1, 1 × 200×300 of 2
//	2 Acme   draft      no lines
//	3 Acme   submitted  valid for 10 more days
//	4 Acme   submitted  lapsed yesterday, not yet marked expired
//	5 Globex draft      1 × 100×100 of 4
//	6 Globex submitted  valid for 1 more day
//	7 Acme   accepted
//	8 Globex rejected
//	9 Acme   expired
//
// created a day apart in ID order and last changed in reverse order.
func seeded(t *testing.T) *memory.Quotes {
	t.Helper()
	repo := memory.NewQuotes()
	priced := func(ls ...quotes.Line) []quotes.Line {
		for i := range ls {
			ls[i].MaterialName = catalogue[ls[i].MaterialID].Name
			ls[i].UnitPrice = eur(100)
			ls[i].Total = eur(100 * int64(ls[i].Quantity))
		}
		return ls
	}
	submitted := func(company int64, validFor time.Duration, state quotes.State) quotes.Quote {
		total := eur(300)
		return quotes.Quote{
			CompanyID: company, State: state, Lines: priced(line(1+3*(company-1), 3, 100, 100)),
			Total: &total, ValidUntil: at(now.Add(validFor)), SubmittedAt: at(now.Add(validFor - quotes.DefaultValidity)),
		}
	}
	decided := func(q quotes.Quote) quotes.Quote {
		q.DecidedAt = at(*q.SubmittedAt)
		return q
	}
	for i, q := range []quotes.Quote{
		{CompanyID: 1, State: quotes.Draft, Lines: []quotes.Line{line(1, 2, 1000, 500), line(2, 1, 200, 300)}},
		{CompanyID: 1, State: quotes.Draft},
		submitted(1, 10*24*time.Hour, quotes.Submitted),
		submitted(1, -24*time.Hour, quotes.Submitted),
		{CompanyID: 2, State: quotes.Draft, Lines: []quotes.Line{line(4, 1, 100, 100)}},
		submitted(2, 24*time.Hour, quotes.Submitted),
		decided(submitted(1, 2*24*time.Hour, quotes.Accepted)),
		decided(submitted(2, 3*24*time.Hour, quotes.Rejected)),
		submitted(1, -40*24*time.Hour, quotes.Expired),
	} {
		q.CreatedAt = now.AddDate(0, 0, i-20)
		q.UpdatedAt = now.AddDate(0, 0, -i)
		if _, err := repo.Create(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

func get(t *testing.T, repo *memory.Quotes, id int64) quotes.Quote {
	t.Helper()
	q, err := repo.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("quote %d: %v", id, err)
	}
	return q
}

// snapshot returns every quote of repo by ID, to check what a story left
// unchanged.
func snapshot(t *testing.T, repo *memory.Quotes) map[int64]quotes.Quote {
	t.Helper()
	all, err := repo.Find(context.Background(), quotes.Query{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]quotes.Quote{}
	for _, q := range all {
		out[q.ID] = q
	}
	return out
}

// unchanged fails unless repo holds exactly before.
func unchanged(t *testing.T, repo *memory.Quotes, before map[int64]quotes.Quote) {
	t.Helper()
	after := snapshot(t, repo)
	if !maps.EqualFunc(before, after, sameQuote) {
		t.Errorf("the repository changed:\nbefore %v\nafter  %v", before, after)
	}
}

// sameQuote compares quotes field by field, times by instant.
func sameQuote(a, b quotes.Quote) bool {
	return a.ID == b.ID && a.CompanyID == b.CompanyID && a.State == b.State &&
		slices.Equal(a.Lines, b.Lines) && samePtr(a.Total, b.Total) &&
		sameTime(a.ValidUntil, b.ValidUntil) && a.Version == b.Version &&
		a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt) &&
		sameTime(a.SubmittedAt, b.SubmittedAt) && sameTime(a.DecidedAt, b.DecidedAt)
}

func samePtr[T comparable](a, b *T) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func sameTime(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}

func show(q quotes.Quote) string {
	s := fmt.Sprintf("%+v", q)
	if q.Total != nil {
		s += fmt.Sprintf(" Total=%+v", *q.Total)
	}
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"ValidUntil", q.ValidUntil}, {"SubmittedAt", q.SubmittedAt}, {"DecidedAt", q.DecidedAt}} {
		if p.t != nil {
			s += fmt.Sprintf(" %s=%v", p.name, *p.t)
		}
	}
	return s
}

// reasons collects the failure reasons a table of cases met, so that a
// test can check that a story declares exactly the reasons it fails with.
type reasons map[error]bool

// check fails unless err is what a case wants: nil, or a *story.Failed
// whose declared reason is want.
func (r reasons) check(t *testing.T, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("err = %v, want success", err)
		}
		return
	}
	var f *story.Failed
	if !errors.As(err, &f) {
		t.Fatalf("err = %v (%T), want a *story.Failed for %v", err, err, want)
	}
	if f.Reason != want {
		t.Fatalf("failed with reason %v (%v), want %v", f.Reason, err, want)
	}
	if !errors.Is(err, want) {
		t.Fatalf("errors.Is(%v, %v) = false", err, want)
	}
	r[want] = true
}

// all fails unless the cases met every declared failure: a declared reason
// no case reaches is either dead or untested.
func (r reasons) all(t *testing.T, declared []error) {
	t.Helper()
	for _, d := range declared {
		if !r[d] {
			t.Errorf("no case fails with the declared reason %q", d)
		}
	}
	for met := range r {
		if !slices.Contains(declared, met) {
			t.Errorf("a case failed with %q, which is not declared", met)
		}
	}
}

// sameErrors reports whether a and b hold the same errors in any order.
func sameErrors(a, b []error) bool {
	if len(a) != len(b) {
		return false
	}
	for _, e := range a {
		if !slices.Contains(b, e) {
			return false
		}
	}
	return true
}

// internal fails unless err is an internal failure at step.
func internal(t *testing.T, err error, step string) {
	t.Helper()
	f := asFailed(t, err)
	if !f.Internal() {
		t.Errorf("Reason = %v, want nil (internal)", f.Reason)
	}
	if got := f.Step; got != step {
		t.Errorf("Step = %q, want %q", got, step)
	}
}

func asFailed(t *testing.T, err error) *story.Failed {
	t.Helper()
	var f *story.Failed
	if !errors.As(err, &f) {
		t.Fatalf("err = %v (%T), want a *story.Failed", err, err)
	}
	return f
}

// lineError fails unless err holds a *LineError for line index with
// reason, and returns it.
func lineError(t *testing.T, err error, index int, reason error) *quotes.LineError {
	t.Helper()
	le, ok := errors.AsType[*quotes.LineError](err)
	if !ok {
		t.Fatalf("err = %v, want a *quotes.LineError", err)
	}
	if le.Index != index || le.Reason != reason {
		t.Errorf("line error at %d for %v, want at %d for %v", le.Index, le.Reason, index, reason)
	}
	return le
}

func ids(qs []quotes.Quote) []int64 {
	out := []int64{}
	for _, q := range qs {
		out = append(out, q.ID)
	}
	return out
}

// steps returns the names of a description's steps, in order.
func steps(d story.Description) []string {
	var out []string
	for _, s := range d.Steps {
		out = append(out, s.Name)
	}
	return out
}
