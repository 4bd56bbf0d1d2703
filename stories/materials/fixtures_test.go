package materials_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// The callers of the tests: Acme (company 1) has three materials and Globex
// (company 2) two; Initech (company 3) has none.
var (
	staff   = access.Caller{Subject: "sam", Roles: []access.Role{access.Staff}}
	acme    = access.Caller{Subject: "ann", CompanyID: 1, Roles: []access.Role{access.External}}
	globex  = access.Caller{Subject: "gus", CompanyID: 2, Roles: []access.Role{access.External}}
	initech = access.Caller{Subject: "ivy", CompanyID: 3, Roles: []access.Role{access.External}}
	// homeless is external but belongs to no company, so reaches nothing.
	homeless = access.Caller{Subject: "hal", Roles: []access.Role{access.External}}
	// nobody has neither role.
	nobody = access.Caller{Subject: "nat", Scopes: []string{"materials:read", "materials:write"}}
)

// now is the clock of the stories under test; the seeded materials are
// older.
var now = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

func clock() time.Time { return now }

// The permission filters, by the name of the injector that uses them.
var filters = map[string]func(access.Caller, materials.Filter) (materials.Filter, error){
	"staff":    materials.StaffAccess,
	"external": materials.CompanyAccess,
}

// seeded returns a repository holding, by ID:
//
//	1 Acme   "10 mm Steel"    steel      10   active    120.00 EUR/m²
//	2 Acme   "2 mm Aluminium" aluminium   2   active    no price
//	3 Acme   "5 mm Copper"    copper      5   inactive  no price
//	4 Globex "8 mm Steel"     steel       8   active    no price
//	5 Globex "1 mm Brass"     brass       1   inactive  no price
//
// created a day apart in ID order.
func seeded(t *testing.T) *memory.Materials {
	t.Helper()
	repo := memory.NewMaterials()
	for i, m := range []materials.Material{
		{CompanyID: 1, Name: "10 mm Steel", Quality: "steel", Thickness: 10, IsActive: true, Price: eur(12000)},
		{CompanyID: 1, Name: "2 mm Aluminium", Quality: "aluminium", Thickness: 2, IsActive: true},
		{CompanyID: 1, Name: "5 mm Copper", Quality: "copper", Thickness: 5},
		{CompanyID: 2, Name: "8 mm Steel", Quality: "steel", Thickness: 8, IsActive: true},
		{CompanyID: 2, Name: "1 mm Brass", Quality: "brass", Thickness: 1},
	} {
		m.CreatedAt = now.AddDate(0, 0, i-10)
		m.UpdatedAt = m.CreatedAt
		if _, err := repo.Create(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

func get(t *testing.T, repo *memory.Materials, id int64) materials.Material {
	t.Helper()
	m, err := repo.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("material %d: %v", id, err)
	}
	return m
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
	var f *story.Failed
	if !errors.As(err, &f) {
		t.Fatalf("err = %v (%T), want a *story.Failed", err, err)
	}
	if !f.Internal() {
		t.Errorf("Reason = %v, want nil (internal)", f.Reason)
	}
	if got := f.Step; got != step {
		t.Errorf("Step = %q, want %q", got, step)
	}
}

func ptr[T any](v T) *T { return &v }

// eur returns a price of amount cents.
func eur(amount int64) *materials.Money { return &materials.Money{Amount: amount, Currency: "EUR"} }

// malformedPrices are prices the contract refuses, which a story run
// directly must refuse too.
var malformedPrices = []struct {
	name  string
	price materials.Money
}{
	{"a negative amount", materials.Money{Amount: -1, Currency: "EUR"}},
	{"the most negative amount", materials.Money{Amount: -1 << 63, Currency: "EUR"}},
	{"no currency", materials.Money{Amount: 12000}},
	{"a lower-case currency", materials.Money{Amount: 12000, Currency: "eur"}},
	{"a currency of four letters", materials.Money{Amount: 12000, Currency: "EURO"}},
	{"a currency of two letters", materials.Money{Amount: 12000, Currency: "EU"}},
	{"a currency with a digit", materials.Money{Amount: 12000, Currency: "E1R"}},
	{"a currency of non-ASCII letters", materials.Money{Amount: 12000, Currency: "ÉUR"}},
}

func ids(ms []materials.Material) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func asFailed(t *testing.T, err error) *story.Failed {
	t.Helper()
	var f *story.Failed
	if !errors.As(err, &f) {
		t.Fatalf("err = %v (%T), want a *story.Failed", err, err)
	}
	return f
}
