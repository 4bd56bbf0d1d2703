package quotes

import (
	"context"
	"fmt"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// AcceptQuote and RejectQuote are one process with two outcomes: staff
// decide on a submitted quote that is still valid. This file holds what
// they share; each has its own file for its name, input and deps.

// decideDeps are the parts of a decision; AcceptQuoteDeps and
// RejectQuoteDeps convert to it.
type decideDeps struct {
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	Get                 func(context.Context, int64) (Quote, error)
	Decide              func(ctx context.Context, id int64, to State, at time.Time) (Quote, error)
	Events              story.Events
	Now                 func() time.Time
}

type decideState struct {
	find findState

	now     time.Time
	decided Quote
}

type decision struct {
	to    State
	event string
	deps  decideDeps
}

// decideFailures are the reasons a decision can fail with. ErrNotSubmitted
// is met again in the last step when another decision, or the expiry job,
// moved the quote since it was found.
var decideFailures = []error{ErrForbidden, ErrNotFound, ErrNotSubmitted, ErrExpired}

// newDecision builds the story called name that moves a submitted quote to to;
// described is the story's own deps struct, for Describe.
func newDecision(name string, to State, deps decideDeps, described any) (*story.Story[decideState], error) {
	if err := checkDependencies(name, described); err != nil {
		return nil, err
	}
	find, err := newFindQuote(findDeps{FilterOnPermissions: deps.FilterOnPermissions, Get: deps.Get})
	if err != nil {
		return nil, err
	}
	d := &decision{to: to, deps: deps}
	verb := map[State]string{Accepted: "accept quote", Rejected: "reject quote"}[to]
	d.event = map[State]string{Accepted: EventAccepted, Rejected: EventRejected}[to]
	return story.New(story.Definition[decideState]{
		Name:         name,
		Dependencies: described,
		Failures:     decideFailures,
		Steps: []story.Step[decideState]{
			story.Do("allow only staff to decide", d.allowOnlyStaff),
			story.Sub(find, func(s *decideState) *findState { return &s.find }),
			story.Do("check quote is submitted", d.checkSubmitted),
			story.Do("check quote is still valid", d.checkStillValid),
			story.Do(verb, d.decide),
			story.Do("record quote "+string(to), d.recordDecision),
		},
	})
}

// allowOnlyStaff comes before the quote is looked up, so that an external
// caller is refused alike whether the ID exists or not.
func (d *decision) allowOnlyStaff(_ context.Context, s *decideState) error {
	return staffOnly(s.find.caller)
}

// checkSubmitted tells a quote that already expired from one that was
// never submitted or is already decided.
func (d *decision) checkSubmitted(_ context.Context, s *decideState) error {
	if s.find.quote.State == Expired {
		return ErrExpired
	}
	return submittedOnly(s.find.quote)
}

// checkStillValid refuses a quote past its ValidUntil even when the
// expiry job has not marked it yet. It only refuses: marking the quote
// expired is the job's, and a failed story writes nothing anyway when it
// runs in a transaction. The clock is read once, here, so that the
// decision is dated at the instant it was found valid.
func (d *decision) checkStillValid(_ context.Context, s *decideState) error {
	q := s.find.quote
	if q.ValidUntil == nil {
		return fmt.Errorf("quote %d is submitted without a validity", q.ID)
	}
	s.now = d.deps.Now()
	if s.now.After(*q.ValidUntil) {
		return ErrExpired
	}
	return nil
}

func (d *decision) recordDecision(ctx context.Context, s *decideState) error {
	return recordQuote(ctx, d.deps.Events, d.event, s.decided)
}

func (d *decision) decide(ctx context.Context, s *decideState) error {
	q, err := d.deps.Decide(ctx, s.find.quote.ID, d.to, s.now)
	if err != nil {
		return err
	}
	s.decided = q
	return nil
}
