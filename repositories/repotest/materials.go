// Package repotest holds the contract suites that every repository
// implementation runs from its own tests, so that the in-memory fake and the
// SQL repositories are proven to behave alike.
package repotest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/materials"
)

// NewMaterials returns an empty materials repository for one test. It
// registers its own cleanup with tb.
type NewMaterials func(tb testing.TB) materials.Repository

// Materials runs the materials.Repository contract against the repositories
// newRepo returns; each subtest gets a fresh, empty one, and subtests run in
// parallel, so newRepo must be safe to call concurrently.
func Materials(t *testing.T, newRepo NewMaterials) {
	tests := []struct {
		name string
		run  func(t *testing.T, r materials.Repository)
	}{
		{"create assigns ids from 1 and get returns what was stored", createAndGet},
		{"create ignores the id it is given", createIgnoresID},
		{"get of an unknown id is not found", getNotFound},
		{"create of a name the company already uses conflicts", createConflict},
		{"the same name in another company does not conflict", sameNameOtherCompany},
		{"update replaces the editable fields and UpdatedAt only", update},
		{"update may keep the material's own name", updateKeepsOwnName},
		{"update of an unknown id is not found", updateNotFound},
		{"update to a name the company already uses conflicts and changes nothing", updateConflict},
		{"delete removes the material and frees its name", deleteRemoves},
		{"delete of an unknown id is not found", deleteNotFound},
		{"ids of deleted materials are not reused", idsNotReused},
		{"count applies the filter", count},
		{"find applies the filter and sorts by id when no order is given", findFilters},
		{"find orders by every sortable field with ties by ascending id", findOrders},
		{"find pages with limit and offset", findPages},
		{"find rejects fields that are not sortable", findInvalidOrdering},
		{"times round-trip to the nanosecond in UTC and sort by instant", timesRoundTrip},
		{"thickness round-trips exactly", thicknessRoundTrips},
		{"a price round-trips exactly", priceRoundTrips},
		{"an absent price stays absent", absentPriceStaysAbsent},
		{"update without a price keeps the price", updateWithoutPriceKeepsIt},
		{"update with a price replaces the price", updateWithPriceReplacesIt},
		{"hostile strings are stored verbatim", hostileStrings},
		{"results are copies the caller may change", resultsAreCopies},
		{"parallel creates get unique ids", parallelCreates},
		{"parallel creates of one name: exactly one wins", parallelConflicts},
		{"a cancelled context is an error", cancelledContext},
		{"create stores version 1", createStoresVersionOne},
		{"every update adds one to the version", updateAddsOneToVersion},
		{"update at a stale version is refused and changes nothing", updateAtStaleVersionChangesNothing},
		{"delete at a stale version is refused; at the current one it deletes", deleteAtVersion},
		{"parallel updates at one version: exactly one wins", parallelUpdatesAtOneVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newRepo(t))
		})
	}
}

// epoch is a fixed instant with nanoseconds, so that any loss of precision
// shows.
var epoch = time.Date(2024, 3, 1, 9, 30, 0, 123456789, time.UTC)

func material(company int64, name string) materials.Material {
	return materials.Material{
		CompanyID: company,
		Name:      name,
		Quality:   "S235JR",
		Thickness: 2.5,
		IsActive:  true,
		CreatedAt: epoch,
		UpdatedAt: epoch,
	}
}

func mustCreate(t *testing.T, r materials.Repository, m materials.Material) materials.Material {
	t.Helper()
	got, err := r.Create(context.Background(), m)
	if err != nil {
		t.Fatalf("Create(%q): %v", m.Name, err)
	}
	return got
}

func mustGet(t *testing.T, r materials.Repository, id int64) materials.Material {
	t.Helper()
	got, err := r.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get(%d): %v", id, err)
	}
	return got
}

