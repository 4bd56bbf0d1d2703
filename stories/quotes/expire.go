package quotes

import (
	"context"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// ExpireInput asks to expire the quotes that have lapsed. It has no
// fields: the job expires every lapsed quote, of every company.
type ExpireInput struct{}

// ExpireQuotesDeps are the parts ExpireQuotes is built from.
type ExpireQuotesDeps struct {
	// Expire moves every submitted quote valid until before a time to
	// expired and returns the quotes it moved.
	Expire func(ctx context.Context, now time.Time) ([]Quote, error)
	// Events records an EventExpired per quote expired, in the story's
	// transaction.
	Events story.Events
	// Now is the clock lapsed quotes are found by.
	Now func() time.Time
}

// ExpireQuotes is the story of the scheduled job that marks expired every
// submitted quote whose ValidUntil has passed. Running it again changes
// nothing more, and replicas may run it at once: the repository moves each
// quote only from submitted, so each is counted by exactly one run.
type ExpireQuotes struct {
	deps  ExpireQuotesDeps
	story *story.Story[expireState]
}

type expireState struct {
	caller access.Caller

	expired []Quote
}

// NewExpireQuotes builds the story. Returns an error naming every missing
// dependency.
func NewExpireQuotes(deps ExpireQuotesDeps) (*ExpireQuotes, error) {
	e := &ExpireQuotes{deps: deps}
	s, err := story.New(story.Definition[expireState]{
		Name:         "ExpireQuotes",
		Dependencies: deps,
		Failures:     []error{ErrForbidden},
		Steps: []story.Step[expireState]{
			story.Do("allow only staff to expire", e.allowOnlyStaff),
			story.Do("expire lapsed quotes", e.expireLapsedQuotes),
			story.Do("record quotes expired", e.recordExpired),
		},
	})
	if err != nil {
		return nil, err
	}
	e.story = s
	return e, nil
}

// allowOnlyStaff keeps the job to callers who reach every company: the
// job runs as the service's own identity, which holds the staff role.
func (e *ExpireQuotes) allowOnlyStaff(_ context.Context, s *expireState) error {
	return staffOnly(s.caller)
}

// expireLapsedQuotes expires, in one conditional write, the quotes whose
// ValidUntil is strictly before now: a quote is still valid at the very
// instant it is valid until, when AcceptQuote still accepts it.
func (e *ExpireQuotes) expireLapsedQuotes(ctx context.Context, s *expireState) error {
	expired, err := e.deps.Expire(ctx, e.deps.Now())
	if err != nil {
		return err
	}
	s.expired = expired
	return nil
}

// recordExpired records one event per quote this run expired: a quote
// another run expired is that run's to tell.
func (e *ExpireQuotes) recordExpired(ctx context.Context, s *expireState) error {
	return recordQuote(ctx, e.deps.Events, EventExpired, s.expired...)
}

// Run expires every lapsed quote and returns how many this run expired.
// Errors are *story.Failed; errors.Is tells ErrForbidden (the caller is
// not staff).
func (e *ExpireQuotes) Run(ctx context.Context, caller access.Caller, _ ExpireInput) (int64, error) {
	s := expireState{caller: caller}
	if err := e.story.Run(ctx, &s); err != nil {
		return 0, err
	}
	return int64(len(s.expired)), nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (e *ExpireQuotes) With(mw ...story.Middleware) *ExpireQuotes {
	c := *e
	c.story = e.story.With(mw...)
	return &c
}

// Describe says what the story does and, once wired, with what.
func (e *ExpireQuotes) Describe() story.Description { return e.story.Describe() }

// Failures returns the reasons Run can fail with.
func (e *ExpireQuotes) Failures() []error { return e.story.Failures() }
