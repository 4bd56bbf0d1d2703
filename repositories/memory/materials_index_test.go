package memory_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/materials"
)

// TestMaterialsIndexesFollowWrites holds Find and Count, which read ordered
// indexes kept up to date on every write, to a model that filters and
// sorts everything, after any sequence of creates, updates and deletes.
// The contract suite mostly reads what it has just created; this test
// moves materials between companies' names, qualities, thicknesses and
// active flags and removes them, with few distinct values so that every
// ordering has ties.
func TestMaterialsIndexesFollowWrites(t *testing.T) {
	ctx := context.Background()
	epoch := time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)
	fields := rapid.Custom(func(t *rapid.T) materials.Fields {
		return materials.Fields{
			Name:      rapid.SampledFrom([]string{"A", "B", "b", "C", ""}).Draw(t, "name"),
			Quality:   rapid.SampledFrom([]string{"S235", "DC01", "AlMg3"}).Draw(t, "quality"),
			Thickness: rapid.SampledFrom([]float64{0.5, 1.5, 3}).Draw(t, "thickness"),
			IsActive:  rapid.Bool().Draw(t, "active"),
		}
	})
	companies := []int64{0, 1, 2, 3}
	var filters []materials.Filter
	for _, c := range companies {
		for _, active := range []*bool{nil, new(true), new(false)} {
			filters = append(filters, materials.Filter{CompanyID: c, IsActive: active})
		}
	}
	var orders []materials.Order
	for _, by := range append([]materials.Field{""}, materials.SortableFields...) {
		orders = append(orders, materials.Order{By: by}, materials.Order{By: by, Descending: true})
	}

	rapid.Check(t, func(t *rapid.T) {
		r := memory.NewMaterials()
		model := map[int64]materials.Material{}
		var lastID int64
		nameTaken := func(company int64, name string, except int64) bool {
			for id, m := range model {
				if id != except && m.CompanyID == company && m.Name == name {
					return true
				}
			}
			return false
		}
		check := func(q materials.Query) {
			want := wantPage(model, q)
			got, err := r.Find(ctx, q)
			if err != nil {
				t.Fatalf("Find(%+v): %v", q, err)
			}
			if got == nil || !slices.Equal(got, want) {
				t.Fatalf("Find(%+v)\n got %v\nwant %v", q, got, want)
			}
			n, err := r.Count(ctx, q.Filter)
			if err != nil || n != int64(len(wantPage(model, materials.Query{Filter: q.Filter}))) {
				t.Fatalf("Count(%+v) = %d, %v", q.Filter, n, err)
			}
		}

		for step := range rapid.IntRange(1, 60).Draw(t, "steps") {
			id := rapid.Int64Range(1, lastID+1).Draw(t, "id")
			switch rapid.IntRange(0, 2).Draw(t, "write") {
			case 0:
				f := fields.Draw(t, "fields")
				m := materials.Material{
					CompanyID: rapid.SampledFrom(companies).Draw(t, "company"),
					Name:      f.Name, Quality: f.Quality, Thickness: f.Thickness, IsActive: f.IsActive,
					CreatedAt: epoch.Add(time.Duration(rapid.IntRange(0, 2).Draw(t, "created")) * time.Nanosecond),
					UpdatedAt: epoch,
				}
				got, err := r.Create(ctx, m)
				if taken := nameTaken(m.CompanyID, m.Name, 0); taken != errors.Is(err, materials.ErrConflict) {
					t.Fatalf("step %d: Create(%+v) error = %v, name taken %v", step, m, err, taken)
				}
				if err == nil {
					lastID++
					m.ID, m.Version = lastID, 1
					model[m.ID] = m
					if got != m {
						t.Fatalf("step %d: Create = %+v, want %+v", step, got, m)
					}
				}
			case 1:
				f := fields.Draw(t, "fields")
				at := epoch.Add(time.Duration(step) * time.Second)
				_, err := r.Update(ctx, id, 0, f, at)
				m, found := model[id]
				switch {
				case !found:
					if !errors.Is(err, materials.ErrNotFound) {
						t.Fatalf("step %d: Update(%d) of a missing material: %v", step, id, err)
					}
				case nameTaken(m.CompanyID, f.Name, id):
					if !errors.Is(err, materials.ErrConflict) {
						t.Fatalf("step %d: Update(%d, %+v) to a taken name: %v", step, id, f, err)
					}
				case err != nil:
					t.Fatalf("step %d: Update(%d, %+v): %v", step, id, f, err)
				default:
					m.Name, m.Quality, m.Thickness, m.IsActive, m.UpdatedAt = f.Name, f.Quality, f.Thickness, f.IsActive, at
					m.Version++
					model[id] = m
				}
			case 2:
				err := r.Delete(ctx, id, 0)
				if _, found := model[id]; found != (err == nil) {
					t.Fatalf("step %d: Delete(%d) error = %v, stored %v", step, id, err, found)
				}
				delete(model, id)
			}
			check(materials.Query{
				Filter: rapid.SampledFrom(filters).Draw(t, "filter"),
				Order:  rapid.SampledFrom(orders).Draw(t, "order"),
				Limit:  rapid.IntRange(-1, 5).Draw(t, "limit"),
				Offset: rapid.IntRange(-1, 8).Draw(t, "offset"),
			})
		}
		for _, f := range filters {
			for _, o := range orders {
				check(materials.Query{Filter: f, Order: o})
			}
		}
	})
}

// wantPage is the page q selects from model, by filtering and sorting all
// of it.
func wantPage(model map[int64]materials.Material, q materials.Query) []materials.Material {
	keys := map[materials.Field]func(a, b materials.Material) int{
		materials.ByID:        func(a, b materials.Material) int { return cmp.Compare(a.ID, b.ID) },
		materials.ByName:      func(a, b materials.Material) int { return strings.Compare(a.Name, b.Name) },
		materials.ByQuality:   func(a, b materials.Material) int { return strings.Compare(a.Quality, b.Quality) },
		materials.ByThickness: func(a, b materials.Material) int { return cmp.Compare(a.Thickness, b.Thickness) },
		materials.ByCreatedAt: func(a, b materials.Material) int { return a.CreatedAt.Compare(b.CreatedAt) },
	}
	key := keys[cmp.Or(q.Order.By, materials.ByID)]
	if key == nil {
		panic(fmt.Sprintf("no key for %q", q.Order.By))
	}
	page := []materials.Material{}
	for _, m := range model {
		if q.Filter.Matches(m) {
			page = append(page, m)
		}
	}
	slices.SortFunc(page, func(a, b materials.Material) int {
		c := key(a, b)
		if q.Order.Descending {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.ID, b.ID))
	})
	page = page[min(max(q.Offset, 0), len(page)):]
	if q.Limit > 0 {
		page = page[:min(q.Limit, len(page))]
	}
	return page
}
