package scenario

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/charterhq/charter/gen/sdk/go/materials"
	"github.com/charterhq/charter/gen/sdk/go/shared"
)

// materialsAs is a materials client that authenticates with the token in
// the named variable.
func materialsAs(t *testing.T, tokenVar string) *materials.ClientWithResponses {
	t.Helper()
	c, err := materials.NewClientWithResponses(env(t, "CHARTER_MATERIALS_URL"),
		materials.WithRequestEditorFn(bearer(env(t, tokenVar))))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestMaterials is an integrator's life with materials: create (once,
// whatever the retries), read, list with paging and ordering, update only
// at the version read, delete, and the problems a client handles.
func TestMaterials(t *testing.T) {
	c := ctx(t)
	ext := materialsAs(t, "CHARTER_TOKEN_EXTERNAL")
	run := unique()

	// Create, with an Idempotency-Key: a retry gets the first answer and
	// makes no second material.
	key := "create-" + run
	body := materials.NewMaterial{
		Name: "4 mm Steel " + run, Quality: "steel", Thickness: 4,
		PricePerSquareMetre: &shared.Money{Amount: 4800, Currency: "EUR"},
	}
	created, err := ext.CreateMaterialWithResponse(c, &materials.CreateMaterialParams{IdempotencyKey: &key}, body)
	if err != nil {
		t.Fatal(err)
	}
	if created.JSON201 == nil {
		t.Fatalf("create: %s %s", created.Status(), created.Body)
	}
	m := *created.JSON201
	if !m.IsActive {
		t.Errorf("a material created without is_active is active, got %+v", m)
	}
	if m.CompanyId != companyID(t) {
		t.Errorf("company_id = %d, want the caller's %d", m.CompanyId, companyID(t))
	}
	if created.Headers201 == nil || created.Headers201.ETag == nil || created.Headers201.Location == nil {
		t.Fatalf("create answered no ETag or Location: %+v", created.Headers201)
	}
	retry, err := ext.CreateMaterialWithResponse(c, &materials.CreateMaterialParams{IdempotencyKey: &key}, body)
	if err != nil {
		t.Fatal(err)
	}
	if retry.JSON201 == nil || retry.JSON201.Id != m.Id {
		t.Fatalf("a retry with the same Idempotency-Key answered %s %s, want the first material %d", retry.Status(), retry.Body, m.Id)
	}

	// Read it back, with its ETag.
	got, err := ext.GetMaterialWithResponse(c, m.Id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.JSON200 == nil || got.JSON200.Name != body.Name {
		t.Fatalf("get: %s %s", got.Status(), got.Body)
	}
	etag := *got.Headers200.ETag
	if etag != *created.Headers201.ETag {
		t.Errorf("get's ETag %s differs from create's %s with nothing changed", etag, *created.Headers201.ETag)
	}

	// Update at the version read; a second update with the same, now
	// stale, tag is refused with 412 and changes nothing.
	change := materials.MaterialUpdate{Name: m.Name, Quality: "steel S235", Thickness: 4, IsActive: true}
	updated, err := ext.UpdateMaterialWithResponse(c, m.Id, &materials.UpdateMaterialParams{IfMatch: &etag}, change)
	if err != nil {
		t.Fatal(err)
	}
	if updated.JSON200 == nil || updated.JSON200.Quality != "steel S235" {
		t.Fatalf("update with If-Match: %s %s", updated.Status(), updated.Body)
	}
	if updated.JSON200.PricePerSquareMetre == nil || updated.JSON200.PricePerSquareMetre.Amount != 4800 {
		t.Errorf("an update without a price kept no price: %+v", updated.JSON200.PricePerSquareMetre)
	}
	newTag := *updated.Headers200.ETag
	if newTag == etag {
		t.Errorf("the ETag did not change with the update: %s", newTag)
	}
	change.Quality = "lost update"
	stale, err := ext.UpdateMaterialWithResponse(c, m.Id, &materials.UpdateMaterialParams{IfMatch: &etag}, change)
	if err != nil {
		t.Fatal(err)
	}
	if stale.Problem412 == nil || stale.Problem412.Status != http.StatusPreconditionFailed {
		t.Fatalf("an update with a stale If-Match answered %s %s, want a 412 problem", stale.Status(), stale.Body)
	}

	// List: paging and ordering. Two more materials of this run, then the
	// run's three by name descending, one per page.
	for _, name := range []string{"1 mm Brass " + run, "9 mm Brass " + run} {
		r, err := ext.CreateMaterialWithResponse(c, nil, materials.NewMaterial{Name: name, Quality: "brass", Thickness: 1})
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create %s: %v %s", name, err, r.Body)
		}
	}
	var names []string
	for offset := int32(0); ; offset++ {
		page, err := ext.ListMaterialsWithResponse(c, &materials.ListMaterialsParams{
			Limit: ptr[int32](1), Offset: &offset, Ordering: ptr(materials.MaterialOrderingNameDescending),
		})
		if err != nil {
			t.Fatal(err)
		}
		if page.JSON200 == nil {
			t.Fatalf("list: %s %s", page.Status(), page.Body)
		}
		if page.JSON200.Limit != 1 || page.JSON200.Offset != offset || len(page.JSON200.Items) > 1 {
			t.Fatalf("page at offset %d: limit %d, offset %d, %d items", offset, page.JSON200.Limit, page.JSON200.Offset, len(page.JSON200.Items))
		}
		if len(page.JSON200.Items) == 0 {
			if int64(offset) != page.JSON200.Count {
				t.Errorf("the pages ended at offset %d of a count of %d", offset, page.JSON200.Count)
			}
			break
		}
		for _, item := range page.JSON200.Items {
			if item.CompanyId != companyID(t) {
				t.Errorf("the list holds material %d of company %d", item.Id, item.CompanyId)
			}
			if strings.HasSuffix(item.Name, run) {
				names = append(names, item.Name)
			}
		}
	}
	want := []string{"9 mm Brass " + run, "4 mm Steel " + run, "1 mm Brass " + run}
	if !slices.Equal(names, want) {
		t.Errorf("by name descending, page by page: %q, want %q", names, want)
	}

	// Delete at the version read; then it is gone.
	deleted, err := ext.DeleteMaterialWithResponse(c, m.Id, &materials.DeleteMaterialParams{IfMatch: &newTag})
	if err != nil {
		t.Fatal(err)
	}
	if deleted.StatusCode() != http.StatusNoContent {
		t.Fatalf("delete with If-Match: %s %s", deleted.Status(), deleted.Body)
	}
	gone, err := ext.GetMaterialWithResponse(c, m.Id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if gone.Problem404 == nil {
		t.Errorf("get after delete: %s %s, want a 404 problem", gone.Status(), gone.Body)
	}
}

// TestMaterialsProblems: what a client is refused, each as a typed
// problem document.
func TestMaterialsProblems(t *testing.T) {
	c := ctx(t)
	ext := materialsAs(t, "CHARTER_TOKEN_EXTERNAL")
	run := unique()
	created, err := ext.CreateMaterialWithResponse(c, nil, materials.NewMaterial{Name: "6 mm Steel " + run, Quality: "steel", Thickness: 6})
	if err != nil || created.JSON201 == nil {
		t.Fatalf("create: %v %s", err, created.Body)
	}
	id := created.JSON201.Id

	t.Run("403 for a viewer", func(t *testing.T) {
		viewer := materialsAs(t, "CHARTER_TOKEN_VIEWER")
		r, err := viewer.CreateMaterialWithResponse(c, nil, materials.NewMaterial{Name: "viewer " + run, Quality: "steel", Thickness: 1})
		if err != nil {
			t.Fatal(err)
		}
		if r.Problem403 == nil || r.Problem403.Status != http.StatusForbidden || r.Problem() != r.Problem403 {
			t.Fatalf("a viewer's create answered %s %s, want a 403 problem", r.Status(), r.Body)
		}
		// Reading is what a viewer may do.
		if g, err := viewer.GetMaterialWithResponse(c, id, nil); err != nil || g.JSON200 == nil {
			t.Fatalf("a viewer's get: %v %s", err, g.Body)
		}
	})

	t.Run("404 for another company's material", func(t *testing.T) {
		other := materialsAs(t, "CHARTER_TOKEN_OTHER_COMPANY")
		r, err := other.GetMaterialWithResponse(c, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Problem404 == nil || r.Problem404.Status != http.StatusNotFound {
			t.Fatalf("another company's get answered %s %s, want a 404 problem", r.Status(), r.Body)
		}
		d, err := other.DeleteMaterialWithResponse(c, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d.Problem404 == nil {
			t.Fatalf("another company's delete answered %s %s, want a 404 problem", d.Status(), d.Body)
		}
	})

	t.Run("403 pointing at the field staff must send", func(t *testing.T) {
		staff := materialsAs(t, "CHARTER_TOKEN_STAFF")
		r, err := staff.CreateMaterialWithResponse(c, nil, materials.NewMaterial{Name: "staff " + run, Quality: "steel", Thickness: 1})
		if err != nil {
			t.Fatal(err)
		}
		p := r.Problem403
		if p == nil || p.Errors == nil || len(*p.Errors) == 0 || (*p.Errors)[0].Pointer != "#/company_id" {
			t.Fatalf("staff's create without company_id answered %s %s, want a 403 problem pointing at #/company_id", r.Status(), r.Body)
		}
	})

	t.Run("422 for an Idempotency-Key sent with another body", func(t *testing.T) {
		key := "reused-" + run
		first, err := ext.CreateMaterialWithResponse(c, &materials.CreateMaterialParams{IdempotencyKey: &key},
			materials.NewMaterial{Name: "7 mm Steel " + run, Quality: "steel", Thickness: 7})
		if err != nil || first.JSON201 == nil {
			t.Fatalf("create: %v %s", err, first.Body)
		}
		r, err := ext.CreateMaterialWithResponse(c, &materials.CreateMaterialParams{IdempotencyKey: &key},
			materials.NewMaterial{Name: "8 mm Steel " + run, Quality: "steel", Thickness: 8})
		if err != nil {
			t.Fatal(err)
		}
		if r.Problem422 == nil || r.Problem422.Status != http.StatusUnprocessableEntity {
			t.Fatalf("the same key with another body answered %s %s, want a 422 problem", r.Status(), r.Body)
		}
	})

	t.Run("400 with a field pointer", func(t *testing.T) {
		r, err := ext.CreateMaterialWithResponse(c, nil, materials.NewMaterial{Name: "thin " + run, Quality: "steel", Thickness: -1})
		if err != nil {
			t.Fatal(err)
		}
		p := r.Problem400
		if p == nil || p.Errors == nil || len(*p.Errors) == 0 || (*p.Errors)[0].Pointer != "#/thickness" {
			t.Fatalf("a negative thickness answered %s %s, want a 400 problem pointing at #/thickness", r.Status(), r.Body)
		}
	})
}
