package materials

import (
	"context"
	"fmt"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// FindMaterial is the substory that get, update and delete begin with: it
// finds one material the caller may reach. A material of another company
// is reported as missing, not forbidden, so that an external caller cannot
// learn which IDs exist.

// findDeps are the parts of FindMaterial, taken from the parent story's.
type findDeps struct {
	// FilterOnPermissions says what the caller may reach.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Get returns a material by ID, or ErrNotFound.
	Get func(context.Context, int64) (Material, error)
}

// findState is what FindMaterial reads and writes inside its parent's state.
type findState struct {
	caller access.Caller
	id     int64

	reach    Filter
	material Material
}

type findMaterial struct{ deps findDeps }

func newFindMaterial(deps findDeps) (*story.Story[findState], error) {
	// The parts are the parent's: checked here, but described once, by
	// the parent.
	if err := story.CheckDependencies(deps); err != nil {
		return nil, fmt.Errorf("story FindMaterial: %w", err)
	}
	f := &findMaterial{deps: deps}
	return story.New(story.Definition[findState]{
		Name:     "FindMaterial",
		Failures: []error{ErrForbidden, ErrNotFound},
		Steps: []story.Step[findState]{
			story.Do("check permissions", f.checkPermissions),
			story.Do("find material", f.findMaterial),
			story.Do("hide materials out of reach", f.hideOutOfReach),
		},
	})
}

// checkPermissions comes first so that a caller who may reach nothing is
// refused before anything is looked up.
func (f *findMaterial) checkPermissions(_ context.Context, s *findState) error {
	reach, err := f.deps.FilterOnPermissions(s.caller, Filter{})
	if err != nil {
		return err
	}
	s.reach = reach
	return nil
}

func (f *findMaterial) findMaterial(ctx context.Context, s *findState) error {
	m, err := f.deps.Get(ctx, s.id)
	if err != nil {
		return err
	}
	s.material = m
	return nil
}

func (f *findMaterial) hideOutOfReach(_ context.Context, s *findState) error {
	if !s.reach.Matches(s.material) {
		return ErrNotFound
	}
	return nil
}

// checkDependencies checks a parent story's dependencies before
// FindMaterial is built from them, so that a missing one is named as the
// parent's field, in the parent's name.
func checkDependencies(name string, deps any) error {
	if err := story.CheckDependencies(deps); err != nil {
		return fmt.Errorf("story %s: %w", name, err)
	}
	return nil
}
