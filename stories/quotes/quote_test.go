package quotes_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/charterhq/charter/stories/quotes"
)

func TestStateValid(t *testing.T) {
	for _, s := range quotes.States {
		if !s.Valid() {
			t.Errorf("%q is not valid", s)
		}
	}
	for _, s := range []quotes.State{"", "Draft", "cancelled", "draft "} {
		if s.Valid() {
			t.Errorf("%q is valid", s)
		}
	}
}

func TestLineError(t *testing.T) {
	var err error = &quotes.LineError{Index: 2, MaterialID: 7, Reason: quotes.ErrMaterialUnavailable, Why: "material 7 is inactive"}
	wrapped := fmt.Errorf("step: %w", err)

	t.Run("it is its reason", func(t *testing.T) {
		if !errors.Is(wrapped, quotes.ErrMaterialUnavailable) {
			t.Error("errors.Is(err, ErrMaterialUnavailable) = false")
		}
		if errors.Is(wrapped, quotes.ErrInvalidLine) {
			t.Error("errors.Is(err, ErrInvalidLine) = true")
		}
	})

	t.Run("a controller finds the line through wrapping", func(t *testing.T) {
		le, ok := errors.AsType[*quotes.LineError](wrapped)
		if !ok || le.Index != 2 || le.MaterialID != 7 {
			t.Errorf("errors.AsType = %+v, %v; want line 2, material 7", le, ok)
		}
	})

	t.Run("it says which line and why", func(t *testing.T) {
		if got, want := err.Error(), "line 2 (material 7): material unavailable: material 7 is inactive"; got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
	})
}
