package quotes

import (
	"context"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// RejectInput names the quote to reject.
type RejectInput struct {
	// ID is the quote's ID.
	ID int64
}

// RejectQuoteDeps are the parts RejectQuote is built from.
type RejectQuoteDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden. Whichever it is, only staff
	// reject.
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

// RejectQuote is the story of staff rejecting a submitted quote before it
// expires. A quote past its ValidUntil is not rejected either: the offer
// has lapsed, and the expiry job marks it expired.
type RejectQuote struct {
	story *story.Story[decideState]
}

// NewRejectQuote builds the story. Returns an error naming every missing
// dependency.
func NewRejectQuote(deps RejectQuoteDeps) (*RejectQuote, error) {
	s, err := newDecision("RejectQuote", Rejected, decideDeps(deps), deps)
	if err != nil {
		return nil, err
	}
	return &RejectQuote{story: s}, nil
}

// Run rejects quote in.ID and returns it. Errors are *story.Failed;
// errors.Is tells ErrForbidden (the caller is not staff), ErrNotFound,
// ErrNotSubmitted (a draft, or already decided) and ErrExpired (past its
// ValidUntil).
func (r *RejectQuote) Run(ctx context.Context, caller access.Caller, in RejectInput) (Quote, error) {
	s := decideState{find: findState{caller: caller, id: in.ID}}
	if err := r.story.Run(ctx, &s); err != nil {
		return Quote{}, err
	}
	return s.decided, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (r *RejectQuote) With(mw ...story.Middleware) *RejectQuote {
	return &RejectQuote{story: r.story.With(mw...)}
}

// Describe says what the story does and, once wired, with what.
func (r *RejectQuote) Describe() story.Description { return r.story.Describe() }

// Failures returns the reasons Run can fail with.
func (r *RejectQuote) Failures() []error { return r.story.Failures() }
