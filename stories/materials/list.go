package materials

import (
	"context"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// The page sizes of a list, as the contract documents them.
const (
	// DefaultLimit is the size of a page when the caller asks for none.
	DefaultLimit = 20
	// MaxLimit is the largest page a caller gets, whatever it asks for.
	MaxLimit = 100
)

// ListInput asks for one page of the materials a caller may see.
type ListInput struct {
	// Limit is the most materials the page holds: DefaultLimit when zero
	// or less, and never more than MaxLimit.
	Limit int
	// Offset is how many matching materials come before the page; less
	// than zero counts as zero.
	Offset int
	// Ordering is a sortable field such as "name", with a leading "-"
	// for descending order such as "-thickness"; "" orders by ID.
	Ordering string
	// IsActive, when not nil, keeps only materials whose active flag has
	// this value.
	IsActive *bool
}

// Page is one page of materials and how many match in all.
type Page struct {
	// Items are the page's materials, never nil.
	Items []Material
	// Count is how many materials match, on every page.
	Count int64
	// Limit and Offset are those the page was taken with.
	Limit, Offset int
}

// ListMaterialsDeps are the parts ListMaterials is built from.
type ListMaterialsDeps struct {
	// FilterOnPermissions narrows a filter to what the caller may see:
	// StaffAccess or CompanyAccess. Returns ErrForbidden.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Count returns how many materials match a filter.
	Count func(context.Context, Filter) (int64, error)
	// Find returns the materials a query selects, in its order.
	Find func(context.Context, Query) ([]Material, error)
}

// ListMaterials is the story of listing materials: one page of those the
// caller may see, filtered, ordered, with the total count.
type ListMaterials struct {
	deps  ListMaterialsDeps
	story *story.Story[listState]
}

type listState struct {
	caller access.Caller
	in     ListInput

	query Query
	count int64
	page  Page
}

// NewListMaterials builds the story. Returns an error naming every missing
// dependency.
func NewListMaterials(deps ListMaterialsDeps) (*ListMaterials, error) {
	l := &ListMaterials{deps: deps}
	s, err := story.New(story.Definition[listState]{
		Name:         "ListMaterials",
		Dependencies: deps,
		Failures:     []error{ErrForbidden, ErrInvalidOrdering},
		Steps: []story.Step[listState]{
			story.Do("start from every material", l.startFromEveryMaterial),
			story.Do("filter on permissions", l.filterOnPermissions),
			story.Do("filter on active", l.filterOnActive),
			story.Do("get count", l.getCount),
			story.Do("apply order by", l.applyOrderBy),
			story.Do("apply limit offset", l.applyLimitOffset),
			story.Do("fetch the page", l.fetchPage),
		},
	})
	if err != nil {
		return nil, err
	}
	l.story = s
	return l, nil
}

// startFromEveryMaterial fetches nothing: it starts a query of every material,
// in ID order, that the steps after it narrow down before the page is
// fetched.
func (l *ListMaterials) startFromEveryMaterial(_ context.Context, s *listState) error {
	s.query = Query{Order: Order{By: ByID}}
	return nil
}

// filterOnPermissions refuses a caller with no access and narrows the
// query to what the caller may see.
func (l *ListMaterials) filterOnPermissions(_ context.Context, s *listState) error {
	f, err := l.deps.FilterOnPermissions(s.caller, s.query.Filter)
	if err != nil {
		return err
	}
	s.query.Filter = f
	return nil
}

func (l *ListMaterials) filterOnActive(_ context.Context, s *listState) error {
	s.query.IsActive = s.in.IsActive
	return nil
}

// getCount counts before ordering and paging, which do not change it.
func (l *ListMaterials) getCount(ctx context.Context, s *listState) error {
	n, err := l.deps.Count(ctx, s.query.Filter)
	if err != nil {
		return err
	}
	s.count = n
	return nil
}

func (l *ListMaterials) applyOrderBy(_ context.Context, s *listState) error {
	o, err := ParseOrdering(s.in.Ordering)
	if err != nil {
		return err
	}
	s.query.Order = o
	return nil
}

// applyLimitOffset ends the story early with an empty page when the page
// starts past the last match: the count already says there is nothing to
// fetch. It comes after the ordering so that a bad ordering is refused
// whatever the data.
func (l *ListMaterials) applyLimitOffset(_ context.Context, s *listState) error {
	s.query.Limit = s.in.Limit
	if s.query.Limit <= 0 {
		s.query.Limit = DefaultLimit
	}
	s.query.Limit = min(s.query.Limit, MaxLimit)
	s.query.Offset = max(s.in.Offset, 0)
	s.page = Page{Items: []Material{}, Count: s.count, Limit: s.query.Limit, Offset: s.query.Offset}
	if int64(s.query.Offset) >= s.count {
		return story.Done
	}
	return nil
}

func (l *ListMaterials) fetchPage(ctx context.Context, s *listState) error {
	items, err := l.deps.Find(ctx, s.query)
	if err != nil {
		return err
	}
	if items != nil {
		s.page.Items = items
	}
	return nil
}

// Run lists one page of the materials caller may see. Errors are
// *story.Failed; errors.Is tells ErrForbidden and ErrInvalidOrdering.
func (l *ListMaterials) Run(ctx context.Context, caller access.Caller, in ListInput) (Page, error) {
	s := listState{caller: caller, in: in}
	if err := l.story.Run(ctx, &s); err != nil {
		return Page{}, err
	}
	return s.page, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost: logging, tracing, a transaction.
func (l *ListMaterials) With(mw ...story.Middleware) *ListMaterials {
	c := *l
	c.story = l.story.With(mw...)
	return &c
}

// Describe says what the story does and, once wired, with what.
func (l *ListMaterials) Describe() story.Description { return l.story.Describe() }

// Failures returns the reasons Run can fail with.
func (l *ListMaterials) Failures() []error { return l.story.Failures() }
