package story_test

import (
	"context"
	"strings"
	"testing"

	"github.com/charterhq/charter/stories/story"
)

type deps struct {
	Find   func(context.Context, int64) (string, error)
	Count  func(context.Context) (int64, error)
	Store  interface{ Save() error }
	Limits map[string]int
	Name   string // not a part that can be missing
}

func TestNew(t *testing.T) {
	noop := story.Do("noop", func(context.Context, *trail) error { return nil })

	t.Run("a missing dependency is caught, naming every missing field", func(t *testing.T) {
		_, err := story.New(story.Definition[trail]{
			Name:         "Wired",
			Dependencies: deps{Count: func(context.Context) (int64, error) { return 0, nil }},
			Steps:        []story.Step[trail]{noop},
		})
		if err == nil {
			t.Fatal("New accepted missing dependencies")
		}
		if got, want := err.Error(), "story Wired: missing dependencies: Find, Store, Limits"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("a pointer to dependencies is checked like the struct", func(t *testing.T) {
		_, err := story.New(story.Definition[trail]{Name: "Wired", Dependencies: &deps{}, Steps: []story.Step[trail]{noop}})
		if err == nil || !strings.Contains(err.Error(), "Find, Count, Store, Limits") {
			t.Errorf("error %v, want every field named", err)
		}
		_, err = story.New(story.Definition[trail]{Name: "Wired", Dependencies: (*deps)(nil), Steps: []story.Step[trail]{noop}})
		if err == nil {
			t.Error("New accepted a nil pointer to dependencies")
		}
	})

	t.Run("dependencies that are not a struct are refused", func(t *testing.T) {
		if err := story.CheckDependencies(42); err == nil {
			t.Error("CheckDependencies(42) = nil")
		}
	})

	t.Run("a story without dependencies needs none", func(t *testing.T) {
		if _, err := story.New(story.Definition[trail]{Name: "Plain", Steps: []story.Step[trail]{noop}}); err != nil {
			t.Error(err)
		}
	})

	for _, tc := range []struct {
		name string
		def  story.Definition[trail]
		want string
	}{
		{"two steps with one name are refused",
			story.Definition[trail]{Name: "Dup", Steps: []story.Step[trail]{noop, record("x", nil), noop}},
			`story Dup: two steps are named "noop"`},
		{"a story without a name is refused",
			story.Definition[trail]{Steps: []story.Step[trail]{noop}},
			"story: a story needs a name"},
		{"a story without steps is refused",
			story.Definition[trail]{Name: "Empty"},
			"story Empty: a story needs at least one step"},
		{"a step without a function is refused",
			story.Definition[trail]{Name: "Hollow", Steps: []story.Step[trail]{story.Do[trail]("hollow", nil)}},
			"story Hollow: step 1 has no name or no function"},
		{"a step without a name is refused",
			story.Definition[trail]{Name: "Anon", Steps: []story.Step[trail]{noop, record("", nil)}},
			"story Anon: step 2 has no name or no function"},
		{"a nil declared failure is refused",
			story.Definition[trail]{Name: "Nil", Failures: []error{errDeclared, nil}, Steps: []story.Step[trail]{noop}},
			"story Nil: a declared failure is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := story.New(tc.def)
			if err == nil {
				t.Fatal("New returned no error")
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("error %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("MustNew panics on a wiring error", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("MustNew did not panic")
			}
		}()
		story.MustNew(story.Definition[trail]{Name: "Empty"})
	})
}
