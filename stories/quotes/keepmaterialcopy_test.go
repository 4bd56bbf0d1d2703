package quotes_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/quotes"
)

func TestKeepMaterialCopy(t *testing.T) {
	newStory := func(t *testing.T) (*quotes.KeepMaterialCopy, *memory.MaterialCopies, *int) {
		t.Helper()
		copies, calls := memory.NewMaterialCopies(), 0
		k, err := quotes.NewKeepMaterialCopy(quotes.KeepMaterialCopyDeps{Keep: func(ctx context.Context, c quotes.MaterialCopy) (bool, error) {
			calls++
			return copies.Keep(ctx, c)
		}})
		if err != nil {
			t.Fatal(err)
		}
		return k, copies, &calls
	}

	t.Run("a change is kept once, and an older one not at all", func(t *testing.T) {
		k, copies, _ := newStory(t)
		first, second := copyOf(2), copyOf(2)
		second.Sequence, second.ChangedAt, second.Active = 2, first.ChangedAt.Add(time.Second), false
		for _, step := range []struct {
			c    quotes.MaterialCopy
			kept bool
		}{{first, true}, {second, true}, {second, false}, {first, false}} {
			kept, err := k.Run(context.Background(), step.c)
			if err != nil {
				t.Fatal(err)
			}
			if kept != step.kept {
				t.Errorf("Run(sequence %d) kept = %v, want %v", step.c.Sequence, kept, step.kept)
			}
		}
		got, _ := copies.Copies(context.Background(), []int64{2})
		if c := got[2]; c.Sequence != 2 || c.Active {
			t.Errorf("copy %+v, want sequence 2, inactive", c)
		}
	})

	t.Run("a deletion needs only the material's ID and a time", func(t *testing.T) {
		k, _, _ := newStory(t)
		kept, err := k.Run(context.Background(), quotes.MaterialCopy{ID: 3, Deleted: true, ChangedAt: now})
		if err != nil || !kept {
			t.Errorf("Run(deletion) = %v, %v; want kept", kept, err)
		}
	})

	for _, tc := range []struct {
		name   string
		change func(c *quotes.MaterialCopy)
	}{
		{"no ID", func(c *quotes.MaterialCopy) { c.ID = 0 }},
		{"a negative ID", func(c *quotes.MaterialCopy) { c.ID = -1 }},
		{"no company", func(c *quotes.MaterialCopy) { c.CompanyID = 0 }},
		{"a negative sequence", func(c *quotes.MaterialCopy) { c.Sequence = -1 }},
		{"no time", func(c *quotes.MaterialCopy) { c.ChangedAt = time.Time{} }},
		{"a deletion without an ID", func(c *quotes.MaterialCopy) { c.ID, c.Deleted = 0, true }},
	} {
		t.Run("a change with "+tc.name+" is invalid and keeps nothing", func(t *testing.T) {
			k, _, calls := newStory(t)
			c := copyOf(1)
			tc.change(&c)
			_, err := k.Run(context.Background(), c)
			if !errors.Is(err, quotes.ErrInvalidMaterialChange) {
				t.Fatalf("err = %v, want ErrInvalidMaterialChange", err)
			}
			if f := asFailed(t, err); f.Step != "check change names a material" {
				t.Errorf("failed at %q", f.Step)
			}
			if *calls != 0 {
				t.Errorf("Keep called %d times, want none", *calls)
			}
		})
	}

	t.Run("a store that fails is an internal error", func(t *testing.T) {
		broken := errors.New("disk full")
		k, err := quotes.NewKeepMaterialCopy(quotes.KeepMaterialCopyDeps{Keep: func(context.Context, quotes.MaterialCopy) (bool, error) {
			return false, broken
		}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = k.Run(context.Background(), copyOf(1))
		internal(t, err, "keep copy unless a later one is kept")
	})

	t.Run("it reads like the process and declares its failure", func(t *testing.T) {
		k, _, _ := newStory(t)
		if got, want := strings.Join(steps(k.Describe()), ", "), "check change names a material, keep copy unless a later one is kept"; got != want {
			t.Errorf("steps %s, want %s", got, want)
		}
		if !sameErrors(k.Failures(), []error{quotes.ErrInvalidMaterialChange}) {
			t.Errorf("Failures() = %v", k.Failures())
		}
		if _, err := quotes.NewKeepMaterialCopy(quotes.KeepMaterialCopyDeps{}); err == nil || !strings.Contains(err.Error(), "Keep") {
			t.Errorf("a missing Keep: err = %v", err)
		}
	})
}

func TestMaterialCopySupersedes(t *testing.T) {
	at := func(minutes int) time.Time { return now.Add(time.Duration(minutes) * time.Minute) }
	v := func(sequence int64, minutes int) quotes.MaterialCopy {
		return quotes.MaterialCopy{ID: 1, CompanyID: 1, Sequence: sequence, ChangedAt: at(minutes)}
	}
	gone := func(minutes int) quotes.MaterialCopy {
		return quotes.MaterialCopy{ID: 1, Deleted: true, ChangedAt: at(minutes)}
	}
	for _, tc := range []struct {
		name     string
		new, old quotes.MaterialCopy
		want     bool
	}{
		{"a greater sequence, earlier by the clock", v(3, 0), v(2, 5), true},
		{"a smaller sequence, later by the clock", v(2, 5), v(3, 0), false},
		{"a greater sequence at the same time", v(3, 5), v(2, 5), true},
		{"a smaller sequence at the same time", v(2, 5), v(3, 5), false},
		{"the same sequence and time: a redelivery", v(2, 5), v(2, 5), false},
		{"the same sequence, another time: still the one change", v(2, 6), v(2, 5), false},
		{"no sequences, later", v(0, 6), v(0, 5), true},
		{"no sequences, earlier", v(0, 4), v(0, 5), false},
		{"one sequence missing: by the clock", v(0, 6), v(3, 5), true},
		{"a deletion over any change", gone(0), v(9, 10), true},
		{"nothing over a deletion", v(9, 10), gone(0), false},
		{"not even another deletion", gone(10), gone(0), false},
	} {
		if got := tc.new.Supersedes(tc.old); got != tc.want {
			t.Errorf("%s: Supersedes = %v, want %v", tc.name, got, tc.want)
		}
	}
}
