package materials_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/materials"
)

func deleteMaterial(t *testing.T, repo *memory.Materials, injector string) *materials.DeleteMaterial {
	t.Helper()
	d, err := materials.NewDeleteMaterial(materials.DeleteMaterialDeps{
		FilterOnPermissions: filters[injector],
		Get:                 repo.Get,
		Delete:              repo.Delete,
		Events:              memory.NewOutbox(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeleteMaterial(t *testing.T) {
	seen := reasons{}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		id       int64
		want     error
	}{
		{"an external caller deletes its company's material", "external", acme, 3, nil},
		{"staff delete any company's material", "staff", staff, 5, nil},
		{"another company's material is not found, not forbidden", "external", globex, 1, materials.ErrNotFound},
		{"a missing material is not found", "staff", staff, 99, materials.ErrNotFound},
		{"a caller with no role is forbidden", "staff", nobody, 1, materials.ErrForbidden},
		{"a caller with no role is forbidden by the external story too", "external", nobody, 1, materials.ErrForbidden},
		{"an external caller without a company is forbidden", "external", homeless, 1, materials.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			var before materials.Material
			if tc.id <= 5 {
				before = get(t, repo, tc.id)
			}
			m, err := deleteMaterial(t, repo, tc.injector).Run(context.Background(), tc.caller, materials.DeleteInput{ID: tc.id})
			seen.check(t, err, tc.want)
			total, cerr := repo.Count(context.Background(), materials.Filter{})
			if cerr != nil {
				t.Fatal(cerr)
			}
			if tc.want != nil {
				if total != 5 {
					t.Errorf("%d materials after a failed delete, want the 5 seeded", total)
				}
				return
			}
			if !reflect.DeepEqual(m, before) {
				t.Errorf("returned %+v, want the material as it was, %+v", m, before)
			}
			if _, err := repo.Get(context.Background(), tc.id); !errors.Is(err, materials.ErrNotFound) {
				t.Errorf("after the delete, Get returned %v, want ErrNotFound", err)
			}
			if total != 4 {
				t.Errorf("%d materials after a delete, want 4", total)
			}
		})
	}

	t.Run("a second delete of one material is not found", func(t *testing.T) {
		repo := seeded(t)
		d := deleteMaterial(t, repo, "external")
		if _, err := d.Run(context.Background(), acme, materials.DeleteInput{ID: 2}); err != nil {
			t.Fatal(err)
		}
		_, err := d.Run(context.Background(), acme, materials.DeleteInput{ID: 2})
		seen.check(t, err, materials.ErrNotFound)
	})

	t.Run("a material deleted after it was found is not found", func(t *testing.T) {
		repo := seeded(t)
		d, err := materials.NewDeleteMaterial(materials.DeleteMaterialDeps{
			FilterOnPermissions: materials.StaffAccess,
			Get:                 repo.Get,
			Delete: func(ctx context.Context, id, version int64) error {
				if err := repo.Delete(ctx, id, version); err != nil {
					return err
				}
				return repo.Delete(ctx, id, version) // the second of two racing requests
			},
			Events: memory.NewOutbox(),
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.Run(context.Background(), staff, materials.DeleteInput{ID: 1})
		seen.check(t, err, materials.ErrNotFound)
		if f := asFailed(t, err); f.Step != "delete material" {
			t.Errorf("failed at %q, want %q", f.Step, "delete material")
		}
	})

	t.Run("at a stale version it deletes nothing; at the version read it deletes", func(t *testing.T) {
		repo := seeded(t)
		d := deleteMaterial(t, repo, "staff")
		read := get(t, repo, 1)
		_, err := d.Run(context.Background(), staff, materials.DeleteInput{ID: 1, Version: read.Version + 1})
		seen.check(t, err, materials.ErrVersionMismatch)
		get(t, repo, 1)
		_, err = d.Run(context.Background(), staff, materials.DeleteInput{ID: 1, Version: read.Version})
		seen.check(t, err, nil)
	})

	seen.all(t, deleteMaterial(t, memory.NewMaterials(), "staff").Failures())
}

func TestDeleteMaterialWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := materials.NewDeleteMaterial(materials.DeleteMaterialDeps{})
		if err == nil {
			t.Fatal("NewDeleteMaterial accepted missing dependencies")
		}
		if got, want := err.Error(), "story DeleteMaterial: missing dependencies: FilterOnPermissions, Get, Delete, Events"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := deleteMaterial(t, memory.NewMaterials(), "staff").Failures()
		if want := []error{materials.ErrForbidden, materials.ErrNotFound, materials.ErrVersionMismatch}; !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