// same compares materials field by field, times by instant and location,
// prices by value, and reports every difference.
func same(t *testing.T, what string, got, want materials.Material) {
	t.Helper()
	if got.ID != want.ID || got.CompanyID != want.CompanyID || got.Name != want.Name ||
		got.Quality != want.Quality || got.Thickness != want.Thickness || got.IsActive != want.IsActive ||
		!samePrice(got.Price, want.Price) ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("%s:\n got %+v price %s\nwant %+v price %s", what, got, price(got.Price), want, price(want.Price))
	}
	if got.CreatedAt.Location() != time.UTC || got.UpdatedAt.Location() != time.UTC {
		t.Errorf("%s: times are in %v and %v, want UTC", what, got.CreatedAt.Location(), got.UpdatedAt.Location())
	}
}

// samePrice reports whether a and b are both absent or the same money.
func samePrice(a, b *materials.Money) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// price prints p, which %+v of a material shows only as an address.
func price(p *materials.Money) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprintf("%d %s", p.Amount, p.Currency)
}

// pricedOrFatal returns m's price, and ends the test when what returned
// a material without the price it was stored with.
func pricedOrFatal(t *testing.T, what string, m materials.Material) *materials.Money {
	t.Helper()
	if m.Price == nil {
		t.Fatalf("%s returned material %d without its price", what, m.ID)
	}
	return m.Price
}

func ids(ms []materials.Material) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func createAndGet(t *testing.T, r materials.Repository) {
	a := material(7, "Steel")
	a.IsActive = false
	got := mustCreate(t, r, a)
	a.ID = 1
	same(t, "Create", got, a)
	same(t, "Get", mustGet(t, r, 1), a)

	b := mustCreate(t, r, material(7, "Aluminium"))
	if b.ID != 2 {
		t.Errorf("second id = %d, want 2", b.ID)
	}
}

func createIgnoresID(t *testing.T, r materials.Repository) {
	m := material(1, "Steel")
	m.ID = 42
	if got := mustCreate(t, r, m); got.ID != 1 {
		t.Errorf("id = %d, want 1", got.ID)
	}
	if _, err := r.Get(context.Background(), 42); !errors.Is(err, materials.ErrNotFound) {
		t.Errorf("Get(42) error = %v, want ErrNotFound", err)
	}
}

func getNotFound(t *testing.T, r materials.Repository) {
	mustCreate(t, r, material(1, "Steel"))
	for _, id := range []int64{0, -1, 2, 1 << 62} {
		if _, err := r.Get(context.Background(), id); !errors.Is(err, materials.ErrNotFound) {
			t.Errorf("Get(%d) error = %v, want ErrNotFound", id, err)
		}
	}
}

func createConflict(t *testing.T, r materials.Repository) {
	mustCreate(t, r, material(1, "Steel"))
	if _, err := r.Create(context.Background(), material(1, "Steel")); !errors.Is(err, materials.ErrConflict) {
		t.Fatalf("second Create error = %v, want ErrConflict", err)
	}
	// Names are compared exactly: another case or a trailing space is
	// another name.
	mustCreate(t, r, material(1, "steel"))
	mustCreate(t, r, material(1, "Steel "))
	if n, _ := r.Count(context.Background(), materials.Filter{}); n != 3 {
		t.Errorf("Count = %d, want 3: the conflicting create must store nothing", n)
	}
	// A failed create must not make the next one fail or skip ahead oddly.
	if got := mustCreate(t, r, material(1, "Copper")); got.ID <= 3 {
		t.Errorf("id after a conflict = %d, want > 3", got.ID)
	}
}

func sameNameOtherCompany(t *testing.T, r materials.Repository) {
	mustCreate(t, r, material(1, "Steel"))
	mustCreate(t, r, material(2, "Steel"))
}

