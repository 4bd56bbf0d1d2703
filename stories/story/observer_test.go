package story_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/story"
)

// notes returns an observer that notes each Start and End in log, the End
// with what the step's outcome was: ok, the declared reason, or internal.
func notes(name string, log *[]string) *story.StepObserver {
	return &story.StepObserver{
		Start: func(ctx context.Context, s, step string) context.Context {
			*log = append(*log, name+">"+s+"."+step)
			return ctx
		},
		End: func(_ context.Context, s, step string, err error, elapsed time.Duration) {
			outcome := "ok"
			var f *story.Failed
			switch {
			case errors.As(err, &f) && f.Internal():
				outcome = "internal"
			case errors.As(err, &f):
				outcome = f.Reason.Error()
			case err != nil:
				outcome = "not a *Failed: " + err.Error()
			}
			if elapsed < 0 {
				outcome += " (negative time)"
			}
			*log = append(*log, "<"+name+" "+s+"."+step+" "+outcome)
		},
	}
}

func TestStepObserver(t *testing.T) {
	t.Run("sees every step in order, with its outcome", func(t *testing.T) {
		var log []string
		s := build(t, []error{errDeclared}, record("one", nil), record("two", errDeclared), record("three", nil))
		err := s.Run(story.WithStepObserver(context.Background(), notes("o", &log)), &trail{})
		if !errors.Is(err, errDeclared) {
			t.Fatalf("Run = %v, want %v", err, errDeclared)
		}
		want := "o>Parent.one <o Parent.one ok o>Parent.two <o Parent.two declared reason"
		if got := strings.Join(log, " "); got != want {
			t.Errorf("observed %q, want %q", got, want)
		}
	})

	t.Run("an undeclared error ends the step as internal", func(t *testing.T) {
		var log []string
		s := build(t, []error{errDeclared}, record("one", errOther))
		_ = s.Run(story.WithStepObserver(context.Background(), notes("o", &log)), &trail{})
		if got, want := strings.Join(log, " "), "o>Parent.one <o Parent.one internal"; got != want {
			t.Errorf("observed %q, want %q", got, want)
		}
	})

	t.Run("Done and Skip end a step without error", func(t *testing.T) {
		for _, end := range []error{story.Done, story.Skip, fmt.Errorf("found it: %w", story.Done)} {
			var log []string
			s := build(t, nil, record("one", end), record("two", nil))
			if err := s.Run(story.WithStepObserver(context.Background(), notes("o", &log)), &trail{}); err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Join(log, " "), "o>Parent.one <o Parent.one ok"; got != want {
				t.Errorf("%v: observed %q, want %q", end, got, want)
			}
		}
	})

	t.Run("a substory's steps are observed under its own name, inside the parent's step", func(t *testing.T) {
		var log []string
		s := build(t, nil, child(t, recordChild("c1", nil), recordChild("c2", errChild)))
		var tr trail
		tr.child.ran = &tr.ran
		err := s.Run(story.WithStepObserver(context.Background(), notes("o", &log)), &tr)
		if !errors.Is(err, errChild) {
			t.Fatalf("Run = %v, want %v", err, errChild)
		}
		want := "o>Parent.Child o>Child.c1 <o Child.c1 ok o>Child.c2 <o Child.c2 child reason <o Parent.Child child reason"
		if got := strings.Join(log, " "); got != want {
			t.Errorf("observed %q, want %q", got, want)
		}
	})

	t.Run("the step runs with the context Start returns, and End gets it", func(t *testing.T) {
		type key struct{}
		var inStep, inEnd any
		obs := &story.StepObserver{
			Start: func(ctx context.Context, _, step string) context.Context {
				return context.WithValue(ctx, key{}, "span of "+step)
			},
			End: func(ctx context.Context, _, _ string, _ error, _ time.Duration) { inEnd = ctx.Value(key{}) },
		}
		s := build(t, nil, story.Do("look", func(ctx context.Context, _ *trail) error {
			inStep = ctx.Value(key{})
			return nil
		}))
		if err := s.Run(story.WithStepObserver(context.Background(), obs), &trail{}); err != nil {
			t.Fatal(err)
		}
		if inStep != "span of look" || inEnd != "span of look" {
			t.Errorf("step saw %v and End saw %v, want both %q", inStep, inEnd, "span of look")
		}
	})

	t.Run("observers start in the order installed and end in reverse", func(t *testing.T) {
		var log []string
		ctx := story.WithStepObserver(context.Background(), notes("a", &log))
		ctx = story.WithStepObserver(ctx, notes("b", &log))
		if err := build(t, nil, record("one", nil)).Run(ctx, &trail{}); err != nil {
			t.Fatal(err)
		}
		want := "a>Parent.one b>Parent.one <b Parent.one ok <a Parent.one ok"
		if got := strings.Join(log, " "); got != want {
			t.Errorf("observed %q, want %q", got, want)
		}
	})

	t.Run("an observer installed twice observes once", func(t *testing.T) {
		var log []string
		obs := notes("o", &log)
		ctx := story.WithStepObserver(context.Background(), obs)
		if again := story.WithStepObserver(ctx, obs); again != ctx {
			t.Error("installing the same observer again made a new context")
		}
		if err := build(t, nil, record("one", nil)).Run(story.WithStepObserver(ctx, obs), &trail{}); err != nil {
			t.Fatal(err)
		}
		if got, want := len(log), 2; got != want {
			t.Errorf("observed %d hooks (%v), want %d", got, log, want)
		}
	})

	t.Run("a middleware can install it for its story's runs", func(t *testing.T) {
		var log []string
		obs := notes("o", &log)
		s := build(t, nil, record("one", nil)).With(
			func(ctx context.Context, _ string, next func(context.Context) error) error {
				return next(story.WithStepObserver(ctx, obs))
			})
		if err := s.Run(context.Background(), &trail{}); err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(log, " "), "o>Parent.one <o Parent.one ok"; got != want {
			t.Errorf("observed %q, want %q", got, want)
		}
	})

	t.Run("nil hooks are skipped", func(t *testing.T) {
		ctx := story.WithStepObserver(context.Background(), &story.StepObserver{})
		if err := build(t, nil, record("one", nil)).Run(ctx, &trail{}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a story with no observer allocates nothing", func(t *testing.T) {
		s := build(t, nil, child(t, recordChild("c1", nil)), story.Do("two", func(context.Context, *trail) error { return nil }))
		ran := []string{}
		tr := trail{}
		tr.child.ran = &ran
		ctx := context.Background()
		allocs := testing.AllocsPerRun(100, func() {
			ran = ran[:0]
			if err := s.Run(ctx, &tr); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("a run allocates %v times, want 0", allocs)
		}
	})
}

// BenchmarkRun measures a story of three steps, one of them a substory of
// one step, run bare and with an observer whose hooks do nothing: the cost
// the observer hooks add to each step.
func BenchmarkRun(b *testing.B) {
	nop := func(context.Context, *trailChild) error { return nil }
	c := story.MustNew(story.Definition[trailChild]{Name: "Child", Steps: []story.Step[trailChild]{story.Do("c1", nop)}})
	s := story.MustNew(story.Definition[trail]{Name: "Parent", Steps: []story.Step[trail]{
		story.Do("one", func(context.Context, *trail) error { return nil }),
		story.Sub(c, func(t *trail) *trailChild { return &t.child }),
		story.Do("three", func(context.Context, *trail) error { return nil }),
	}})
	observed := story.WithStepObserver(context.Background(), &story.StepObserver{
		Start: func(ctx context.Context, _, _ string) context.Context { return ctx },
		End:   func(context.Context, string, string, error, time.Duration) {},
	})
	for _, c := range []struct {
		name string
		ctx  context.Context
	}{{"unobserved", context.Background()}, {"observed", observed}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var tr trail
			for b.Loop() {
				if err := s.Run(c.ctx, &tr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
