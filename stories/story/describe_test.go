package story_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/charterhq/charter/stories/story"
)

const pkg = "github.com/charterhq/charter/stories/story_test"

// shelf stands for a repository whose methods fill dependencies.
type shelf struct{}

func (*shelf) Count(context.Context) (int64, error) { return 0, nil }

func (shelf) Save() error { return nil }

type clock struct{}

func (clock) Now() int64 { return 0 }

func findByName(context.Context, int64) (string, error) { return "", nil }

type describedDeps struct {
	Find    func(context.Context, int64) (string, error)
	Count   func(context.Context) (int64, error)
	Now     func() int64
	Store   interface{ Save() error }
	Closure func()
	hidden  func() // unexported: not a part an injector sets
}

func TestDescribe(t *testing.T) {
	c, err := story.New(story.Definition[trailChild]{
		Name:     "Child",
		Failures: []error{errChild},
		Steps:    []story.Step[trailChild]{recordChild("c1", nil), recordChild("c2", nil)},
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := story.New(story.Definition[trail]{
		Name: "Parent",
		Dependencies: describedDeps{
			Find:    findByName,
			Count:   (&shelf{}).Count,
			Now:     clock{}.Now,
			Store:   shelf{},
			Closure: func() {},
			hidden:  func() {},
		},
		Failures: []error{errDeclared},
		Steps: []story.Step[trail]{
			record("first", nil),
			story.Sub(c, func(p *trail) *trailChild { return &p.child }),
			record("last", nil),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := s.Describe()

	t.Run("steps are listed in order, a substory as one step", func(t *testing.T) {
		var names []string
		for _, st := range d.Steps {
			names = append(names, st.Name)
		}
		if got, want := strings.Join(names, ","), "first,Child,last"; got != want {
			t.Errorf("steps %s, want %s", got, want)
		}
		if d.Steps[0].Sub != nil || d.Steps[2].Sub != nil {
			t.Error("a plain step is described as a substory")
		}
	})

	t.Run("a substory describes its own steps and failures", func(t *testing.T) {
		sub := d.Steps[1].Sub
		if sub == nil {
			t.Fatal("the substory step has no description")
		}
		if got, want := sub.Name, "Child"; got != want {
			t.Errorf("Name = %q, want %q", got, want)
		}
		if got, want := len(sub.Steps), 2; got != want {
			t.Fatalf("%d steps, want %d", got, want)
		}
		if got, want := sub.Steps[0].Name+","+sub.Steps[1].Name, "c1,c2"; got != want {
			t.Errorf("steps %s, want %s", got, want)
		}
		if got, want := sub.Failures, []string{"child reason"}; !slices.Equal(got, want) {
			t.Errorf("Failures = %q, want %q", got, want)
		}
	})

	t.Run("failures include the substory's", func(t *testing.T) {
		if got, want := d.Failures, []string{"declared reason", "child reason"}; !slices.Equal(got, want) {
			t.Errorf("Failures = %q, want %q", got, want)
		}
	})

	t.Run("each exported dependency names its implementation", func(t *testing.T) {
		want := []story.Dependency{
			{Field: "Find", Implementation: pkg + ".findByName"},
			{Field: "Count", Implementation: pkg + ".(*shelf).Count"},
			{Field: "Now", Implementation: pkg + ".clock.Now"},
			{Field: "Store", Implementation: pkg + ".shelf"},
			{Field: "Closure", Implementation: pkg + ".TestDescribe.func1"},
		}
		if got := d.Dependencies; !slices.Equal(got, want) {
			t.Errorf("Dependencies =\n%q\nwant\n%q", got, want)
		}
	})

	t.Run("an unwired story lists no dependencies", func(t *testing.T) {
		if got := c.Describe().Dependencies; len(got) != 0 {
			t.Errorf("Dependencies = %v, want none", got)
		}
	})

	t.Run("the outline reads top to bottom", func(t *testing.T) {
		want := strings.Join([]string{
			"Parent",
			"  first",
			"  Child",
			"    c1",
			"    c2",
			"    fails with: child reason",
			"  last",
			"  fails with: declared reason, child reason",
			"  uses: Find = " + pkg + ".findByName",
			"  uses: Count = " + pkg + ".(*shelf).Count",
			"  uses: Now = " + pkg + ".clock.Now",
			"  uses: Store = " + pkg + ".shelf",
			"  uses: Closure = " + pkg + ".TestDescribe.func1",
			"",
		}, "\n")
		if got := d.String(); got != want {
			t.Errorf("String() =\n%s\nwant\n%s", got, want)
		}
	})

	t.Run("a story's description is the same after With", func(t *testing.T) {
		w := s.With(func(ctx context.Context, _ string, next func(context.Context) error) error { return next(ctx) })
		if got, want := w.Describe().String(), d.String(); got != want {
			t.Errorf("described as\n%s\nwant\n%s", got, want)
		}
	})
}