func update(t *testing.T, r materials.Repository) {
	created := mustCreate(t, r, material(3, "Steel"))
	at := epoch.Add(time.Hour + time.Nanosecond)
	f := materials.Fields{Name: "Stainless", Quality: "1.4301", Thickness: 0.8, IsActive: false}
	got, err := r.Update(context.Background(), created.ID, 0, f, at)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	want := materials.Material{
		ID: created.ID, CompanyID: 3, Name: "Stainless", Quality: "1.4301", Thickness: 0.8,
		IsActive: false, CreatedAt: created.CreatedAt, UpdatedAt: at,
	}
	same(t, "Update", got, want)
	same(t, "Get after Update", mustGet(t, r, created.ID), want)
}

func updateKeepsOwnName(t *testing.T, r materials.Repository) {
	m := mustCreate(t, r, material(1, "Steel"))
	if _, err := r.Update(context.Background(), m.ID, 0, materials.Fields{Name: "Steel", Quality: "Q"}, epoch); err != nil {
		t.Fatalf("Update with its own name: %v", err)
	}
}

func updateNotFound(t *testing.T, r materials.Repository) {
	mustCreate(t, r, material(1, "Steel"))
	if _, err := r.Update(context.Background(), 99, 0, materials.Fields{Name: "X"}, epoch); !errors.Is(err, materials.ErrNotFound) {
		t.Errorf("Update(99) error = %v, want ErrNotFound", err)
	}
}

func updateConflict(t *testing.T, r materials.Repository) {
	mustCreate(t, r, material(1, "Steel"))
	b := mustCreate(t, r, material(1, "Copper"))
	other := mustCreate(t, r, material(2, "Brass"))
	f := materials.Fields{Name: "Steel", Quality: "changed", Thickness: 9, IsActive: false}
	if _, err := r.Update(context.Background(), b.ID, 0, f, epoch.Add(time.Hour)); !errors.Is(err, materials.ErrConflict) {
		t.Fatalf("Update error = %v, want ErrConflict", err)
	}
	same(t, "material after a failed update", mustGet(t, r, b.ID), b)
	// Another company's name is free to take.
	if _, err := r.Update(context.Background(), other.ID, 0, f, epoch); err != nil {
		t.Errorf("Update to a name used only by another company: %v", err)
	}
}

func deleteRemoves(t *testing.T, r materials.Repository) {
	a := mustCreate(t, r, material(1, "Steel"))
	b := mustCreate(t, r, material(1, "Copper"))
	if err := r.Delete(context.Background(), a.ID, 0); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := r.Get(context.Background(), a.ID); !errors.Is(err, materials.ErrNotFound) {
		t.Errorf("Get after Delete error = %v, want ErrNotFound", err)
	}
	if err := r.Delete(context.Background(), a.ID, 0); !errors.Is(err, materials.ErrNotFound) {
		t.Errorf("second Delete error = %v, want ErrNotFound", err)
	}
	same(t, "the other material", mustGet(t, r, b.ID), b)
	mustCreate(t, r, material(1, "Steel"))
}

func deleteNotFound(t *testing.T, r materials.Repository) {
	if err := r.Delete(context.Background(), 1, 0); !errors.Is(err, materials.ErrNotFound) {
		t.Errorf("Delete on an empty repository error = %v, want ErrNotFound", err)
	}
}

func idsNotReused(t *testing.T, r materials.Repository) {
	mustCreate(t, r, material(1, "A"))
	b := mustCreate(t, r, material(1, "B"))
	if err := r.Delete(context.Background(), b.ID, 0); err != nil {
		t.Fatal(err)
	}
	if c := mustCreate(t, r, material(1, "C")); c.ID <= b.ID {
		t.Errorf("id after deleting the newest = %d, want > %d", c.ID, b.ID)
	}
}

