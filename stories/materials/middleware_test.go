package materials_test

import (
	"context"
	"errors"
	"testing"

	"github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// TestMiddleware checks that every story can be wrapped from the outside,
// as the services wrap them in logging and transactions, and that a
// wrapped story still runs.
func TestMiddleware(t *testing.T) {
	for _, tc := range []struct {
		story string
		run   func(t *testing.T, mw story.Middleware) error
	}{
		{"ListMaterials", func(t *testing.T, mw story.Middleware) error {
			_, err := listMaterials(t, seeded(t), "staff").With(mw).Run(context.Background(), staff, materials.ListInput{})
			return err
		}},
		{"GetMaterial", func(t *testing.T, mw story.Middleware) error {
			_, err := getMaterial(t, seeded(t), "staff").With(mw).Run(context.Background(), staff, materials.GetInput{ID: 1})
			return err
		}},
		{"CreateMaterial", func(t *testing.T, mw story.Middleware) error {
			_, err := createMaterial(t, seeded(t), "external").With(mw).Run(context.Background(), acme,
				materials.CreateInput{Name: "7 mm Steel", Quality: "steel", Thickness: 7})
			return err
		}},
		{"UpdateMaterial", func(t *testing.T, mw story.Middleware) error {
			_, err := updateMaterial(t, seeded(t), "external").With(mw).Run(context.Background(), acme,
				materials.UpdateInput{ID: 1, Fields: materials.Fields{Name: "11 mm Steel", Quality: "steel", Thickness: 11}})
			return err
		}},
		{"DeleteMaterial", func(t *testing.T, mw story.Middleware) error {
			_, err := deleteMaterial(t, seeded(t), "staff").With(mw).Run(context.Background(), staff, materials.DeleteInput{ID: 1})
			return err
		}},
	} {
		t.Run(tc.story+" runs inside its middleware", func(t *testing.T) {
			var names []string
			err := tc.run(t, func(ctx context.Context, name string, next func(context.Context) error) error {
				names = append(names, name)
				return next(ctx)
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != 1 || names[0] != tc.story {
				t.Errorf("middleware saw %q, want [%s]", names, tc.story)
			}
		})

		t.Run(tc.story+" fails internally when its middleware does", func(t *testing.T) {
			rollback := errors.New("rolled back")
			err := tc.run(t, func(ctx context.Context, _ string, next func(context.Context) error) error {
				if err := next(ctx); err != nil {
					return err
				}
				return rollback
			})
			if !errors.Is(err, rollback) {
				t.Fatalf("err = %v, want %v", err, rollback)
			}
			if f := asFailed(t, err); !f.Internal() {
				t.Errorf("Reason = %v, want nil (internal)", f.Reason)
			}
		})
	}
}
