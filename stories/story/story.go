// Package story runs use cases written as stories: a named, ordered list of
// steps over one typed state, with a closed set of declared failure reasons.
//
// A story reads like the business process it implements. Its steps hold
// business logic only; what they need from the outside world (repositories,
// permission filters, the clock) is injected as dependencies when the story
// is built, and checked then, so that a missing part is a start-up error and
// never a request-time panic. Cross-cutting work (logging, tracing,
// transactions) wraps a story from the outside with Middleware, and a
// StepObserver installed in the context (WithStepObserver) sees each step.
//
// The semantics follow the Python stories library (4.x):
//   - steps run in order; a step that returns nil lets the next one run;
//   - a step ends the story with a failure by returning one of the story's
//     declared reasons (compared with errors.Is); any other error is an
//     internal error;
//   - a step ends the story early, successfully, by returning Done;
//   - a substory runs as one step of its parent; its failures fail the
//     parent; Skip ends the substory without ending the parent.
package story

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Done ends the whole story successfully: the steps after the one that
// returned it do not run. It is the story's early result.
var Done = errors.New("story: done")

// Skip ends the current substory successfully and lets its parent go on.
// In a story that is not running as a substory it acts like Done.
var Skip = errors.New("story: skip")

// Step is one named step of a story over the state S.
type Step[S any] struct {
	name string
	run  func(context.Context, *S) error
	sub  describer // set for a substory
}

// Do returns a step that runs fn under name.
func Do[S any](name string, fn func(context.Context, *S) error) Step[S] {
	return Step[S]{name: name, run: fn}
}

// Sub returns a step that runs child over the part of the parent's state
// that state returns. The child's declared failures become failures of the
// parent, and the step is named after the child.
func Sub[S, C any](child *Story[C], state func(*S) *C) Step[S] {
	return Step[S]{
		name: child.name,
		sub:  child,
		run: func(ctx context.Context, s *S) error {
			err := child.run(ctx, state(s))
			if errors.Is(err, Skip) {
				return nil
			}
			return err
		},
	}
}

// Definition is what a story is built from.
type Definition[S any] struct {
	// Name names the story in descriptions, logs and errors.
	Name string
	// Dependencies is the struct of parts the steps call. Every field of a
	// func, interface, pointer, map, slice or channel kind must be set.
	Dependencies any
	// Failures are the declared reasons the story can fail with.
	Failures []error
	// Steps run in this order.
	Steps []Step[S]
}

// Story is a built, runnable story over the state S. It is safe for
// concurrent use: all per-run data lives in the state.
type Story[S any] struct {
	name       string
	deps       any
	failures   []error
	steps      []Step[S]
	middleware []Middleware
}

// New builds a story. It returns an error when a dependency is missing, a
// step has no name or function, or two steps share a name.
func New[S any](def Definition[S]) (*Story[S], error) {
	if def.Name == "" {
		return nil, errors.New("story: a story needs a name")
	}
	if err := CheckDependencies(def.Dependencies); err != nil {
		return nil, fmt.Errorf("story %s: %w", def.Name, err)
	}
	if len(def.Steps) == 0 {
		return nil, fmt.Errorf("story %s: a story needs at least one step", def.Name)
	}
	failures := append([]error(nil), def.Failures...)
	seen := map[string]bool{}
	for i, st := range def.Steps {
		if st.name == "" || st.run == nil {
			return nil, fmt.Errorf("story %s: step %d has no name or no function", def.Name, i+1)
		}
		if seen[st.name] {
			return nil, fmt.Errorf("story %s: two steps are named %q", def.Name, st.name)
		}
		seen[st.name] = true
		if st.sub != nil {
			failures = appendNew(failures, st.sub.declared()...)
		}
	}
	for _, f := range failures {
		if f == nil {
			return nil, fmt.Errorf("story %s: a declared failure is nil", def.Name)
		}
	}
	return &Story[S]{name: def.Name, deps: def.Dependencies, failures: failures, steps: def.Steps}, nil
}

// MustNew is New for stories built at start-up, where a wiring error is a
// programming error.
func MustNew[S any](def Definition[S]) *Story[S] {
	s, err := New(def)
	if err != nil {
		panic(err)
	}
	return s
}

// Name returns the story's name.
func (s *Story[S]) Name() string { return s.name }

// Failures returns the declared failure reasons, those of substories
// included.
func (s *Story[S]) Failures() []error { return append([]error(nil), s.failures...) }

// With returns a copy of the story wrapped in the middleware, the first
// outermost. The original story is unchanged.
func (s *Story[S]) With(mw ...Middleware) *Story[S] {
	c := *s
	c.middleware = append(append([]Middleware(nil), s.middleware...), mw...)
	return &c
}