// fleet stores materials of two companies, half of them inactive, with
// duplicate qualities, thicknesses and creation times so that every ordering
// has ties to break. It returns them as stored.
func fleet(t *testing.T, r materials.Repository) []materials.Material {
	t.Helper()
	qualities := []string{"S235", "DC01", "S235", "AlMg3", "DC01"}
	thicknesses := []float64{1.5, 0.5, 3, 1.5, 0.5, 10}
	var out []materials.Material
	for i := range 12 {
		m := materials.Material{
			CompanyID: int64(1 + i%2),
			Name:      fmt.Sprintf("material %c", 'l'-rune(i)),
			Quality:   qualities[i%len(qualities)],
			Thickness: thicknesses[i%len(thicknesses)],
			IsActive:  i%3 != 0,
			CreatedAt: epoch.Add(time.Duration(i%4) * time.Nanosecond),
			UpdatedAt: epoch,
		}
		out = append(out, mustCreate(t, r, m))
	}
	return out
}

func ptr[T any](v T) *T { return &v }

var filters = []struct {
	name string
	f    materials.Filter
}{
	{"none", materials.Filter{}},
	{"company", materials.Filter{CompanyID: 2}},
	{"active", materials.Filter{IsActive: ptr(true)}},
	{"inactive", materials.Filter{IsActive: ptr(false)}},
	{"company and inactive", materials.Filter{CompanyID: 1, IsActive: ptr(false)}},
	{"unknown company", materials.Filter{CompanyID: 3}},
}

func keep(all []materials.Material, f materials.Filter) []materials.Material {
	var out []materials.Material
	for _, m := range all {
		if (f.CompanyID == 0 || m.CompanyID == f.CompanyID) && (f.IsActive == nil || m.IsActive == *f.IsActive) {
			out = append(out, m)
		}
	}
	return out
}

func count(t *testing.T, r materials.Repository) {
	all := fleet(t, r)
	for _, tt := range filters {
		got, err := r.Count(context.Background(), tt.f)
		if err != nil {
			t.Fatalf("Count(%s): %v", tt.name, err)
		}
		if want := int64(len(keep(all, tt.f))); got != want {
			t.Errorf("Count(%s) = %d, want %d", tt.name, got, want)
		}
	}
}

func findFilters(t *testing.T, r materials.Repository) {
	all := fleet(t, r)
	for _, tt := range filters {
		// The zero Order sorts by ID, so that callers need not name one.
		got, err := r.Find(context.Background(), materials.Query{Filter: tt.f})
		if err != nil {
			t.Fatalf("Find(%s): %v", tt.name, err)
		}
		if want := ids(keep(all, tt.f)); !slices.Equal(ids(got), want) {
			t.Errorf("Find(%s) = %v, want %v", tt.name, ids(got), want)
		}
	}
}

// keys says how each sortable field compares; the suite fails when a field
// is added to materials.SortableFields without a key here.
var keys = map[materials.Field]func(a, b materials.Material) int{
	materials.ByID:        func(a, b materials.Material) int { return cmp.Compare(a.ID, b.ID) },
	materials.ByName:      func(a, b materials.Material) int { return strings.Compare(a.Name, b.Name) },
	materials.ByQuality:   func(a, b materials.Material) int { return strings.Compare(a.Quality, b.Quality) },
	materials.ByThickness: func(a, b materials.Material) int { return cmp.Compare(a.Thickness, b.Thickness) },
	materials.ByCreatedAt: func(a, b materials.Material) int { return a.CreatedAt.Compare(b.CreatedAt) },
}

func sorted(ms []materials.Material, o materials.Order) []materials.Material {
	out := slices.Clone(ms)
	key := keys[o.By]
	slices.SortFunc(out, func(a, b materials.Material) int {
		c := key(a, b)
		if o.Descending {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.ID, b.ID))
	})
	return out
}

