package materials

import (
	"context"
	"time"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/story"
)

// CreateInput is a material to create.
type CreateInput struct {
	// CompanyID is the company of the material. Staff must give it;
	// external callers may leave it zero or give their own company.
	CompanyID int64
	// Name is unique within the company.
	Name string
	// Quality is the grade or alloy.
	Quality string
	// Thickness is in millimetres.
	Thickness float64
	// IsActive is the active flag; nil means active, since a new material
	// is meant to be quoted with.
	IsActive *bool
	// Price is the price per square metre; nil creates a material with no
	// price yet.
	Price *Money
}

// CreateMaterialDeps are the parts CreateMaterial is built from.
type CreateMaterialDeps struct {
	// FilterOnPermissions says what the caller may reach: StaffAccess or
	// CompanyAccess. Returns ErrForbidden.
	FilterOnPermissions func(access.Caller, Filter) (Filter, error)
	// Create stores a new material. Returns ErrConflict.
	Create func(context.Context, Material) (Material, error)
	// Events records the EventCreated of the new material, in the
	// story's transaction.
	Events story.Events
	// Now is the clock that dates the material.
	Now func() time.Time
}

// CreateMaterial is the story of creating a material in a company the
// caller may reach.
type CreateMaterial struct {
	deps  CreateMaterialDeps
	story *story.Story[createState]
}

type createState struct {
	caller access.Caller
	in     CreateInput

	reach    Filter
	material Material
}

// NewCreateMaterial builds the story. Returns an error naming every
// missing dependency.
func NewCreateMaterial(deps CreateMaterialDeps) (*CreateMaterial, error) {
	c := &CreateMaterial{deps: deps}
	s, err := story.New(story.Definition[createState]{
		Name:         "CreateMaterial",
		Dependencies: deps,
		Failures:     []error{ErrForbidden, ErrCompanyRequired, ErrConflict},
		Steps: []story.Step[createState]{
			story.Do("check permissions", c.checkPermissions),
			story.Do("choose company", c.chooseCompany),
			story.Do("check price", c.checkPrice),
			story.Do("prepare material", c.prepareMaterial),
			story.Do("create material", c.createMaterial),
			story.Do("record material created", c.recordCreated),
		},
	})
	if err != nil {
		return nil, err
	}
	c.story = s
	return c, nil
}

func (c *CreateMaterial) checkPermissions(_ context.Context, s *createState) error {
	reach, err := c.deps.FilterOnPermissions(s.caller, Filter{})
	if err != nil {
		return err
	}
	s.reach = reach
	return nil
}

// chooseCompany puts the material where the caller may reach. A caller
// held to one company creates there, and naming another company is
// forbidden rather than not found: a create reveals no existing ID. A
// caller who reaches every company must say which.
func (c *CreateMaterial) chooseCompany(_ context.Context, s *createState) error {
	company := s.in.CompanyID
	switch {
	case s.reach.CompanyID != 0 && company == 0:
		company = s.reach.CompanyID
	case s.reach.CompanyID != 0 && company != s.reach.CompanyID:
		return ErrForbidden
	case company == 0:
		return ErrCompanyRequired
	}
	s.material.CompanyID = company
	return nil
}

// checkPrice refuses a price no client of the contract can send, for
// callers that run the story directly.
func (c *CreateMaterial) checkPrice(_ context.Context, s *createState) error {
	return checkPrice(s.in.Price)
}

func (c *CreateMaterial) prepareMaterial(_ context.Context, s *createState) error {
	now := c.deps.Now()
	s.material.Name = s.in.Name
	s.material.Quality = s.in.Quality
	s.material.Thickness = s.in.Thickness
	s.material.IsActive = s.in.IsActive == nil || *s.in.IsActive
	s.material.Price = s.in.Price
	s.material.CreatedAt, s.material.UpdatedAt = now, now
	return nil
}

func (c *CreateMaterial) createMaterial(ctx context.Context, s *createState) error {
	m, err := c.deps.Create(ctx, s.material)
	if err != nil {
		return err
	}
	s.material = m
	return nil
}

func (c *CreateMaterial) recordCreated(ctx context.Context, s *createState) error {
	return record(ctx, c.deps.Events, EventCreated, s.material.ID, s.material)
}

// Run creates the material and returns it with its ID. Errors are
// *story.Failed; errors.Is tells ErrForbidden (no role, or another company
// than the caller's), ErrCompanyRequired (staff gave no company) and
// ErrConflict (the company has a material of this name). A negative price
// or a malformed currency fails internally: the contract never lets one
// through.
func (c *CreateMaterial) Run(ctx context.Context, caller access.Caller, in CreateInput) (Material, error) {
	s := createState{caller: caller, in: in}
	if err := c.story.Run(ctx, &s); err != nil {
		return Material{}, err
	}
	return s.material, nil
}

// With returns a copy of the story that runs inside mw, the first
// outermost.
func (c *CreateMaterial) With(mw ...story.Middleware) *CreateMaterial {
	cp := *c
	cp.story = c.story.With(mw...)
	return &cp
}

// Describe says what the story does and, once wired, with what.
func (c *CreateMaterial) Describe() story.Description { return c.story.Describe() }

// Failures returns the reasons Run can fail with.
func (c *CreateMaterial) Failures() []error { return c.story.Failures() }
