package materials

import (
	"context"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// UpdateInput names a material and its new editable fields; the update
// replaces them all, except a nil price, which keeps the current one.
type UpdateInput struct {
	// ID is the material's ID.
	ID int64
	// Fields are the new name, quality, thickness and active flag, and
	// the new price or nil.
	Fields Fields
	// Version, when not 0, is the version the caller read: the update
	// happens only if the material is still at it.
	Version int64
}

// UpdateMaterialDeps are the parts UpdateMaterial is built from.
type UpdateMaterialDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Get returns a material by ID. Returns ErrNotFound.
	Get func(context.Context, int64) (Material, error)
	// Update replaces a material's fields, keeping its price when
	// Fields.Price is nil, if the material is at version (any when 0).
	// Returns ErrNotFound, ErrVersionMismatch or ErrConflict.
	Update func(ctx context.Context, id, version int64, f Fields, at time.Time) (Material, error)
	// Events records the EventUpdated of the changed material, in the
	// story's transaction.
	Events story.Events
	// Now is the clock that dates the change.
	Now func() time.Time
}

// UpdateMaterial is the story of changing a material the caller may reach.
type UpdateMaterial struct {
	deps  UpdateMaterialDeps
	story *story.Story[updateState]
}

type updateState struct {
	find    findState
	fields  Fields
	version int64

	updated Material
}

// NewUpdateMaterial builds the story. Returns an error naming every
// missing dependency.
func NewUpdateMaterial(deps UpdateMaterialDeps) (*UpdateMaterial, error) {
	if err := checkDependencies("UpdateMaterial", deps); err != nil {
		return nil, err
	}
	find, err := newFindMaterial(findDeps{FilterOnPermissions: deps.FilterOnPermissions, Get: deps.Get})
	if err != nil {
		return nil, err
	}
	u := &UpdateMaterial{deps: deps}
	u.story, err = story.New(story.Definition[updateState]{
		Name:         "UpdateMaterial",
		Dependencies: deps,
		// FindMaterial fails with the first two as well; ErrNotFound is
		// met again when the material is deleted between the two steps.
		// ErrVersionMismatch is decided by the write itself, not by
		// comparing the version FindMaterial read, so that two updates
		// at one version cannot both pass the check.
		Failures: []error{ErrForbidden, ErrNotFound, ErrConflict, ErrVersionMismatch},
		Steps: []story.Step[updateState]{
			story.Sub(find, func(s *updateState) *findState { return &s.find }),
			story.Do("check price", u.checkPrice),
			story.Do("save changes", u.saveChanges),
			story.Do("record material updated", u.recordUpdated),
		},
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// checkPrice refuses a price no client of the contract can send, for
// callers that run the story directly. It comes after FindMaterial so
// that a caller learns nothing about a material out of reach.
func (u *UpdateMaterial) checkPrice(_ context.Context, s *updateState) error {
	return checkPrice(s.fields.Price)
}

func (u *UpdateMaterial) saveChanges(ctx context.Context, s *updateState) error {
	m, err := u.deps.Update(ctx, s.find.material.ID, s.version, s.fields, u.deps.Now())
	if err != nil {
		return err
	}
	s.updated = m
	return nil
}

func (u *UpdateMaterial) recordUpdated(ctx context.Context, s *updateState) error {
	return record(ctx, u.deps.Events, EventUpdated, s.updated.ID, s.updated)
}

// Run replaces the fields of material in.ID, its price only when one is
// given, and returns it. Errors are *story.Failed; errors.Is tells
// ErrForbidden, ErrNotFound (also for another company's material),
// ErrConflict (the company has another material of this name) and
// ErrVersionMismatch (in.Version is not 0 and the material is no longer
// at it). A negative
// price or a malformed currency fails internally: the contract never lets
// one through.
func (u *UpdateMaterial) Run(ctx context.Context, caller access.Caller, in UpdateInput) (Material, error) {
	s := updateState{find: findState{caller: caller, id: in.ID}, fields: in.Fields, version: in.Version}
	if err := u.story.Run(ctx, &s); err != nil {
		return Material{}, err
	}
	return s.updated, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (u *UpdateMaterial) With(mw ...story.Middleware) *UpdateMaterial {
	c := *u
	c.story = u.story.With(mw...)
	return &c
}

// Describe says what the story does and, once wired, with what.
func (u *UpdateMaterial) Describe() story.Description { return u.story.Describe() }

// Failures returns the reasons Run can fail with.
func (u *UpdateMaterial) Failures() []error { return u.story.Failures() }