func findOrders(t *testing.T, r materials.Repository) {
	all := fleet(t, r)
	for _, by := range materials.SortableFields {
		if keys[by] == nil {
			t.Fatalf("the suite has no key for sortable field %q", by)
		}
		for _, desc := range []bool{false, true} {
			o := materials.Order{By: by, Descending: desc}
			for _, tt := range filters[:3] {
				got, err := r.Find(context.Background(), materials.Query{Filter: tt.f, Order: o})
				if err != nil {
					t.Fatalf("Find(%+v): %v", o, err)
				}
				if want := ids(sorted(keep(all, tt.f), o)); !slices.Equal(ids(got), want) {
					t.Errorf("Find(%+v, filter %s) = %v, want %v", o, tt.name, ids(got), want)
				}
			}
		}
	}
}

func findPages(t *testing.T, r materials.Repository) {
	all := fleet(t, r)
	byName := materials.Order{By: materials.ByName}
	want := ids(sorted(all, byName))
	find := func(limit, offset int) []int64 {
		t.Helper()
		got, err := r.Find(context.Background(), materials.Query{Order: byName, Limit: limit, Offset: offset})
		if err != nil {
			t.Fatalf("Find(limit %d, offset %d): %v", limit, offset, err)
		}
		return ids(got)
	}
	tests := []struct {
		limit, offset int
		want          []int64
	}{
		{0, 0, want},
		{5, 0, want[:5]},
		{5, 10, want[10:]},
		{0, 3, want[3:]},
		{100, 0, want},
		{1, 11, want[11:]},
		{5, 12, nil},
		{5, 1000, nil},
	}
	for _, tt := range tests {
		if got := find(tt.limit, tt.offset); !slices.Equal(got, tt.want) {
			t.Errorf("Find(limit %d, offset %d) = %v, want %v", tt.limit, tt.offset, got, tt.want)
		}
	}
	// Walking pages sees every material exactly once, in order.
	var walked []int64
	for offset := 0; ; offset += 5 {
		page := find(5, offset)
		if len(page) == 0 {
			break
		}
		walked = append(walked, page...)
	}
	if !slices.Equal(walked, want) {
		t.Errorf("pages walked = %v, want %v", walked, want)
	}
}

func findInvalidOrdering(t *testing.T, r materials.Repository) {
	fleet(t, r)
	for _, by := range []materials.Field{
		"company_id", "updated_at", "is_active", "NAME", "-name", "name desc",
		"name;DROP TABLE materials", "name; DROP TABLE materials;--", "(SELECT 1)", "1",
	} {
		_, err := r.Find(context.Background(), materials.Query{Order: materials.Order{By: by}})
		if !errors.Is(err, materials.ErrInvalidOrdering) {
			t.Errorf("Find(order by %q) error = %v, want ErrInvalidOrdering", by, err)
		}
	}
	if n, err := r.Count(context.Background(), materials.Filter{}); err != nil || n != 12 {
		t.Errorf("Count after hostile orderings = %d, %v; want 12", n, err)
	}
}

func timesRoundTrip(t *testing.T, r materials.Repository) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("UTC+2", 2*60*60)
	}
	instants := []time.Time{
		time.Date(2024, 7, 1, 12, 0, 0, 999999999, paris),
		time.Date(1999, 12, 31, 23, 59, 59, 1, time.UTC),
		time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Now(), // carries a monotonic reading, which must not matter
	}
	var stored []materials.Material
	for i, at := range instants {
		m := material(1, fmt.Sprint("m", i))
		m.CreatedAt, m.UpdatedAt = at, at.Add(time.Nanosecond)
		got := mustCreate(t, r, m)
		m.ID = got.ID
		same(t, fmt.Sprint("Create at ", at), got, m)
		same(t, fmt.Sprint("Get at ", at), mustGet(t, r, got.ID), m)
		stored = append(stored, got)
	}
	for _, desc := range []bool{false, true} {
		o := materials.Order{By: materials.ByCreatedAt, Descending: desc}
		got, err := r.Find(context.Background(), materials.Query{Order: o})
		if err != nil {
			t.Fatal(err)
		}
		if want := ids(sorted(stored, o)); !slices.Equal(ids(got), want) {
			t.Errorf("Find(%+v) = %v, want %v", o, ids(got), want)
		}
	}
	at := time.Date(2031, 2, 3, 4, 5, 6, 7, paris)
	got, err := r.Update(context.Background(), stored[0].ID, 0, materials.Fields{Name: "m0"}, at)
	if err != nil {
		t.Fatal(err)
	}
	if !got.UpdatedAt.Equal(at) || got.UpdatedAt.Location() != time.UTC {
		t.Errorf("UpdatedAt = %v, want %v in UTC", got.UpdatedAt, at)
	}
	if got := mustGet(t, r, stored[0].ID); !got.UpdatedAt.Equal(at) || !got.CreatedAt.Equal(instants[0]) {
		t.Errorf("Get after Update: CreatedAt %v, UpdatedAt %v; want %v, %v", got.CreatedAt, got.UpdatedAt, instants[0], at)
	}
}

