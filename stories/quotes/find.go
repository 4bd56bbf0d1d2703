package quotes

import (
	"context"
	"fmt"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// FindQuote is the substory that every story about one quote begins with:
// it finds one quote the caller may reach. A quote of another company is
// reported as missing, not forbidden, so that an external caller cannot
// learn which IDs exist.

// findDeps are the parts of FindQuote, taken from the parent story's.
type findDeps struct {
	// FilterOnPermissions says what the caller may reach.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Get returns a quote by ID, or ErrNotFound.
	Get func(context.Context, int64) (Quote, error)
}

// findState is what FindQuote reads and writes inside its parent's state.
type findState struct {
	caller access.Caller
	id     int64

	reach Filter
	quote Quote
}

type findQuote struct{ deps findDeps }

func newFindQuote(deps findDeps) (*story.Story[findState], error) {
	// The parts are the parent's: checked here, but described once, by
	// the parent.
	if err := story.CheckDependencies(deps); err != nil {
		return nil, fmt.Errorf("story FindQuote: %w", err)
	}
	f := &findQuote{deps: deps}
	return story.New(story.Definition[findState]{
		Name:     "FindQuote",
		Failures: []error{ErrForbidden, ErrNotFound},
		Steps: []story.Step[findState]{
			story.Do("check permissions", f.checkPermissions),
			story.Do("find quote", f.findQuote),
			story.Do("hide quotes out of reach", f.hideOutOfReach),
		},
	})
}

// checkPermissions comes first so that a caller who may reach nothing is
// refused before anything is looked up.
func (f *findQuote) checkPermissions(_ context.Context, s *findState) error {
	reach, err := f.deps.FilterOnPermissions(s.caller, Filter{})
	if err != nil {
		return err
	}
	s.reach = reach
	return nil
}

func (f *findQuote) findQuote(ctx context.Context, s *findState) error {
	q, err := f.deps.Get(ctx, s.id)
	if err != nil {
		return err
	}
	s.quote = q
	return nil
}

func (f *findQuote) hideOutOfReach(_ context.Context, s *findState) error {
	if !s.reach.Matches(s.quote) {
		return ErrNotFound
	}
	return nil
}

// checkDependencies checks a parent story's dependencies before FindQuote
// is built from them, so that a missing one is named as the parent's
// field, in the parent's name.
func checkDependencies(name string, deps any) error {
	if err := story.CheckDependencies(deps); err != nil {
		return fmt.Errorf("story %s: %w", name, err)
	}
	return nil
}
