package materials_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/materials"
)

func getMaterial(t *testing.T, repo *memory.Materials, injector string) *materials.GetMaterial {
	t.Helper()
	g, err := materials.NewGetMaterial(materials.GetMaterialDeps{
		FilterOnPermissions: filters[injector],
		Get:                 repo.Get,
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGetMaterial(t *testing.T) {
	repo := seeded(t)
	seen := reasons{}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		id       int64
		want     error
	}{
		{"staff get any company's material", "staff", staff, 4, nil},
		{"an external caller gets its company's material", "external", acme, 1, nil},
		{"an inactive material can still be read", "external", globex, 5, nil},
		{"another company's material is not found, not forbidden", "external", acme, 4, materials.ErrNotFound},
		{"a missing material is not found for staff", "staff", staff, 99, materials.ErrNotFound},
		{"a missing material is not found for an external caller", "external", acme, 99, materials.ErrNotFound},
		{"a caller with no role is forbidden", "staff", nobody, 1, materials.ErrForbidden},
		{"a caller with no role is forbidden before anything is looked up", "external", nobody, 99, materials.ErrForbidden},
		{"an external caller without a company is forbidden", "external", homeless, 1, materials.ErrForbidden},
		{"an external caller is forbidden the staff story", "staff", globex, 4, materials.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := getMaterial(t, repo, tc.injector).Run(context.Background(), tc.caller, materials.GetInput{ID: tc.id})
			seen.check(t, err, tc.want)
			if tc.want != nil {
				return
			}
			if got, want := m, get(t, repo, tc.id); !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
	seen.all(t, getMaterial(t, repo, "staff").Failures())

	t.Run("a failing repository is internal", func(t *testing.T) {
		g, err := materials.NewGetMaterial(materials.GetMaterialDeps{
			FilterOnPermissions: materials.StaffAccess,
			Get: func(context.Context, int64) (materials.Material, error) {
				return materials.Material{}, errors.New("disk full")
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = g.Run(context.Background(), staff, materials.GetInput{ID: 1})
		internal(t, err, "FindMaterial")
	})
}

func TestGetMaterialWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := materials.NewGetMaterial(materials.GetMaterialDeps{FilterOnPermissions: materials.StaffAccess})
		if err == nil {
			t.Fatal("NewGetMaterial accepted a missing dependency")
		}
		if got, want := err.Error(), "story GetMaterial: missing dependencies: Get"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("it describes the substory that finds the material", func(t *testing.T) {
		got := getMaterial(t, memory.NewMaterials(), "external").Describe().String()
		for _, want := range []string{
			"GetMaterial\n  FindMaterial\n    check permissions\n    find material\n    hide materials out of reach\n",
			"uses: FilterOnPermissions = github.com/charterhq/charter/stories/materials.CompanyAccess",
			"uses: Get = github.com/charterhq/charter/repositories/memory.(*Materials).Get",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("description\n%s\nlacks\n%s", got, want)
			}
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := getMaterial(t, memory.NewMaterials(), "staff").Failures()
		if want := []error{materials.ErrForbidden, materials.ErrNotFound}; !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