func thicknessRoundTrips(t *testing.T, r materials.Repository) {
	for i, th := range []float64{0, 0.1 + 0.2, 1e-9, 12345.6789, 1.0 / 3} {
		m := material(1, fmt.Sprint("t", i))
		m.Thickness = th
		if got := mustGet(t, r, mustCreate(t, r, m).ID); got.Thickness != th {
			t.Errorf("thickness %v came back as %v", th, got.Thickness)
		}
	}
}

// priceRoundTrips stores prices from nothing to the largest amount an
// int64 holds, beyond the contract's 2^53-1, so that a repository that
// went through a float would show, and reads them back through Get and
// Find.
func priceRoundTrips(t *testing.T, r materials.Repository) {
	prices := []materials.Money{
		{Amount: 0, Currency: "EUR"},
		{Amount: 1, Currency: "JPY"},
		{Amount: 12000, Currency: "EUR"},
		{Amount: 1<<53 - 1, Currency: "USD"},
		{Amount: 1<<53 + 1, Currency: "GBP"},
		{Amount: math.MaxInt64, Currency: "CHF"},
	}
	want := map[int64]materials.Money{}
	for i, p := range prices {
		m := material(1, fmt.Sprint("p", i))
		m.Price = &p
		got := mustCreate(t, r, m)
		m.ID = got.ID
		same(t, fmt.Sprint("Create with price ", price(&p)), got, m)
		same(t, fmt.Sprint("Get of price ", price(&p)), mustGet(t, r, got.ID), m)
		want[got.ID] = p
	}
	page, err := r.Find(context.Background(), materials.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page {
		if w := want[m.ID]; !samePrice(m.Price, &w) {
			t.Errorf("Find: material %d has price %s, want %s", m.ID, price(m.Price), price(&w))
		}
	}
}

// absentPriceStaysAbsent: a material created without a price has none,
// not a zero one, through every read and an update that gives none.
func absentPriceStaysAbsent(t *testing.T, r materials.Repository) {
	m := mustCreate(t, r, material(1, "Steel"))
	if m.Price != nil {
		t.Errorf("Create without a price returned price %s", price(m.Price))
	}
	if got := mustGet(t, r, m.ID); got.Price != nil {
		t.Errorf("Get of a material without a price: price %s", price(got.Price))
	}
	page, err := r.Find(context.Background(), materials.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 1 || page[0].Price != nil {
		t.Errorf("Find of a material without a price = %+v", page)
	}
	got, err := r.Update(context.Background(), m.ID, 0, materials.Fields{Name: "Steel", Quality: "S355"}, epoch)
	if err != nil {
		t.Fatal(err)
	}
	if got.Price != nil {
		t.Errorf("Update without a price gave price %s", price(got.Price))
	}
	if got := mustGet(t, r, m.ID); got.Price != nil {
		t.Errorf("Get after an update without a price: price %s", price(got.Price))
	}
}

func updateWithoutPriceKeepsIt(t *testing.T, r materials.Repository) {
	m := material(1, "Steel")
	m.Price = &materials.Money{Amount: 12000, Currency: "EUR"}
	created := mustCreate(t, r, m)
	at := epoch.Add(time.Hour)
	f := materials.Fields{Name: "Stainless", Quality: "1.4301", Thickness: 3, IsActive: false}
	got, err := r.Update(context.Background(), created.ID, 0, f, at)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	want := materials.Material{
		ID: created.ID, CompanyID: 1, Name: "Stainless", Quality: "1.4301", Thickness: 3, IsActive: false,
		Price: &materials.Money{Amount: 12000, Currency: "EUR"}, CreatedAt: created.CreatedAt, UpdatedAt: at,
	}
	same(t, "Update without a price", got, want)
	same(t, "Get after Update without a price", mustGet(t, r, created.ID), want)
}

func updateWithPriceReplacesIt(t *testing.T, r materials.Repository) {
	m := material(1, "Steel")
	m.Price = &materials.Money{Amount: 12000, Currency: "EUR"}
	created := mustCreate(t, r, m)
	unpriced := mustCreate(t, r, material(1, "Copper"))
	for _, tc := range []struct {
		what  string
		id    int64
		price materials.Money
	}{
		{"another amount and currency", created.ID, materials.Money{Amount: 13550, Currency: "USD"}},
		{"a price of nothing", created.ID, materials.Money{Amount: 0, Currency: "USD"}},
		{"a first price", unpriced.ID, materials.Money{Amount: 41000, Currency: "EUR"}},
	} {
		before := mustGet(t, r, tc.id)
		f := materials.Fields{Name: before.Name, Quality: before.Quality, Thickness: before.Thickness, IsActive: before.IsActive, Price: &tc.price}
		got, err := r.Update(context.Background(), tc.id, 0, f, epoch)
		if err != nil {
			t.Fatalf("Update to %s: %v", tc.what, err)
		}
		want := before
		want.Price, want.UpdatedAt = &tc.price, epoch
		same(t, "Update to "+tc.what, got, want)
		same(t, "Get after Update to "+tc.what, mustGet(t, r, tc.id), want)
	}
	// An update of one material's price leaves the others' alone.
	same(t, "the first material after updates of its price", mustGet(t, r, created.ID), materials.Material{
		ID: created.ID, CompanyID: 1, Name: "Steel", Quality: created.Quality, Thickness: created.Thickness, IsActive: true,
		Price: &materials.Money{Amount: 0, Currency: "USD"}, CreatedAt: epoch, UpdatedAt: epoch,
	})
}

func hostileStrings(t *testing.T, r materials.Repository) {
	names := []string{
		`O'Brien "Spezial"`,
		`'; DROP TABLE materials; --`,
		`name;DROP TABLE materials`,
		`Robert'); DELETE FROM materials WHERE ('1'='1`,
		`back\slash \' \\`,
		`100% _wild_ %`,
		`$1 ? :name @p1`,
		`Stahl ß Öl 鋼 сталь 🚀`,
		"tab\tnew\nline\r",
		"",
		strings.Repeat("x", 4000),
	}
	for i, name := range names {
		m := material(1, name)
		m.Quality = names[len(names)-1-i]
		got := mustCreate(t, r, m)
		m.ID = got.ID
		same(t, fmt.Sprintf("Get of %q", name), mustGet(t, r, got.ID), m)
	}
	if _, err := r.Create(context.Background(), material(1, names[1])); !errors.Is(err, materials.ErrConflict) {
		t.Errorf("Create of a hostile name again: error = %v, want ErrConflict", err)
	}
	got, err := r.Find(context.Background(), materials.Query{Order: materials.Order{By: materials.ByName}})
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	for _, m := range got {
		stored = append(stored, m.Name)
	}
	if want := slices.Sorted(slices.Values(names)); !slices.Equal(stored, want) {
		t.Errorf("names by name = %q, want %q (byte order)", stored, want)
	}
}

func resultsAreCopies(t *testing.T, r materials.Repository) {
	given := material(1, "Steel")
	given.Price = &materials.Money{Amount: 12000, Currency: "EUR"}
	created := mustCreate(t, r, given)
	want := created
	want.Price = &materials.Money{Amount: 12000, Currency: "EUR"}
	// The price is the one field behind a pointer: neither the one given
	// nor those returned may be the one stored.
	given.Price.Amount = 1
	created.Name = "changed"
	pricedOrFatal(t, "Create", created).Amount = 2
	got := mustGet(t, r, want.ID)
	got.Quality = "changed"
	pricedOrFatal(t, "Get", got).Currency = "USD"
	page, err := r.Find(context.Background(), materials.Query{})
	if err != nil {
		t.Fatal(err)
	}
	page[0].Thickness = 99
	pricedOrFatal(t, "Find", page[0]).Amount = 3
	updated, err := r.Update(context.Background(), want.ID, 0, materials.Fields{Name: "Steel", Quality: want.Quality, Thickness: want.Thickness, IsActive: true}, epoch)
	if err != nil {
		t.Fatal(err)
	}
	pricedOrFatal(t, "Update without a price", updated).Amount = 4
	same(t, "Get after changing returned values", mustGet(t, r, want.ID), want)

	newPrice := &materials.Money{Amount: 13000, Currency: "EUR"}
	if _, err := r.Update(context.Background(), want.ID, 0, materials.Fields{Name: "Steel", Quality: want.Quality, Thickness: want.Thickness, IsActive: true, Price: newPrice}, epoch); err != nil {
		t.Fatal(err)
	}
	newPrice.Amount = 5
	if got := mustGet(t, r, want.ID); !samePrice(got.Price, &materials.Money{Amount: 13000, Currency: "EUR"}) {
		t.Errorf("changing the price given to Update changed the stored one to %s", price(got.Price))
	}
}

func parallelCreates(t *testing.T, r materials.Repository) {
	const n = 40
	var wg sync.WaitGroup
	got := make([]int64, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			m, err := r.Create(context.Background(), material(int64(1+i%3), fmt.Sprint("parallel ", i)))
			got[i], errs[i] = m.ID, err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if len(slices.Compact(slices.Clone(got))) != n || got[0] < 1 {
		t.Errorf("ids = %v, want %d unique positive ids", got, n)
	}
	if c, err := r.Count(context.Background(), materials.Filter{}); err != nil || c != n {
		t.Errorf("Count = %d, %v; want %d", c, err, n)
	}
	// Reads alongside writes, for the race detector.
	for i := range n {
		wg.Go(func() {
			if i%2 == 0 {
				_, errs[i] = r.Find(context.Background(), materials.Query{Order: materials.Order{By: materials.ByName}, Limit: 5})
			} else {
				_, errs[i] = r.Update(context.Background(), got[i], 0, materials.Fields{Name: fmt.Sprint("renamed ", i)}, epoch)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

func parallelConflicts(t *testing.T, r materials.Repository) {
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = r.Create(context.Background(), material(1, "contested"))
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, materials.ErrConflict):
			t.Errorf("Create error = %v, want nil or ErrConflict", err)
		}
	}
	if won != 1 {
		t.Errorf("%d creates of one name succeeded, want 1", won)
	}
}

func cancelledContext(t *testing.T, r materials.Repository) {
	m := mustCreate(t, r, material(1, "Steel"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Get(ctx, m.ID); err == nil {
		t.Error("Get with a cancelled context succeeded")
	}
	if _, err := r.Create(ctx, material(1, "Copper")); err == nil {
		t.Error("Create with a cancelled context succeeded")
	}
	if _, err := r.Find(ctx, materials.Query{}); err == nil {
		t.Error("Find with a cancelled context succeeded")
	}
}
