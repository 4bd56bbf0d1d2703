package quotes_test

import (
	"errors"
	"testing"

	"github.com/charterhq/charter/stories/quotes"
)

func TestParseOrdering(t *testing.T) {
	t.Run("every sortable field sorts both ways", func(t *testing.T) {
		for _, f := range quotes.SortableFields {
			for s, want := range map[string]quotes.Order{
				string(f):       {By: f},
				"-" + string(f): {By: f, Descending: true},
			} {
				got, err := quotes.ParseOrdering(s)
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
		got, err := quotes.ParseOrdering("")
		if err != nil || got != (quotes.Order{By: quotes.ByID}) {
			t.Errorf("ParseOrdering(\"\") = %+v, %v; want by ID", got, err)
		}
	})

	for _, s := range []string{"-", "--state", "+state", "State", " state", "state ", "state,id", "total", "company_id", "valid_until", "state;DROP TABLE quotes"} {
		t.Run("refuses "+s, func(t *testing.T) {
			if _, err := quotes.ParseOrdering(s); !errors.Is(err, quotes.ErrInvalidOrdering) {
				t.Errorf("ParseOrdering(%q) err = %v, want ErrInvalidOrdering", s, err)
			}
		})
	}
}