// Run runs the story over state. It returns nil on success (Done and Skip
// included) and a *Failed otherwise; errors.Is(err, reason) tells which
// declared reason ended it, and a *Failed whose Reason is nil is an
// internal error.
func (s *Story[S]) Run(ctx context.Context, state *S) error {
	err := s.run(ctx, state)
	if errors.Is(err, Done) || errors.Is(err, Skip) {
		return nil
	}
	return err
}

// run runs the steps, wrapped in the middleware. It passes Done and Skip
// through so that Sub can end the parent or let it go on.
func (s *Story[S]) run(ctx context.Context, state *S) error {
	var err error
	if len(s.middleware) == 0 {
		// Substories and unwrapped stories run on every request: no
		// closure to allocate when there is nothing to wrap.
		err = s.runSteps(ctx, state)
	} else {
		inner := func(ctx context.Context) error { return s.runSteps(ctx, state) }
		for i := len(s.middleware) - 1; i >= 0; i-- {
			mw, next := s.middleware[i], inner
			inner = func(ctx context.Context) error { return mw(ctx, s.name, next) }
		}
		err = inner(ctx)
	}
	if _, ok := err.(*Failed); ok || err == nil || errors.Is(err, Done) || errors.Is(err, Skip) {
		return err
	}
	// A middleware's own error (a transaction that did not commit, say)
	// fails the story like a step's would, so that callers always get a
	// *Failed; Step is empty because no step failed.
	return &Failed{Story: s.name, Reason: s.reason(err), Err: err}
}

func (s *Story[S]) runSteps(ctx context.Context, state *S) error {
	obs := observersFrom(ctx)
	for i := range s.steps {
		st := &s.steps[i]
		if err := ctx.Err(); err != nil {
			return &Failed{Story: s.name, Step: st.name, Err: err}
		}
		var err error
		if obs == nil {
			err = s.runStep(ctx, st, state)
		} else {
			err = s.observeStep(ctx, obs, st, state)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// runStep runs one step. It returns nil to let the next step run, Done or
// Skip as the step returned them, and a *Failed otherwise.
func (s *Story[S]) runStep(ctx context.Context, st *Step[S], state *S) error {
	err := st.run(ctx, state)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, Done), errors.Is(err, Skip):
		// Passed up as they are: Done ends every story up to the
		// outermost, Skip only the substory that returned it.
		return err
	}
	reason := s.reason(err)
	if f, ok := err.(*Failed); ok && st.sub != nil && f.Internal() {
		// An internal error of a substory stays internal, even when it
		// happens to match a reason the parent declares: the substory
		// did not fail for that reason.
		reason = nil
	}
	return &Failed{Story: s.name, Step: st.name, Reason: reason, Err: err}
}

// observeStep runs one step between the hooks of the observers in ctx.
// It is apart from runSteps so that a story run with no observer does not
// read the clock.
func (s *Story[S]) observeStep(ctx context.Context, obs *observerContext, st *Step[S], state *S) error {
	ctx = obs.start(ctx, s.name, st.name)
	start := time.Since(epoch)
	err := s.runStep(ctx, st, state)
	elapsed := time.Since(epoch) - start
	seen := err
	if _, failed := err.(*Failed); !failed {
		seen = nil // Done and Skip are successes to an observer
	}
	obs.end(ctx, s.name, st.name, seen, elapsed)
	return err
}

// reason returns the declared failure err stands for, or nil.
func (s *Story[S]) reason(err error) error {
	for _, f := range s.failures {
		if errors.Is(err, f) {
			return f
		}
	}
	return nil
}

// Middleware wraps a whole run of a story: logging, metrics, tracing, a
// transaction. It must call next at most once and return its error.
type Middleware func(ctx context.Context, story string, next func(context.Context) error) error

// Failed is the error of a story that did not succeed: which story, which
// step, and why.
type Failed struct {
	// Story and Step name where the run stopped. Step is empty when a
	// middleware, not a step, failed the story.
	Story, Step string
	// Reason is the declared failure reason, or nil for an internal error.
	Reason error
	// Err is what the step returned.
	Err error
}

// Error says which story and step failed and why.
func (f *Failed) Error() string {
	if f.Step == "" {
		return fmt.Sprintf("%s failed: %v", f.Story, f.Err)
	}
	return fmt.Sprintf("%s: step %q failed: %v", f.Story, f.Step, f.Err)
}

// Unwrap returns what the step returned, so that errors.Is finds the reason.
func (f *Failed) Unwrap() error { return f.Err }

// Internal reports whether the failure is not one of the declared reasons.
func (f *Failed) Internal() bool { return f.Reason == nil }

func appendNew(list []error, more ...error) []error {
	for _, m := range more {
		found := false
		for _, l := range list {
			if l == m {
				found = true
				break
			}
		}
		if !found {
			list = append(list, m)
		}
	}
	return list
}
