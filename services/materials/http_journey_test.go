package materials_test

import (
	"context"
	"crypto"
	"encoding/json"
	"net/http"
	"path/filepath"
	"reflect"
	"testing"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/materials"
)

// stores are the repositories the whole stack runs over.
var stores = []struct {
	name string
	open func(t *testing.T) domain.Repository
}{
	{"memory", func(*testing.T) domain.Repository { return newMemory() }},
	{"sqlite", func(t *testing.T) domain.Repository {
		return openSQL(t, filepath.Join(t.TempDir(), "materials.db"))
	}},
	{"postgres", func(t *testing.T) domain.Repository {
		return openSQL(t, pgtest.NewDatabase(t)) // skips without PostgreSQL
	}},
}

func openSQL(t *testing.T, url string) domain.Repository {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, "materials")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqldb.NewMaterials(db)
}

// TestJourneyOnEveryStore runs what a new user does, and the conflicts
// and misses they meet, over every repository.
func TestJourneyOnEveryStore(t *testing.T) {
	callers := []struct {
		name string
		who  access.Caller
	}{
		{"staff", staff(readWrite...)},
		{"an external user", external(ownCompany, readWrite...)},
	}
	for _, store := range stores {
		for _, c := range callers {
			t.Run(store.name+"/"+c.name+" lists, creates, reads, updates, pages and deletes", func(t *testing.T) {
				f := newFixtureOver(t, store.open(t))
				journey(t, f.service, c.who)
			})
			t.Run(store.name+"/"+c.name+" prices a material, and an update without a price keeps it", func(t *testing.T) {
				f := newFixtureOver(t, store.open(t))
				priceJourney(t, f.service, c.who)
			})
			t.Run(store.name+"/"+c.name+" meets conflicts and misses", func(t *testing.T) {
				f := newFixtureOver(t, store.open(t))
				conflictsAndMisses(t, f, c.who)
			})
		}
		t.Run(store.name+"/an external user never sees another company's material", func(t *testing.T) {
			f := newFixtureOver(t, store.open(t))
			isolation(t, f)
		})
	}
}

