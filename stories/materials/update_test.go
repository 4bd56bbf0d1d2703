package materials_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/materials"
)

func updateMaterial(t *testing.T, repo *memory.Materials, injector string) *materials.UpdateMaterial {
	t.Helper()
	u, err := materials.NewUpdateMaterial(materials.UpdateMaterialDeps{
		FilterOnPermissions: filters[injector],
		Get:                 repo.Get,
		Update:              repo.Update,
		Events:              memory.NewOutbox(),
		Now:                 clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUpdateMaterial(t *testing.T) {
	seen := reasons{}
	thicker := materials.Fields{Name: "12 mm Steel", Quality: "steel", Thickness: 12, IsActive: false}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		id       int64
		fields   materials.Fields
		want     error
	}{
		{"an external caller changes its company's material", "external", acme, 1, thicker, nil},
		{"staff change any company's material", "staff", staff, 4, thicker, nil},
		{"keeping the same name is no conflict", "external", globex, 4,
			materials.Fields{Name: "8 mm Steel", Quality: "stainless", Thickness: 8, IsActive: true}, nil},
		{"a name used in another company is no conflict", "external", acme, 1,
			materials.Fields{Name: "8 mm Steel", Quality: "steel", Thickness: 8}, nil},
		{"another company's material is not found, not forbidden", "external", acme, 4, thicker, materials.ErrNotFound},
		{"a missing material is not found", "staff", staff, 99, thicker, materials.ErrNotFound},
		{"a name used by another material of the company conflicts", "external", acme, 1,
			materials.Fields{Name: "2 mm Aluminium", Quality: "steel", Thickness: 10}, materials.ErrConflict},
		{"no price keeps the current one", "external", acme, 1,
			materials.Fields{Name: "10 mm Steel", Quality: "steel S235", Thickness: 10, IsActive: true}, nil},
		{"a price replaces the current one", "external", acme, 1,
			materials.Fields{Name: "10 mm Steel", Quality: "steel", Thickness: 10, IsActive: true, Price: eur(12500)}, nil},
		{"a material gets its first price", "staff", staff, 4,
			materials.Fields{Name: "8 mm Steel", Quality: "steel", Thickness: 8, IsActive: true, Price: &materials.Money{Amount: 9900, Currency: "USD"}}, nil},
		{"a caller with no role is forbidden", "staff", nobody, 1, thicker, materials.ErrForbidden},
		{"a caller with no role is forbidden by the external story too", "external", nobody, 1, thicker, materials.ErrForbidden},
		{"an external caller without a company is forbidden", "external", homeless, 1, thicker, materials.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			before := map[int64]materials.Material{}
			for id := int64(1); id <= 5; id++ {
				before[id] = get(t, repo, id)
			}
			m, err := updateMaterial(t, repo, tc.injector).Run(context.Background(), tc.caller,
				materials.UpdateInput{ID: tc.id, Fields: tc.fields})
			seen.check(t, err, tc.want)
			for id, was := range before {
				if id == tc.id && tc.want == nil {
					continue
				}
				if got := get(t, repo, id); !reflect.DeepEqual(got, was) {
					t.Errorf("material %d changed to %+v", id, got)
				}
			}
			if tc.want != nil {
				return
			}
			want := before[tc.id]
			want.Name, want.Quality, want.Thickness, want.IsActive = tc.fields.Name, tc.fields.Quality, tc.fields.Thickness, tc.fields.IsActive
			if tc.fields.Price != nil {
				want.Price = tc.fields.Price
			}
			want.UpdatedAt = now
			want.Version++
			if !reflect.DeepEqual(m, want) {
				t.Errorf("updated %+v (price %v), want %+v (price %v)", m, m.Price, want, want.Price)
			}
			if got := get(t, repo, tc.id); !reflect.DeepEqual(got, want) {
				t.Errorf("stored %+v (price %v), want %+v (price %v)", got, got.Price, want, want.Price)
			}
		})
	}

	t.Run("a material deleted after it was found is not found", func(t *testing.T) {
		repo := seeded(t)
		u, err := materials.NewUpdateMaterial(materials.UpdateMaterialDeps{
			FilterOnPermissions: materials.CompanyAccess,
			Get: func(ctx context.Context, id int64) (materials.Material, error) {
				m, err := repo.Get(ctx, id)
				if err == nil {
					err = repo.Delete(ctx, id, 0) // another request, just in between
				}
				return m, err
			},
			Update: repo.Update,
			Events: memory.NewOutbox(),
			Now:    clock,
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = u.Run(context.Background(), acme, materials.UpdateInput{ID: 2, Fields: thicker})
		seen.check(t, err, materials.ErrNotFound)
		if f := asFailed(t, err); f.Step != "save changes" {
			t.Errorf("failed at %q, want %q", f.Step, "save changes")
		}
	})

	t.Run("at the version read it updates; at a stale one it changes nothing", func(t *testing.T) {
		repo := seeded(t)
		u := updateMaterial(t, repo, "external")
		read := get(t, repo, 1)
		first, err := u.Run(context.Background(), acme, materials.UpdateInput{ID: 1, Fields: thicker, Version: read.Version})
		seen.check(t, err, nil)
		if first.Version != read.Version+1 {
			t.Errorf("version %d after an update of version %d", first.Version, read.Version)
		}
		renamed := materials.Fields{Name: "renamed", Quality: read.Quality, Thickness: read.Thickness, IsActive: read.IsActive}
		_, err = u.Run(context.Background(), acme, materials.UpdateInput{ID: 1, Fields: renamed, Version: read.Version})
		seen.check(t, err, materials.ErrVersionMismatch)
		if f := asFailed(t, err); f.Step != "save changes" {
			t.Errorf("failed at %q, want %q", f.Step, "save changes")
		}
		if got := get(t, repo, 1); !reflect.DeepEqual(got, first) {
			t.Errorf("stored %+v after a refused update, want %+v", got, first)
		}
	})

	seen.all(t, updateMaterial(t, memory.NewMaterials(), "staff").Failures())
}

// TestUpdateMaterialRefusesMalformedPrices runs the story as a caller
// other than the HTTP stack would, with prices the contract refuses: the
// story fails internally at "check price" and changes nothing, and a
// material out of reach is still not found rather than refused for its
// price.
func TestUpdateMaterialRefusesMalformedPrices(t *testing.T) {
	for _, tc := range malformedPrices {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			before := get(t, repo, 1)
			fields := materials.Fields{Name: "11 mm Steel", Quality: "steel", Thickness: 11, IsActive: true, Price: &tc.price}
			_, err := updateMaterial(t, repo, "external").Run(context.Background(), acme, materials.UpdateInput{ID: 1, Fields: fields})
			internal(t, err, "check price")
			if got := get(t, repo, 1); !reflect.DeepEqual(got, before) {
				t.Errorf("a refused update changed the material to %+v", got)
			}
			_, err = updateMaterial(t, repo, "external").Run(context.Background(), acme, materials.UpdateInput{ID: 4, Fields: fields})
			if !errors.Is(err, materials.ErrNotFound) {
				t.Errorf("update of another company's material with a malformed price: %v, want ErrNotFound", err)
			}
		})
	}
}

func TestUpdateMaterialWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := materials.NewUpdateMaterial(materials.UpdateMaterialDeps{Now: time.Now})
		if err == nil {
			t.Fatal("NewUpdateMaterial accepted missing dependencies")
		}
		if got, want := err.Error(), "story UpdateMaterial: missing dependencies: FilterOnPermissions, Get, Update, Events"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("it finds the material, checks the price, then saves the changes", func(t *testing.T) {
		got := updateMaterial(t, memory.NewMaterials(), "staff").Describe().String()
		want := "UpdateMaterial\n  FindMaterial\n    check permissions\n    find material\n    hide materials out of reach\n" +
			"    fails with: forbidden, material not found\n  check price\n  save changes\n  record material updated\n"
		if !strings.HasPrefix(got, want) {
			t.Errorf("description\n%s\nwant it to start\n%s", got, want)
		}
		if !strings.Contains(got, "uses: Now = github.com/charterhq/charter/stories/materials_test.clock") {
			t.Errorf("description\n%s\ndoes not name the clock", got)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := updateMaterial(t, memory.NewMaterials(), "staff").Failures()
		if want := []error{materials.ErrForbidden, materials.ErrNotFound, materials.ErrConflict, materials.ErrVersionMismatch}; !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
