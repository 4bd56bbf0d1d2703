package story_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/charterhq/charter/stories/story"
)

func TestContext(t *testing.T) {
	t.Run("a cancelled context stops the story before its first step", func(t *testing.T) {
		s := build(t, nil, record("one", nil))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var tr trail
		err := s.Run(ctx, &tr)
		f := asFailed(t, err)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("errors.Is(err, context.Canceled) = false: %v", err)
		}
		if !f.Internal() {
			t.Errorf("Reason = %v, want nil: cancellation is no declared reason", f.Reason)
		}
		if got, want := f.Step, "one"; got != want {
			t.Errorf("Step = %q, want %q", got, want)
		}
		if len(tr.ran) != 0 {
			t.Errorf("ran %v, want nothing", tr.ran)
		}
	})

	t.Run("a context cancelled during a step stops the story before the next", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := build(t, nil,
			story.Do("cancel", func(_ context.Context, tr *trail) error {
				tr.ran = append(tr.ran, "cancel")
				cancel()
				return nil
			}),
			record("after", nil))
		var tr trail
		err := s.Run(ctx, &tr)
		if got, want := asFailed(t, err).Step, "after"; got != want {
			t.Errorf("Step = %q, want %q", got, want)
		}
		if got, want := strings.Join(tr.ran, ","), "cancel"; got != want {
			t.Errorf("ran %s, want %s", got, want)
		}
	})

	t.Run("steps get the context the story runs with", func(t *testing.T) {
		type key struct{}
		var seen any
		s := build(t, nil, story.Do("look", func(ctx context.Context, _ *trail) error {
			seen = ctx.Value(key{})
			return nil
		}))
		if err := s.Run(context.WithValue(context.Background(), key{}, "v"), &trail{}); err != nil {
			t.Fatal(err)
		}
		if got, want := seen, any("v"); got != want {
			t.Errorf("step saw %v, want %v", got, want)
		}
	})
}

func TestMiddleware(t *testing.T) {
	// trace returns a middleware that notes when it enters and leaves.
	trace := func(name string, log *[]string) story.Middleware {
		return func(ctx context.Context, s string, next func(context.Context) error) error {
			*log = append(*log, name+">"+s)
			err := next(ctx)
			*log = append(*log, "<"+name)
			return err
		}
	}

	t.Run("the first middleware is the outermost", func(t *testing.T) {
		var log []string
		base := build(t, nil, story.Do("step", func(context.Context, *trail) error {
			log = append(log, "step")
			return nil
		}))
		s := base.With(trace("a", &log)).With(trace("b", &log), trace("c", &log))
		if err := s.Run(context.Background(), &trail{}); err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(log, " "), "a>Parent b>Parent c>Parent step <c <b <a"; got != want {
			t.Errorf("order %q, want %q", got, want)
		}

		log = nil
		if err := base.Run(context.Background(), &trail{}); err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(log, " "), "step"; got != want {
			t.Errorf("With changed the original story: ran %q, want %q", got, want)
		}
	})

	t.Run("middleware passes a context on to the steps", func(t *testing.T) {
		type key struct{}
		var seen any
		s := build(t, nil, story.Do("look", func(ctx context.Context, _ *trail) error {
			seen = ctx.Value(key{})
			return nil
		})).With(func(ctx context.Context, _ string, next func(context.Context) error) error {
			return next(context.WithValue(ctx, key{}, "tx"))
		})
		if err := s.Run(context.Background(), &trail{}); err != nil {
			t.Fatal(err)
		}
		if got, want := seen, any("tx"); got != want {
			t.Errorf("step saw %v, want %v", got, want)
		}
	})

	t.Run("middleware sees the step's failure", func(t *testing.T) {
		var seen error
		s := build(t, []error{errDeclared}, record("one", errDeclared)).With(
			func(ctx context.Context, _ string, next func(context.Context) error) error {
				seen = next(ctx)
				return seen
			})
		_, err := run(t, s)
		if !errors.Is(seen, errDeclared) || !errors.Is(err, errDeclared) {
			t.Errorf("middleware saw %v and Run returned %v, want both %v", seen, err, errDeclared)
		}
	})

	t.Run("a middleware's own error fails the story as a *Failed", func(t *testing.T) {
		commit := errors.New("commit failed")
		s := build(t, nil, record("one", nil)).With(
			func(ctx context.Context, _ string, next func(context.Context) error) error {
				if err := next(ctx); err != nil {
					return err
				}
				return commit
			})
		ran, err := run(t, s)
		f := asFailed(t, err)
		if !errors.Is(err, commit) || !f.Internal() || f.Step != "" {
			t.Errorf("got %#v, want an internal failure with no step wrapping %v", f, commit)
		}
		if got, want := err.Error(), "Parent failed: commit failed"; got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
		if got, want := strings.Join(ran, ","), "one"; got != want {
			t.Errorf("ran %s, want %s", got, want)
		}
	})

	t.Run("a substory's middleware wraps only the substory", func(t *testing.T) {
		var log []string
		c, err := story.New(story.Definition[trailChild]{Name: "Child", Steps: []story.Step[trailChild]{
			story.Do("c1", func(context.Context, *trailChild) error {
				log = append(log, "c1")
				return nil
			}),
		}})
		if err != nil {
			t.Fatal(err)
		}
		s := build(t, nil,
			story.Do("p1", func(context.Context, *trail) error {
				log = append(log, "p1")
				return nil
			}),
			story.Sub(c.With(trace("m", &log)), func(p *trail) *trailChild { return &p.child }),
		)
		if err := s.Run(context.Background(), &trail{}); err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(log, " "), "p1 m>Child c1 <m"; got != want {
			t.Errorf("order %q, want %q", got, want)
		}
	})
}