// journey is the happy path of a new user, on a store that holds the
// fixture's two active materials and nothing else.
func journey(t *testing.T, s *service, who access.Caller) {
	t.Helper()
	ctx := context.Background()
	as := s.as(t, who)
	isStaff := who.Has(access.Staff)
	visible := 1 // the fixture's material of ownCompany
	if isStaff {
		visible = 2 // and that of otherCompany
	}

	// List: what the user sees before changing anything.
	list, err := s.client.ListMaterialsWithResponse(ctx, nil, as)
	must(t, err)
	if got, want := list.StatusCode(), http.StatusOK; got != want {
		t.Fatalf("list: status = %d, want %d: %s", got, want, list.Body)
	}
	page := list.JSON200
	if got, want := page.Count, int64(visible); got != want {
		t.Errorf("count = %d, want %d", got, want)
	}
	if got, want := len(page.Items), visible; got != want {
		t.Errorf("%d items, want %d", got, want)
	}
	if got, want := page.Limit, int32(20); got != want {
		t.Errorf("limit = %d, want the default %d", got, want)
	}
	if got, want := page.Offset, int32(0); got != want {
		t.Errorf("offset = %d, want %d", got, want)
	}

	// Create three materials; staff name the company.
	newMaterial := func(name string, thickness float64, active bool) api.NewMaterial {
		m := api.NewMaterial{Name: name, Quality: "stainless", Thickness: thickness, IsActive: &active}
		if isStaff {
			m.CompanyId = ptr[int64](ownCompany)
		}
		return m
	}
	var made []api.Material
	for _, n := range []api.NewMaterial{
		newMaterial("A 3 mm", 3, true),
		newMaterial("B 1 mm", 1, false),
		newMaterial("C 2 mm", 2, false),
	} {
		res, err := s.client.CreateMaterialWithResponse(ctx, nil, n, as)
		must(t, err)
		if got, want := res.StatusCode(), http.StatusCreated; got != want {
			t.Fatalf("create %s: status = %d, want %d: %s", n.Name, got, want, res.Body)
		}
		m := *res.JSON201
		if got, want := res.HTTPResponse.Header.Get("Location"), idPath(m.Id); got != want {
			t.Errorf("Location = %q, want %q", got, want)
		}
		if m.Name != n.Name || m.Quality != n.Quality || m.Thickness != n.Thickness || m.IsActive != *n.IsActive || m.CompanyId != ownCompany {
			t.Errorf("created %+v from %+v", m, n)
		}
		if m.CreatedAt.IsZero() || !m.UpdatedAt.Equal(m.CreatedAt) {
			t.Errorf("created at %v, updated at %v", m.CreatedAt, m.UpdatedAt)
		}
		made = append(made, m)
	}
	a, b, c := made[0], made[1], made[2]

	// Get: the material as created, at its Location.
	got, err := s.client.GetMaterialWithResponse(ctx, a.Id, nil, as)
	must(t, err)
	if code := got.StatusCode(); code != http.StatusOK {
		t.Fatalf("get: status = %d: %s", code, got.Body)
	}
	if !reflect.DeepEqual(*got.JSON200, a) {
		t.Errorf("get = %+v, want %+v", *got.JSON200, a)
	}

	// Update: A becomes inactive and thicker.
	upd, err := s.client.UpdateMaterialWithResponse(ctx, a.Id, nil, api.MaterialUpdate{Name: "A 4 mm", Quality: "stainless", Thickness: 4, IsActive: false}, as)
	must(t, err)
	if code := upd.StatusCode(); code != http.StatusOK {
		t.Fatalf("update: status = %d: %s", code, upd.Body)
	}
	a2 := *upd.JSON200
	if a2.Id != a.Id || a2.Name != "A 4 mm" || a2.Thickness != 4 || a2.IsActive || a2.CompanyId != ownCompany {
		t.Errorf("updated to %+v", a2)
	}
	if !a2.CreatedAt.Equal(a.CreatedAt) || a2.UpdatedAt.Before(a.UpdatedAt) {
		t.Errorf("update moved created_at or updated_at back: %+v, was %+v", a2, a)
	}
	got, err = s.client.GetMaterialWithResponse(ctx, a.Id, nil, as)
	must(t, err)
	if !reflect.DeepEqual(*got.JSON200, a2) {
		t.Errorf("get after update = %+v, want %+v", *got.JSON200, a2)
	}

	// List the inactive ones, thickest first, two to a page.
	inactive := false
	order := api.MaterialOrdering("-thickness")
	pages := []struct {
		offset int32
		want   []int64
	}{
		{0, []int64{a.Id, c.Id}},
		{2, []int64{b.Id}},
		{4, nil},
	}
	for _, p := range pages {
		params := &api.ListMaterialsParams{IsActive: &inactive, Ordering: &order, Limit: ptr[int32](2), Offset: ptr(p.offset)}
		res, err := s.client.ListMaterialsWithResponse(ctx, params, as)
		must(t, err)
		if code := res.StatusCode(); code != http.StatusOK {
			t.Fatalf("list page at %d: status = %d: %s", p.offset, code, res.Body)
		}
		if got, want := res.JSON200.Count, int64(3); got != want {
			t.Errorf("page at %d: count = %d, want %d", p.offset, got, want)
		}
		if got, want := ids(res.JSON200.Items), p.want; !reflect.DeepEqual(got, want) {
			t.Errorf("page at %d: ids = %v, want %v", p.offset, got, want)
		}
		if got, want := res.JSON200.Limit, int32(2); got != want {
			t.Errorf("page at %d: limit = %d, want %d", p.offset, got, want)
		}
		if got, want := res.JSON200.Offset, p.offset; got != want {
			t.Errorf("page at %d: offset = %d, want %d", p.offset, got, want)
		}
	}
	byName := api.MaterialOrdering("name")
	res, err := s.client.ListMaterialsWithResponse(ctx, &api.ListMaterialsParams{IsActive: &inactive, Ordering: &byName}, as)
	must(t, err)
	if got, want := ids(res.JSON200.Items), []int64{a.Id, b.Id, c.Id}; !reflect.DeepEqual(got, want) {
		t.Errorf("by name: ids = %v, want %v", got, want)
	}

	// Delete A; it is gone.
	del, err := s.client.DeleteMaterialWithResponse(ctx, a.Id, nil, as)
	must(t, err)
	if got, want := del.StatusCode(), http.StatusNoContent; got != want {
		t.Fatalf("delete: status = %d, want %d: %s", got, want, del.Body)
	}
	got, err = s.client.GetMaterialWithResponse(ctx, a.Id, nil, as)
	must(t, err)
	if got, want := got.StatusCode(), http.StatusNotFound; got != want {
		t.Errorf("get after delete: status = %d, want %d", got, want)
	}
	if got.ApplicationproblemJSON404 == nil {
		t.Errorf("get after delete: no problem document: %s", got.Body)
	}
	res, err = s.client.ListMaterialsWithResponse(ctx, nil, as)
	must(t, err)
	if got, want := res.JSON200.Count, int64(visible+2); got != want {
		t.Errorf("count after delete = %d, want %d", got, want)
	}
	if !isStaff {
		for _, m := range res.JSON200.Items {
			if m.CompanyId != who.CompanyID {
				t.Errorf("an external user sees material %d of company %d", m.Id, m.CompanyId)
			}
		}
	}
}

