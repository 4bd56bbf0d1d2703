package quotes

import (
	"context"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// CreateInput is a draft to create.
type CreateInput struct {
	// CompanyID is the company of the quote. Staff must give it; external
	// callers may leave it zero or give their own company.
	CompanyID int64
	// Lines are the draft's first lines, possibly none. Only their
	// MaterialID, Quantity, WidthMM and HeightMM are read: prices are set
	// at submission.
	Lines []Line
}

// CreateQuoteDeps are the parts CreateQuote is built from.
type CreateQuoteDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Create stores a new quote.
	Create func(context.Context, Quote) (Quote, error)
	// Now is the clock that dates the quote.
	Now func() time.Time
}

// CreateQuote is the story of creating a draft in a company the caller may
// reach.
type CreateQuote struct {
	deps  CreateQuoteDeps
	story *story.Story[createState]
}

type createState struct {
	caller access.Caller
	in     CreateInput

	reach Filter
	lines []Line
	quote Quote
}

// NewCreateQuote builds the story. Returns an error naming every missing
// dependency.
func NewCreateQuote(deps CreateQuoteDeps) (*CreateQuote, error) {
	c := &CreateQuote{deps: deps}
	s, err := story.New(story.Definition[createState]{
		Name:         "CreateQuote",
		Dependencies: deps,
		Failures:     []error{ErrForbidden, ErrCompanyRequired, ErrTooManyLines, ErrInvalidLine},
		Steps: []story.Step[createState]{
			story.Do("check permissions", c.checkPermissions),
			story.Do("choose company", c.chooseCompany),
			story.Do("check lines", c.checkLines),
			story.Do("prepare draft", c.prepareDraft),
			story.Do("create quote", c.createQuote),
		},
	})
	if err != nil {
		return nil, err
	}
	c.story = s
	return c, nil
}

func (c *CreateQuote) checkPermissions(_ context.Context, s *createState) error {
	reach, err := c.deps.FilterOnPermissions(s.caller, Filter{})
	if err != nil {
		return err
	}
	s.reach = reach
	return nil
}

// chooseCompany puts the quote where the caller may reach. A caller held
// to one company creates there, and naming another company is forbidden
// rather than not found: a create reveals no existing ID. A caller who
// reaches every company must say which.
func (c *CreateQuote) chooseCompany(_ context.Context, s *createState) error {
	company := s.in.CompanyID
	switch {
	case s.reach.CompanyID != 0 && company == 0:
		company = s.reach.CompanyID
	case s.reach.CompanyID != 0 && company != s.reach.CompanyID:
		return ErrForbidden
	case company == 0:
		return ErrCompanyRequired
	}
	s.quote.CompanyID = company
	return nil
}

// checkLines keeps only what a draft line holds; whether each material
// exists is a question for submission, when it is priced.
func (c *CreateQuote) checkLines(_ context.Context, s *createState) error {
	lines, err := draftLines(s.in.Lines)
	if err != nil {
		return err
	}
	s.lines = lines
	return nil
}

func (c *CreateQuote) prepareDraft(_ context.Context, s *createState) error {
	now := c.deps.Now()
	s.quote.State = Draft
	s.quote.Lines = s.lines
	s.quote.CreatedAt, s.quote.UpdatedAt = now, now
	return nil
}

func (c *CreateQuote) createQuote(ctx context.Context, s *createState) error {
	q, err := c.deps.Create(ctx, s.quote)
	if err != nil {
		return err
	}
	s.quote = q
	return nil
}

// Run creates the draft and returns it with its ID. Errors are
// *story.Failed; errors.Is tells ErrForbidden (no role, or another company
// than the caller's), ErrCompanyRequired (staff gave no company),
// ErrTooManyLines and ErrInvalidLine, which comes in a *LineError naming
// the line.
func (c *CreateQuote) Run(ctx context.Context, caller access.Caller, in CreateInput) (Quote, error) {
	s := createState{caller: caller, in: in}
	if err := c.story.Run(ctx, &s); err != nil {
		return Quote{}, err
	}
	return s.quote, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (c *CreateQuote) With(mw ...story.Middleware) *CreateQuote {
	cp := *c
	cp.story = c.story.With(mw...)
	return &cp
}

// Describe says what the story does and, once wired, with what.
func (c *CreateQuote) Describe() story.Description { return c.story.Describe() }

// Failures returns the reasons Run can fail with.
func (c *CreateQuote) Failures() []error { return c.story.Failures() }
