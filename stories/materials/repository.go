package materials

import (
	"context"
	"time"
)

// Filter selects materials.
type Filter struct {
	// CompanyID, when not zero, keeps only that company's materials.
	CompanyID int64
	// IsActive, when not nil, keeps only materials whose flag has this value.
	IsActive *bool
}

// Matches reports whether f selects m. Stories use it to hold a single
// material to the filter a list would apply.
func (f Filter) Matches(m Material) bool {
	if f.CompanyID != 0 && m.CompanyID != f.CompanyID {
		return false
	}
	return f.IsActive == nil || m.IsActive == *f.IsActive
}

// Field is a sortable field of a material. Only the constants below exist:
// a repository maps each to a column it knows and never uses caller text
// as an identifier.
type Field string

// The sortable fields.
const (
	ByID        Field = "id"
	ByName      Field = "name"
	ByQuality   Field = "quality"
	ByThickness Field = "thickness"
	ByCreatedAt Field = "created_at"
)

// Fields that can be sorted on, in the order the API lists them.
var SortableFields = []Field{ByID, ByName, ByQuality, ByThickness, ByCreatedAt}

// Order sorts by one field; ties are always broken by ascending ID so that
// pages are stable.
type Order struct {
	By         Field
	Descending bool
}

// Query is a filter, an order and a page.
type Query struct {
	Filter
	Order  Order
	Limit  int
	Offset int
}

// Repository stores materials. Implementations live in repositories/ and
// pass one contract test suite.
type Repository interface {
	// Create stores m under a new ID and Version 1, which it returns with
	// m; m's timestamps and price (or its absence) are stored as given.
	// Returns ErrConflict when the company already has a material with m's
	// name.
	Create(ctx context.Context, m Material) (Material, error)
	// Get returns the material with id. Returns ErrNotFound.
	Get(ctx context.Context, id int64) (Material, error)
	// Update replaces the editable fields of material id, sets UpdatedAt to
	// at, adds one to Version and returns the result. A nil f.Price keeps
	// the stored price, in the same write, so that no concurrent update of
	// the price is lost between a read and a write. A version other than
	// 0 is the one the material must be at: the check and the write are
	// one step, so that of two writers who read the same version only one
	// succeeds. Returns ErrNotFound, ErrVersionMismatch or ErrConflict.
	Update(ctx context.Context, id, version int64, f Fields, at time.Time) (Material, error)
	// Delete removes material id, which must be at version unless version
	// is 0, checked in the same step. Returns ErrNotFound or
	// ErrVersionMismatch.
	Delete(ctx context.Context, id, version int64) error
	// Count returns how many materials match f.
	Count(ctx context.Context, f Filter) (int64, error)
	// Find returns the page of materials q selects, in q's order. It
	// returns ErrInvalidOrdering for a field that is not sortable.
	Find(ctx context.Context, q Query) ([]Material, error)
}
