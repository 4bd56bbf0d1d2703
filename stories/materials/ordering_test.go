package materials_test

import (
	"errors"
	"testing"

	"github.com/charterhq/charter/stories/materials"
)

func TestParseOrdering(t *testing.T) {
	t.Run("every sortable field sorts both ways", func(t *testing.T) {
		for _, f := range materials.SortableFields {
			for s, want := range map[string]materials.Order{
				string(f):       {By: f},
				"-" + string(f): {By: f, Descending: true},
			} {
				got, err := materials.ParseOrdering(s)
				if err != nil {
					t.Errorf("ParseOrdering(%q): %v", s, err)
				}
				if got != want {
					t.Errorf("ParseOrdering(%q) = %+v, want %+v", s, got, want)
				}
			}
		}
	})

	t.Run("no ordering sorts by ID", func(t *testing.T) {
		got, err := materials.ParseOrdering("")
		if err != nil || got != (materials.Order{By: materials.ByID}) {
			t.Errorf("ParseOrdering(\"\") = %+v, %v; want by ID", got, err)
		}
	})

	for _, s := range []string{"-", "--name", "+name", "Name", " name", "name ", "name,id", "colour", "company_id", "name;DROP TABLE materials"} {
		t.Run("refuses "+s, func(t *testing.T) {
			if _, err := materials.ParseOrdering(s); !errors.Is(err, materials.ErrInvalidOrdering) {
				t.Errorf("ParseOrdering(%q) err = %v, want ErrInvalidOrdering", s, err)
			}
		})
	}
}
