package quotes

import (
	"context"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// GetInput names the quote to get.
type GetInput struct {
	// ID is the quote's ID.
	ID int64
}

// GetQuoteDeps are the parts GetQuote is built from.
type GetQuoteDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Get returns a quote by ID. Returns ErrNotFound.
	Get func(context.Context, int64) (Quote, error)
}

// GetQuote is the story of reading one quote the caller may reach, with
// its lines.
type GetQuote struct {
	story *story.Story[getState]
}

type getState struct {
	find findState
}

// NewGetQuote builds the story. Returns an error naming every missing
// dependency.
func NewGetQuote(deps GetQuoteDeps) (*GetQuote, error) {
	if err := checkDependencies("GetQuote", deps); err != nil {
		return nil, err
	}
	find, err := newFindQuote(findDeps{FilterOnPermissions: deps.FilterOnPermissions, Get: deps.Get})
	if err != nil {
		return nil, err
	}
	s, err := story.New(story.Definition[getState]{
		Name:         "GetQuote",
		Dependencies: deps,
		Failures:     []error{ErrForbidden, ErrNotFound},
		Steps: []story.Step[getState]{
			story.Sub(find, func(s *getState) *findState { return &s.find }),
		},
	})
	if err != nil {
		return nil, err
	}
	return &GetQuote{story: s}, nil
}

// Run returns the quote in.ID. Errors are *story.Failed; errors.Is tells
// ErrForbidden and ErrNotFound, which is also the answer for another
// company's quote.
func (g *GetQuote) Run(ctx context.Context, caller access.Caller, in GetInput) (Quote, error) {
	s := getState{find: findState{caller: caller, id: in.ID}}
	if err := g.story.Run(ctx, &s); err != nil {
		return Quote{}, err
	}
	return s.find.quote, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (g *GetQuote) With(mw ...story.Middleware) *GetQuote {
	return &GetQuote{story: g.story.With(mw...)}
}

// Describe says what the story does and, once wired, with what.
func (g *GetQuote) Describe() story.Description { return g.story.Describe() }

// Failures returns the reasons Run can fail with.
func (g *GetQuote) Failures() []error { return g.story.Failures() }