// priceJourney is the life of a material's price, as the quotes service
// reads it: created with a price, read back, kept by an update that says
// nothing of prices (as every client written before prices sends),
// replaced by one that gives a price; and a material created without a
// price has none on the wire, not a zero one.
func priceJourney(t *testing.T, s *service, who access.Caller) {
	t.Helper()
	ctx := context.Background()
	as := s.as(t, who)
	var company *int64
	if who.Has(access.Staff) {
		company = ptr[int64](ownCompany)
	}
	perM2 := shared.Money{Amount: 12000, Currency: "EUR"}

	// Create with a price: the answer and a later get carry it.
	res, err := s.client.CreateMaterialWithResponse(ctx, nil, api.NewMaterial{
		CompanyId: company, Name: "12 mm Steel S355", Quality: "steel S355", Thickness: 12, PricePerSquareMetre: &perM2,
	}, as)
	must(t, err)
	if got, want := res.StatusCode(), http.StatusCreated; got != want {
		t.Fatalf("create with a price: status = %d, want %d: %s", got, want, res.Body)
	}
	created := *res.JSON201
	if p := created.PricePerSquareMetre; p == nil || *p != perM2 {
		t.Errorf("created with price %v, want %v", p, perM2)
	}
	if got := getMaterial(t, s, as, created.Id); !reflect.DeepEqual(got, created) {
		t.Errorf("get = %+v, want %+v", got, created)
	}

	// Update without a price, as a client that knows nothing of prices:
	// the generated client leaves the field out, and so does a raw body.
	upd, err := s.client.UpdateMaterialWithResponse(ctx, created.Id, nil, api.MaterialUpdate{
		Name: "12 mm Steel", Quality: "steel S355", Thickness: 12, IsActive: false,
	}, as)
	must(t, err)
	if got, want := upd.StatusCode(), http.StatusOK; got != want {
		t.Fatalf("update without a price: status = %d, want %d: %s", got, want, upd.Body)
	}
	if p := upd.JSON200.PricePerSquareMetre; p == nil || *p != perM2 {
		t.Errorf("update without a price answered price %v, want %v kept", p, perM2)
	}
	if upd.JSON200.Name != "12 mm Steel" || upd.JSON200.IsActive {
		t.Errorf("update without a price did not change the other fields: %+v", *upd.JSON200)
	}
	raw, body := s.do(t, "PUT", idPath(created.Id), s.token(t, who), "application/json",
		`{"name":"12 mm Steel","quality":"steel","thickness":12,"is_active":true}`)
	if got, want := raw.StatusCode, http.StatusOK; got != want {
		t.Fatalf("update from a body without a price: status = %d, want %d: %s", got, want, body)
	}
	if got := getMaterial(t, s, as, created.Id); got.PricePerSquareMetre == nil || *got.PricePerSquareMetre != perM2 || got.Quality != "steel" {
		t.Errorf("get after updates without a price = %+v, want price %v kept", got, perM2)
	}

	// Update with a price: it replaces the price, currency included.
	dearer := shared.Money{Amount: 13550, Currency: "USD"}
	upd, err = s.client.UpdateMaterialWithResponse(ctx, created.Id, nil, api.MaterialUpdate{
		Name: "12 mm Steel", Quality: "steel", Thickness: 12, IsActive: true, PricePerSquareMetre: &dearer,
	}, as)
	must(t, err)
	if got, want := upd.StatusCode(), http.StatusOK; got != want {
		t.Fatalf("update with a price: status = %d, want %d: %s", got, want, upd.Body)
	}
	if got := getMaterial(t, s, as, created.Id); got.PricePerSquareMetre == nil || *got.PricePerSquareMetre != dearer {
		t.Errorf("get after an update with price %v = %+v", dearer, got)
	}

	// A material without a price has no price_per_square_metre at all,
	// in a get and in a list.
	plain := s.create(t, who, api.NewMaterial{CompanyId: company, Name: "2 mm Copper", Quality: "copper", Thickness: 2})
	if plain.PricePerSquareMetre != nil {
		t.Errorf("created without a price, answered price %v", *plain.PricePerSquareMetre)
	}
	raw, body = s.do(t, "GET", idPath(plain.Id), s.token(t, who), "", "")
	if got, want := raw.StatusCode, http.StatusOK; got != want {
		t.Fatalf("get: status = %d, want %d: %s", got, want, body)
	}
	var members map[string]json.RawMessage
	decode(t, body, &members)
	if p, ok := members["price_per_square_metre"]; ok {
		t.Errorf("a material without a price has price_per_square_metre %s", p)
	}
	prices := map[int64]*shared.Money{}
	for _, m := range s.all(t, who) {
		prices[m.Id] = m.PricePerSquareMetre
	}
	if p := prices[created.Id]; p == nil || *p != dearer {
		t.Errorf("the list shows price %v for the priced material, want %v", p, dearer)
	}
	if p, ok := prices[plain.Id]; !ok || p != nil {
		t.Errorf("the list shows price %v (listed: %v) for the material without one", p, ok)
	}
}

