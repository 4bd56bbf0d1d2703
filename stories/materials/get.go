package materials

import (
	"context"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// GetInput names the material to get.
type GetInput struct {
	// ID is the material's ID.
	ID int64
}

// GetMaterialDeps are the parts GetMaterial is built from.
type GetMaterialDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Get returns a material by ID. Returns ErrNotFound.
	Get func(context.Context, int64) (Material, error)
}

// GetMaterial is the story of reading one material the caller may reach.
type GetMaterial struct {
	story *story.Story[getState]
}

type getState struct {
	find findState
}

// NewGetMaterial builds the story. Returns an error naming every missing
// dependency.
func NewGetMaterial(deps GetMaterialDeps) (*GetMaterial, error) {
	if err := checkDependencies("GetMaterial", deps); err != nil {
		return nil, err
	}
	find, err := newFindMaterial(findDeps{FilterOnPermissions: deps.FilterOnPermissions, Get: deps.Get})
	if err != nil {
		return nil, err
	}
	s, err := story.New(story.Definition[getState]{
		Name:         "GetMaterial",
		Dependencies: deps,
		Failures:     []error{ErrForbidden, ErrNotFound},
		Steps: []story.Step[getState]{
			story.Sub(find, func(s *getState) *findState { return &s.find }),
		},
	})
	if err != nil {
		return nil, err
	}
	return &GetMaterial{story: s}, nil
}

// Run returns the material in.ID. Errors are *story.Failed; errors.Is
// tells ErrForbidden and ErrNotFound, which is also the answer for another
// company's material.
func (g *GetMaterial) Run(ctx context.Context, caller access.Caller, in GetInput) (Material, error) {
	s := getState{find: findState{caller: caller, id: in.ID}}
	if err := g.story.Run(ctx, &s); err != nil {
		return Material{}, err
	}
	return s.find.material, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (g *GetMaterial) With(mw ...story.Middleware) *GetMaterial {
	return &GetMaterial{story: g.story.With(mw...)}
}

// Describe says what the story does and, once wired, with what.
func (g *GetMaterial) Describe() story.Description { return g.story.Describe() }

// Failures returns the reasons Run can fail with.
func (g *GetMaterial) Failures() []error { return g.story.Failures() }
