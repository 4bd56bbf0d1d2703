package materials

import (
	"context"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// DeleteInput names the material to delete.
type DeleteInput struct {
	// ID is the material's ID.
	ID int64
	// Version, when not 0, is the version the caller read: the material
	// is deleted only if it is still at it.
	Version int64
}

// DeleteMaterialDeps are the parts DeleteMaterial is built from.
type DeleteMaterialDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Get returns a material by ID. Returns ErrNotFound.
	Get func(context.Context, int64) (Material, error)
	// Delete removes a material if it is at version (any when 0).
	// Returns ErrNotFound or ErrVersionMismatch.
	Delete func(ctx context.Context, id, version int64) error
	// Events records the EventDeleted of the material, in the story's
	// transaction.
	Events story.Events
}

// DeleteMaterial is the story of deleting a material the caller may reach.
type DeleteMaterial struct {
	deps  DeleteMaterialDeps
	story *story.Story[deleteState]
}

type deleteState struct {
	find    findState
	version int64
}

// NewDeleteMaterial builds the story. Returns an error naming every
// missing dependency.
func NewDeleteMaterial(deps DeleteMaterialDeps) (*DeleteMaterial, error) {
	if err := checkDependencies("DeleteMaterial", deps); err != nil {
		return nil, err
	}
	find, err := newFindMaterial(findDeps{FilterOnPermissions: deps.FilterOnPermissions, Get: deps.Get})
	if err != nil {
		return nil, err
	}
	d := &DeleteMaterial{deps: deps}
	d.story, err = story.New(story.Definition[deleteState]{
		Name:         "DeleteMaterial",
		Dependencies: deps,
		Failures:     []error{ErrForbidden, ErrNotFound, ErrVersionMismatch},
		Steps: []story.Step[deleteState]{
			story.Sub(find, func(s *deleteState) *findState { return &s.find }),
			story.Do("delete material", d.deleteMaterial),
			story.Do("record material deleted", d.recordDeleted),
		},
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// deleteMaterial can still meet ErrNotFound when another request deleted
// the material since it was found; FindMaterial declares it.
func (d *DeleteMaterial) deleteMaterial(ctx context.Context, s *deleteState) error {
	return d.deps.Delete(ctx, s.find.material.ID, s.version)
}

func (d *DeleteMaterial) recordDeleted(ctx context.Context, s *deleteState) error {
	m := s.find.material
	return record(ctx, d.deps.Events, EventDeleted, m.ID, Deleted{ID: m.ID, CompanyID: m.CompanyID})
}

// Run deletes material in.ID and returns it as it was, for whoever must
// hear of the deletion. Errors are *story.Failed; errors.Is tells
// ErrForbidden, ErrNotFound (also for another company's material) and
// ErrVersionMismatch (in.Version is not 0 and the material is no longer
// at it).
func (d *DeleteMaterial) Run(ctx context.Context, caller access.Caller, in DeleteInput) (Material, error) {
	s := deleteState{find: findState{caller: caller, id: in.ID}, version: in.Version}
	if err := d.story.Run(ctx, &s); err != nil {
		return Material{}, err
	}
	return s.find.material, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (d *DeleteMaterial) With(mw ...story.Middleware) *DeleteMaterial {
	c := *d
	c.story = d.story.With(mw...)
	return &c
}

// Describe says what the story does and, once wired, with what.
func (d *DeleteMaterial) Describe() story.Description { return d.story.Describe() }

// Failures returns the reasons Run can fail with.
func (d *DeleteMaterial) Failures() []error { return d.story.Failures() }