// getMaterial reads a material through the generated client and fails
// the test unless it is there.
func getMaterial(t *testing.T, s *service, as api.RequestEditorFn, id int64) api.Material {
	t.Helper()
	res, err := s.client.GetMaterialWithResponse(context.Background(), id, nil, as)
	must(t, err)
	if res.StatusCode() != http.StatusOK || res.JSON200 == nil {
		t.Fatalf("get %d: status %d: %s", id, res.StatusCode(), res.Body)
	}
	return *res.JSON200
}

// conflictsAndMisses checks 409 and 404 through the stack, and that
// neither changes the store.
func conflictsAndMisses(t *testing.T, f *fixture, who access.Caller) {
	t.Helper()
	ctx := context.Background()
	as := f.as(t, who)
	n := api.NewMaterial{Name: "5 mm Brass", Quality: "brass", Thickness: 5}
	if who.Has(access.Staff) {
		n.CompanyId = ptr[int64](ownCompany)
	}
	brass := f.create(t, who, n)
	before := stored(t, f.repo)

	n.Name = f.own.Name
	dup, err := f.client.CreateMaterialWithResponse(ctx, nil, n, as)
	must(t, err)
	if got, want := dup.StatusCode(), http.StatusConflict; got != want {
		t.Errorf("create with a used name: status = %d, want %d: %s", got, want, dup.Body)
	} else if dup.ApplicationproblemJSON409 == nil || dup.ApplicationproblemJSON409.Status != http.StatusConflict {
		t.Errorf("create with a used name: no 409 problem: %s", dup.Body)
	}

	upd, err := f.client.UpdateMaterialWithResponse(ctx, brass.Id, nil, api.MaterialUpdate{Name: f.own.Name, Quality: "brass", Thickness: 5, IsActive: true}, as)
	must(t, err)
	if got, want := upd.StatusCode(), http.StatusConflict; got != want {
		t.Errorf("rename to a used name: status = %d, want %d: %s", got, want, upd.Body)
	}

	// Another company may use the name.
	if who.Has(access.Staff) {
		other := f.create(t, who, api.NewMaterial{CompanyId: ptr[int64](otherCompany), Name: "5 mm Brass", Quality: "brass", Thickness: 5})
		if got, want := other.CompanyId, int64(otherCompany); got != want {
			t.Errorf("company_id = %d, want %d", got, want)
		}
		before = stored(t, f.repo)
	}

	const missing = 987654321
	get, err := f.client.GetMaterialWithResponse(ctx, missing, nil, as)
	must(t, err)
	if got, want := get.StatusCode(), http.StatusNotFound; got != want {
		t.Errorf("get a missing material: status = %d, want %d", got, want)
	}
	upd, err = f.client.UpdateMaterialWithResponse(ctx, missing, nil, api.MaterialUpdate{Name: "x", Quality: "x", Thickness: 1, IsActive: true}, as)
	must(t, err)
	if got, want := upd.StatusCode(), http.StatusNotFound; got != want {
		t.Errorf("update a missing material: status = %d, want %d", got, want)
	}
	del, err := f.client.DeleteMaterialWithResponse(ctx, missing, nil, as)
	must(t, err)
	if got, want := del.StatusCode(), http.StatusNotFound; got != want {
		t.Errorf("delete a missing material: status = %d, want %d", got, want)
	}
	assertUnchanged(t, f.repo, before)
}

