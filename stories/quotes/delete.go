package quotes

import (
	"context"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// DeleteInput names the draft to delete.
type DeleteInput struct {
	// ID is the quote's ID.
	ID int64
	// Version, when not 0, is the version the caller read: the draft is
	// deleted only if it is still at it.
	Version int64
}

// DeleteQuoteDeps are the parts DeleteQuote is built from.
type DeleteQuoteDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Get returns a quote by ID. Returns ErrNotFound.
	Get func(context.Context, int64) (Quote, error)
	// Delete removes a draft if it is at version (any when 0). Returns
	// ErrNotFound, ErrNotDraft or ErrVersionMismatch.
	Delete func(ctx context.Context, id, version int64) error
}

// DeleteQuote is the story of deleting a draft the caller may reach. A
// submitted quote is a record of what was offered and stays.
type DeleteQuote struct {
	deps  DeleteQuoteDeps
	story *story.Story[deleteState]
}

type deleteState struct {
	find    findState
	version int64
}

// NewDeleteQuote builds the story. Returns an error naming every missing
// dependency.
func NewDeleteQuote(deps DeleteQuoteDeps) (*DeleteQuote, error) {
	if err := checkDependencies("DeleteQuote", deps); err != nil {
		return nil, err
	}
	find, err := newFindQuote(findDeps{FilterOnPermissions: deps.FilterOnPermissions, Get: deps.Get})
	if err != nil {
		return nil, err
	}
	d := &DeleteQuote{deps: deps}
	d.story, err = story.New(story.Definition[deleteState]{
		Name:         "DeleteQuote",
		Dependencies: deps,
		// ErrNotFound and ErrNotDraft are met again in "delete draft"
		// when another request deleted or submitted the quote since it
		// was found.
		Failures: []error{ErrForbidden, ErrNotFound, ErrNotDraft, ErrVersionMismatch},
		Steps: []story.Step[deleteState]{
			story.Sub(find, func(s *deleteState) *findState { return &s.find }),
			story.Do("check quote is a draft", d.checkDraft),
			story.Do("delete draft", d.deleteDraft),
		},
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (d *DeleteQuote) checkDraft(_ context.Context, s *deleteState) error {
	return draftOnly(s.find.quote)
}

func (d *DeleteQuote) deleteDraft(ctx context.Context, s *deleteState) error {
	return d.deps.Delete(ctx, s.find.quote.ID, s.version)
}

// Run deletes draft in.ID and returns it as it was, for whoever must hear
// of the deletion. Errors are *story.Failed; errors.Is tells ErrForbidden,
// ErrNotFound (also for another company's quote), ErrNotDraft and
// ErrVersionMismatch (in.Version is not 0 and the quote is no longer at
// it).
func (d *DeleteQuote) Run(ctx context.Context, caller access.Caller, in DeleteInput) (Quote, error) {
	s := deleteState{find: findState{caller: caller, id: in.ID}, version: in.Version}
	if err := d.story.Run(ctx, &s); err != nil {
		return Quote{}, err
	}
	return s.find.quote, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (d *DeleteQuote) With(mw ...story.Middleware) *DeleteQuote {
	c := *d
	c.story = d.story.With(mw...)
	return &c
}

// Describe says what the story does and, once wired, with what.
func (d *DeleteQuote) Describe() story.Description { return d.story.Describe() }

// Failures returns the reasons Run can fail with.
func (d *DeleteQuote) Failures() []error { return d.story.Failures() }
