package materials_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/materials"
)

func createMaterial(t *testing.T, repo *memory.Materials, injector string) *materials.CreateMaterial {
	t.Helper()
	c, err := materials.NewCreateMaterial(materials.CreateMaterialDeps{
		FilterOnPermissions: filters[injector],
		Create:              repo.Create,
		Events:              memory.NewOutbox(),
		Now:                 clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCreateMaterial(t *testing.T) {
	seen := reasons{}
	sheet := func(company int64, name string) materials.CreateInput {
		return materials.CreateInput{CompanyID: company, Name: name, Quality: "steel", Thickness: 3}
	}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		in       materials.CreateInput
		want     error
		company  int64
		active   bool
	}{
		{name: "an external caller creates in its company when it names none", injector: "external", caller: acme,
			in: sheet(0, "3 mm Steel"), company: 1, active: true},
		{name: "an external caller may name its own company", injector: "external", caller: globex,
			in: sheet(2, "3 mm Steel"), company: 2, active: true},
		{name: "staff create in the company they name", injector: "staff", caller: staff,
			in: sheet(3, "3 mm Steel"), company: 3, active: true},
		{name: "a new material can start inactive", injector: "external", caller: acme,
			in: materials.CreateInput{Name: "4 mm Zinc", Quality: "zinc", Thickness: 4, IsActive: ptr(false)}, company: 1},
		{name: "a new material can be said active", injector: "staff", caller: staff,
			in: materials.CreateInput{CompanyID: 1, Name: "6 mm Zinc", Quality: "zinc", Thickness: 6, IsActive: ptr(true)}, company: 1, active: true},
		{name: "a new material keeps the price it is given", injector: "external", caller: acme,
			in: materials.CreateInput{Name: "12 mm Steel", Quality: "steel", Thickness: 12, Price: eur(14400)}, company: 1, active: true},
		{name: "a price of nothing is a price", injector: "staff", caller: staff,
			in: materials.CreateInput{CompanyID: 2, Name: "Offcuts", Quality: "steel", Thickness: 3, Price: eur(0)}, company: 2, active: true},
		{name: "the same name in another company is no conflict", injector: "external", caller: globex,
			in: sheet(0, "10 mm Steel"), company: 2, active: true},
		{name: "an external caller may not create in another company", injector: "external", caller: acme,
			in: sheet(2, "3 mm Steel"), want: materials.ErrForbidden},
		{name: "staff must name the company", injector: "staff", caller: staff,
			in: sheet(0, "3 mm Steel"), want: materials.ErrCompanyRequired},
		{name: "a caller with no role is forbidden", injector: "staff", caller: nobody,
			in: sheet(1, "3 mm Steel"), want: materials.ErrForbidden},
		{name: "a caller with no role is forbidden by the external story too", injector: "external", caller: nobody,
			in: sheet(0, "3 mm Steel"), want: materials.ErrForbidden},
		{name: "an external caller without a company is forbidden", injector: "external", caller: homeless,
			in: sheet(0, "3 mm Steel"), want: materials.ErrForbidden},
		{name: "a name already used in the company conflicts", injector: "external", caller: acme,
			in: sheet(0, "10 mm Steel"), want: materials.ErrConflict},
		{name: "staff meet the same conflict", injector: "staff", caller: staff,
			in: sheet(2, "8 mm Steel"), want: materials.ErrConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			m, err := createMaterial(t, repo, tc.injector).Run(context.Background(), tc.caller, tc.in)
			seen.check(t, err, tc.want)
			total, cerr := repo.Count(context.Background(), materials.Filter{})
			if cerr != nil {
				t.Fatal(cerr)
			}
			if tc.want != nil {
				if total != 5 {
					t.Errorf("%d materials after a failed create, want the 5 seeded", total)
				}
				return
			}
			if total != 6 {
				t.Errorf("%d materials after a create, want 6", total)
			}
			// A material created without a price has none, not a zero one.
			want := materials.Material{
				ID: 6, CompanyID: tc.company, Name: tc.in.Name, Quality: tc.in.Quality, Thickness: tc.in.Thickness,
				IsActive: tc.active, Price: tc.in.Price, CreatedAt: now, UpdatedAt: now, Version: 1,
			}
			if !reflect.DeepEqual(m, want) {
				t.Errorf("created %+v (price %v), want %+v (price %v)", m, m.Price, want, want.Price)
			}
			if got := get(t, repo, m.ID); !reflect.DeepEqual(got, want) {
				t.Errorf("stored %+v (price %v), want %+v (price %v)", got, got.Price, want, want.Price)
			}
		})
	}
	seen.all(t, createMaterial(t, memory.NewMaterials(), "staff").Failures())
}

// TestCreateMaterialRefusesMalformedPrices runs the story as a caller
// other than the HTTP stack would, with prices the contract refuses: the
// story fails internally at "check price" and stores nothing.
func TestCreateMaterialRefusesMalformedPrices(t *testing.T) {
	for _, tc := range malformedPrices {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			_, err := createMaterial(t, repo, "external").Run(context.Background(), acme,
				materials.CreateInput{Name: "12 mm Steel", Quality: "steel", Thickness: 12, Price: &tc.price})
			internal(t, err, "check price")
			if n, err := repo.Count(context.Background(), materials.Filter{}); err != nil || n != 5 {
				t.Errorf("%d materials (err %v) after a refused create, want the 5 seeded", n, err)
			}
		})
	}
}

func TestCreateMaterialWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := materials.NewCreateMaterial(materials.CreateMaterialDeps{Create: memory.NewMaterials().Create})
		if err == nil {
			t.Fatal("NewCreateMaterial accepted missing dependencies")
		}
		if got, want := err.Error(), "story CreateMaterial: missing dependencies: FilterOnPermissions, Events, Now"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("it describes its steps in order", func(t *testing.T) {
		got := createMaterial(t, memory.NewMaterials(), "staff").Describe().String()
		want := "CreateMaterial\n  check permissions\n  choose company\n  check price\n  prepare material\n  create material\n  record material created\n"
		if !strings.HasPrefix(got, want) {
			t.Errorf("description\n%s\nwant it to start\n%s", got, want)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := createMaterial(t, memory.NewMaterials(), "staff").Failures()
		if want := []error{materials.ErrForbidden, materials.ErrCompanyRequired, materials.ErrConflict}; !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