// isolation checks that an external user neither sees nor reaches the
// other company's material, and learns nothing from trying: the answers
// are those for a material that does not exist.
func isolation(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	who := external(ownCompany, readWrite...)
	as := f.as(t, who)
	for i := range 30 {
		f.create(t, staff(readWrite...), api.NewMaterial{CompanyId: ptr[int64](otherCompany), Name: "other " + string(rune('a'+i)), Quality: "steel", Thickness: 1})
	}
	before := stored(t, f.repo)

	for _, active := range []*bool{nil, ptr(true), ptr(false)} {
		for offset := int32(0); offset < 40; offset += 10 {
			res, err := f.client.ListMaterialsWithResponse(ctx, &api.ListMaterialsParams{IsActive: active, Offset: &offset, Limit: ptr[int32](10)}, as)
			must(t, err)
			if res.StatusCode() != http.StatusOK {
				t.Fatalf("list: status %d: %s", res.StatusCode(), res.Body)
			}
			for _, m := range res.JSON200.Items {
				if m.CompanyId != ownCompany {
					t.Errorf("the list shows material %d of company %d", m.Id, m.CompanyId)
				}
			}
			want := int64(1)
			if active != nil && !*active {
				want = 0
			}
			if got := res.JSON200.Count; got != want {
				t.Errorf("count = %d, want %d: the other company's materials are counted", got, want)
			}
		}
	}

	const missing = 987654321
	for _, id := range []int64{f.other.Id, missing} {
		get, err := f.client.GetMaterialWithResponse(ctx, id, nil, as)
		must(t, err)
		upd, err := f.client.UpdateMaterialWithResponse(ctx, id, nil, api.MaterialUpdate{Name: "mine now", Quality: "steel", Thickness: 1, IsActive: true}, as)
		must(t, err)
		del, err := f.client.DeleteMaterialWithResponse(ctx, id, nil, as)
		must(t, err)
		for op, code := range map[string]int{"get": get.StatusCode(), "update": upd.StatusCode(), "delete": del.StatusCode()} {
			if got, want := code, http.StatusNotFound; got != want {
				t.Errorf("%s material %d: status = %d, want %d", op, id, got, want)
			}
		}
		if got, want := problemDetail(t, get.Body), problemDetail(t, notFoundBody(t, f, as)); got != want {
			t.Errorf("get material %d: detail %q differs from a missing material's %q", id, got, want)
		}
	}

	create, err := f.client.CreateMaterialWithResponse(ctx, nil, api.NewMaterial{CompanyId: ptr[int64](otherCompany), Name: "planted", Quality: "steel", Thickness: 1}, as)
	must(t, err)
	if got, want := create.StatusCode(), http.StatusForbidden; got != want {
		t.Errorf("create for the other company: status = %d, want %d", got, want)
	}
	assertUnchanged(t, f.repo, before)
}

func notFoundBody(t *testing.T, f *fixture, as api.RequestEditorFn) []byte {
	t.Helper()
	res, err := f.client.GetMaterialWithResponse(context.Background(), 987654321, nil, as)
	must(t, err)
	return res.Body
}

func problemDetail(t *testing.T, body []byte) string {
	t.Helper()
	var p problemDoc
	decode(t, body, &p)
	return p.Detail
}

func ids(ms []api.Material) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.Id)
	}
	return out
}

func publicKeys(kid string, key crypto.PublicKey) map[string]crypto.PublicKey {
	return map[string]crypto.PublicKey{kid: key}
}
