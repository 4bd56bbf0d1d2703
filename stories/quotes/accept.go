package quotes

import (
	"context"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// AcceptInput names the quote to accept.
type AcceptInput struct {
	// ID is the quote's ID.
	ID int64
}

// AcceptQuoteDeps are the parts AcceptQuote is built from.
type AcceptQuoteDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden. Whichever it is, only staff
	// accept.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Get returns a quote by ID. Returns ErrNotFound.
	Get func(context.Context, int64) (Quote, error)
	// Decide moves a submitted quote to a final state. Returns
	// ErrNotFound or ErrNotSubmitted.
	Decide func(ctx context.Context, id int64, to State, at time.Time) (Quote, error)
	// Events records the event of the decision, in the story's
	// transaction.
	Events story.Events
	// Now is the clock the validity is checked against and the decision
	// dated with.
	Now func() time.Time
}

// AcceptQuote is the story of staff accepting a submitted quote before it
// expires.
type AcceptQuote struct {
	story *story.Story[decideState]
}

// NewAcceptQuote builds the story. Returns an error naming every missing
// dependency.
func NewAcceptQuote(deps AcceptQuoteDeps) (*AcceptQuote, error) {
	s, err := newDecision("AcceptQuote", Accepted, decideDeps(deps), deps)
	if err != nil {
		return nil, err
	}
	return &AcceptQuote{story: s}, nil
}

// Run accepts quote in.ID and returns it. Errors are *story.Failed;
// errors.Is tells ErrForbidden (the caller is not staff), ErrNotFound,
// ErrNotSubmitted (a draft, or already decided) and ErrExpired (past its
// ValidUntil).
func (a *AcceptQuote) Run(ctx context.Context, caller access.Caller, in AcceptInput) (Quote, error) {
	s := decideState{find: findState{caller: caller, id: in.ID}}
	if err := a.story.Run(ctx, &s); err != nil {
		return Quote{}, err
	}
	return s.decided, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (a *AcceptQuote) With(mw ...story.Middleware) *AcceptQuote {
	return &AcceptQuote{story: a.story.With(mw...)}
}

// Describe says what the story does and, once wired, with what.
func (a *AcceptQuote) Describe() story.Description { return a.story.Describe() }

// Failures returns the reasons Run can fail with.
func (a *AcceptQuote) Failures() []error { return a.story.Failures() }
