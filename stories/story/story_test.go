package story_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charterhq/charter/stories/story"
)

// trail is the state of the test stories: which steps ran, in order.
type trail struct {
	ran   []string
	child trailChild
}

type trailChild struct {
	ran *[]string
}

var (
	errDeclared = errors.New("declared reason")
	errChild    = errors.New("child reason")
	errOther    = errors.New("something broke")
)

// record is a step that notes its name and returns err.
func record(name string, err error) story.Step[trail] {
	return story.Do(name, func(_ context.Context, t *trail) error {
		t.ran = append(t.ran, name)
		return err
	})
}

func recordChild(name string, err error) story.Step[trailChild] {
	return story.Do(name, func(_ context.Context, t *trailChild) error {
		*t.ran = append(*t.ran, name)
		return err
	})
}

// child builds a substory whose steps write into the parent's trail.
func child(t *testing.T, steps ...story.Step[trailChild]) story.Step[trail] {
	t.Helper()
	c, err := story.New(story.Definition[trailChild]{Name: "Child", Failures: []error{errChild}, Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	return story.Sub(c, func(p *trail) *trailChild {
		p.child.ran = &p.ran
		return &p.child
	})
}

func build(t *testing.T, failures []error, steps ...story.Step[trail]) *story.Story[trail] {
	t.Helper()
	s, err := story.New(story.Definition[trail]{Name: "Parent", Failures: failures, Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func run(t *testing.T, s *story.Story[trail]) ([]string, error) {
	t.Helper()
	var tr trail
	err := s.Run(context.Background(), &tr)
	return tr.ran, err
}

func asFailed(t *testing.T, err error) *story.Failed {
	t.Helper()
	var f *story.Failed
	if !errors.As(err, &f) {
		t.Fatalf("error %v (%T) is not a *story.Failed", err, err)
	}
	return f
}

func TestRun(t *testing.T) {
	t.Run("steps run in the order they are declared", func(t *testing.T) {
		s := build(t, nil, record("one", nil), record("two", nil), record("three", nil))
		if got, want := s.Name(), "Parent"; got != want {
			t.Errorf("Name() = %q, want %q", got, want)
		}
		ran, err := run(t, s)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(ran, ","), "one,two,three"; got != want {
			t.Errorf("ran %s, want %s", got, want)
		}
	})

	t.Run("a declared reason fails the story at its step", func(t *testing.T) {
		ran, err := run(t, build(t, []error{errDeclared},
			record("one", nil), record("two", fmt.Errorf("looking: %w", errDeclared)), record("three", nil)))
		f := asFailed(t, err)
		if got, want := f.Reason, errDeclared; got != want {
			t.Errorf("Reason = %v, want %v", got, want)
		}
		if got, want := f.Story+"/"+f.Step, "Parent/two"; got != want {
			t.Errorf("failed at %s, want %s", got, want)
		}
		if f.Internal() {
			t.Error("Internal() = true for a declared reason")
		}
		if !errors.Is(err, errDeclared) {
			t.Error("errors.Is(err, reason) = false")
		}
		if got, want := strings.Join(ran, ","), "one,two"; got != want {
			t.Errorf("ran %s, want %s: steps after a failure must not run", got, want)
		}
		if got, want := err.Error(), `Parent: step "two" failed: looking: declared reason`; got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
	})

	t.Run("an undeclared error is internal and still names its step", func(t *testing.T) {
		_, err := run(t, build(t, []error{errDeclared}, record("one", errOther), record("two", nil)))
		f := asFailed(t, err)
		if f.Reason != nil {
			t.Errorf("Reason = %v, want nil", f.Reason)
		}
		if !f.Internal() {
			t.Error("Internal() = false for an undeclared error")
		}
		if got, want := f.Step, "one"; got != want {
			t.Errorf("Step = %q, want %q", got, want)
		}
		if !errors.Is(err, errOther) {
			t.Error("errors.Is(err, cause) = false: the cause must stay reachable for logs")
		}
	})

	t.Run("Done ends the story successfully and skips the rest", func(t *testing.T) {
		ran, err := run(t, build(t, nil, record("one", story.Done), record("two", nil)))
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		if got, want := strings.Join(ran, ","), "one"; got != want {
			t.Errorf("ran %s, want %s", got, want)
		}
	})

	t.Run("Skip outside a substory acts like Done", func(t *testing.T) {
		ran, err := run(t, build(t, nil, record("one", story.Skip), record("two", nil)))
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		if got, want := strings.Join(ran, ","), "one"; got != want {
			t.Errorf("ran %s, want %s", got, want)
		}
	})
}

func TestSubstory(t *testing.T) {
	t.Run("a substory runs as one step of its parent", func(t *testing.T) {
		ran, err := run(t, build(t, nil,
			record("before", nil), child(t, recordChild("c1", nil), recordChild("c2", nil)), record("after", nil)))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(ran, ","), "before,c1,c2,after"; got != want {
			t.Errorf("ran %s, want %s", got, want)
		}
	})

	t.Run("Done inside a substory ends the parent too", func(t *testing.T) {
		ran, err := run(t, build(t, nil,
			record("before", nil), child(t, recordChild("c1", story.Done), recordChild("c2", nil)), record("after", nil)))
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		if got, want := strings.Join(ran, ","), "before,c1"; got != want {
			t.Errorf("ran %s, want %s", got, want)
		}
	})

	t.Run("Skip inside a substory ends only the substory", func(t *testing.T) {
		ran, err := run(t, build(t, nil,
			record("before", nil), child(t, recordChild("c1", story.Skip), recordChild("c2", nil)), record("after", nil)))
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		if got, want := strings.Join(ran, ","), "before,c1,after"; got != want {
			t.Errorf("ran %s, want %s", got, want)
		}
	})

	t.Run("Skip in a nested substory ends only the innermost", func(t *testing.T) {
		inner, err := story.New(story.Definition[trailChild]{Name: "Inner", Steps: []story.Step[trailChild]{
			recordChild("i1", story.Skip), recordChild("i2", nil),
		}})
		if err != nil {
			t.Fatal(err)
		}
		middle, err := story.New(story.Definition[trailChild]{Name: "Middle", Steps: []story.Step[trailChild]{
			story.Sub(inner, func(c *trailChild) *trailChild { return c }), recordChild("m2", nil),
		}})
		if err != nil {
			t.Fatal(err)
		}
		ran, err := run(t, build(t, nil,
			story.Sub(middle, func(p *trail) *trailChild {
				p.child.ran = &p.ran
				return &p.child
			}),
			record("after", nil)))
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		if got, want := strings.Join(ran, ","), "i1,m2,after"; got != want {
			t.Errorf("ran %s, want %s", got, want)
		}
	})

	t.Run("a substory's declared reason becomes the parent's", func(t *testing.T) {
		s := build(t, []error{errDeclared}, child(t, recordChild("c1", errChild)), record("after", nil))
		if got, want := s.Failures(), []error{errDeclared, errChild}; !slices.Equal(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
		ran, err := run(t, s)
		f := asFailed(t, err)
		if got, want := f.Reason, errChild; got != want {
			t.Errorf("Reason = %v, want %v", got, want)
		}
		if got, want := f.Step, "Child"; got != want {
			t.Errorf("Step = %q, want the substory's name %q", got, want)
		}
		var inner *story.Failed
		if !errors.As(f.Err, &inner) {
			t.Fatalf("the parent's failure does not wrap the substory's: %v", f.Err)
		}
		if got, want := inner.Story+"/"+inner.Step, "Child/c1"; got != want {
			t.Errorf("inner failure at %s, want %s", got, want)
		}
		if got, want := strings.Join(ran, ","), "c1"; got != want {
			t.Errorf("ran %s, want %s", got, want)
		}
	})

	t.Run("an internal error of a substory stays internal in the parent", func(t *testing.T) {
		// The parent declares errDeclared for a step of its own; the child
		// does not, so the child returning it is a defect, not that reason.
		s := build(t, []error{errDeclared}, child(t, recordChild("c1", errDeclared)))
		_, err := run(t, s)
		if f := asFailed(t, err); !f.Internal() {
			t.Errorf("Reason = %v, want nil (internal)", f.Reason)
		}
	})
}
