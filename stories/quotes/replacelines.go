package quotes

import (
	"context"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// ReplaceLinesInput names a draft and its new lines; they replace all of
// its lines.
type ReplaceLinesInput struct {
	// ID is the quote's ID.
	ID int64
	// Lines are the new lines, possibly none. Only their MaterialID,
	// Quantity, WidthMM and HeightMM are read.
	Lines []Line
	// Version, when not 0, is the version the caller read: the lines
	// are replaced only if the quote is still at it.
	Version int64
}

// ReplaceLinesDeps are the parts ReplaceLines is built from.
type ReplaceLinesDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Get returns a quote by ID. Returns ErrNotFound.
	Get func(context.Context, int64) (Quote, error)
	// ReplaceLines replaces a draft's lines if it is at version (any
	// when 0). Returns ErrNotFound, ErrNotDraft or ErrVersionMismatch.
	ReplaceLines func(ctx context.Context, id, version int64, lines []Line, at time.Time) (Quote, error)
	// Now is the clock that dates the change.
	Now func() time.Time
}

// ReplaceLines is the story of changing the lines of a draft the caller
// may reach.
type ReplaceLines struct {
	deps  ReplaceLinesDeps
	story *story.Story[replaceLinesState]
}

type replaceLinesState struct {
	find  findState
	in    ReplaceLinesInput
	lines []Line

	replaced Quote
}

// NewReplaceLines builds the story. Returns an error naming every missing
// dependency.
func NewReplaceLines(deps ReplaceLinesDeps) (*ReplaceLines, error) {
	if err := checkDependencies("ReplaceLines", deps); err != nil {
		return nil, err
	}
	find, err := newFindQuote(findDeps{FilterOnPermissions: deps.FilterOnPermissions, Get: deps.Get})
	if err != nil {
		return nil, err
	}
	r := &ReplaceLines{deps: deps}
	r.story, err = story.New(story.Definition[replaceLinesState]{
		Name:         "ReplaceLines",
		Dependencies: deps,
		// ErrNotFound and ErrNotDraft are met again in "replace lines"
		// when another request deleted or submitted the quote since it
		// was found.
		// ErrVersionMismatch is decided by the write itself.
		Failures: []error{ErrForbidden, ErrNotFound, ErrNotDraft, ErrTooManyLines, ErrInvalidLine, ErrVersionMismatch},
		Steps: []story.Step[replaceLinesState]{
			story.Sub(find, func(s *replaceLinesState) *findState { return &s.find }),
			story.Do("check quote is a draft", r.checkDraft),
			story.Do("check lines", r.checkLines),
			story.Do("replace lines", r.replaceLines),
		},
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (r *ReplaceLines) checkDraft(_ context.Context, s *replaceLinesState) error {
	return draftOnly(s.find.quote)
}

func (r *ReplaceLines) checkLines(_ context.Context, s *replaceLinesState) error {
	lines, err := draftLines(s.in.Lines)
	if err != nil {
		return err
	}
	s.lines = lines
	return nil
}

func (r *ReplaceLines) replaceLines(ctx context.Context, s *replaceLinesState) error {
	q, err := r.deps.ReplaceLines(ctx, s.find.quote.ID, s.in.Version, s.lines, r.deps.Now())
	if err != nil {
		return err
	}
	s.replaced = q
	return nil
}

// Run replaces the lines of draft in.ID and returns the quote. Errors are
// *story.Failed; errors.Is tells ErrForbidden, ErrNotFound (also for
// another company's quote), ErrNotDraft, ErrTooManyLines, ErrInvalidLine,
// which comes in a *LineError naming the line, and ErrVersionMismatch
// (in.Version is not 0 and the quote is no longer at it).
func (r *ReplaceLines) Run(ctx context.Context, caller access.Caller, in ReplaceLinesInput) (Quote, error) {
	s := replaceLinesState{find: findState{caller: caller, id: in.ID}, in: in}
	if err := r.story.Run(ctx, &s); err != nil {
		return Quote{}, err
	}
	return s.replaced, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (r *ReplaceLines) With(mw ...story.Middleware) *ReplaceLines {
	c := *r
	c.story = r.story.With(mw...)
	return &c
}

// Describe says what the story does and, once wired, with what.
func (r *ReplaceLines) Describe() story.Description { return r.story.Describe() }

// Failures returns the reasons Run can fail with.
func (r *ReplaceLines) Failures() []error { return r.story.Failures() }
