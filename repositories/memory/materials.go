// Package memory provides repositories that keep everything in the memory
// of the process: the fakes that story and HTTP tests run on, and a store
// for demos that need nothing on disk. They pass the same contract suite as
// the SQL repositories, so a test that passes here means the same thing there.
package memory

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charterhq/charter/stories/materials"
)

var _ materials.Repository = (*Materials)(nil)

// Materials is a materials.Repository held in a map. It is safe for
// concurrent use. The zero value is not usable; call NewMaterials.
type Materials struct {
	mu   sync.RWMutex
	byID map[int64]materials.Material
	// byName is the unique index on (company, name) that the SQL schema
	// also has, so that a create does not scan every material.
	byName map[companyName]int64
	lastID int64
}

type companyName struct {
	company int64
	name    string
}

// NewMaterials returns an empty repository whose first material gets ID 1.
func NewMaterials() *Materials {
	return &Materials{
		byID:   make(map[int64]materials.Material),
		byName: make(map[companyName]int64),
	}
}

// Create stores m under the next ID. Times are kept in UTC, like the SQL
// repositories return them, so that tests see one behaviour everywhere.
func (r *Materials) Create(ctx context.Context, m materials.Material) (materials.Material, error) {
	if err := ctx.Err(); err != nil {
		return materials.Material{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.nameTaken(m.CompanyID, m.Name, 0) {
		return materials.Material{}, materials.ErrConflict
	}
	r.lastID++
	m.ID = r.lastID
	m.CreatedAt = m.CreatedAt.UTC()
	m.UpdatedAt = m.UpdatedAt.UTC()
	r.byID[m.ID] = m
	r.byName[companyName{m.CompanyID, m.Name}] = m.ID
	return m, nil
}

// Get returns the material with id, or materials.ErrNotFound.
func (r *Materials) Get(ctx context.Context, id int64) (materials.Material, error) {
	if err := ctx.Err(); err != nil {
		return materials.Material{}, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	m, ok := r.byID[id]
	if !ok {
		return materials.Material{}, materials.ErrNotFound
	}
	return m, nil
}

// Update replaces the editable fields of material id and sets its
// UpdatedAt to at. Returns materials.ErrNotFound or materials.ErrConflict.
func (r *Materials) Update(ctx context.Context, id int64, f materials.Fields, at time.Time) (materials.Material, error) {
	if err := ctx.Err(); err != nil {
		return materials.Material{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	m, ok := r.byID[id]
	if !ok {
		return materials.Material{}, materials.ErrNotFound
	}
	if r.nameTaken(m.CompanyID, f.Name, id) {
		return materials.Material{}, materials.ErrConflict
	}
	delete(r.byName, companyName{m.CompanyID, m.Name})
	r.byName[companyName{m.CompanyID, f.Name}] = id
	m.Name, m.Quality, m.Thickness, m.IsActive = f.Name, f.Quality, f.Thickness, f.IsActive
	m.UpdatedAt = at.UTC()
	r.byID[id] = m
	return m, nil
}

// Delete removes material id. Returns materials.ErrNotFound. IDs are never
// reused, so a deleted material stays gone.
func (r *Materials) Delete(ctx context.Context, id int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	m, ok := r.byID[id]
	if !ok {
		return materials.ErrNotFound
	}
	delete(r.byID, id)
	delete(r.byName, companyName{m.CompanyID, m.Name})
	return nil
}

// Count returns how many materials match f.
func (r *Materials) Count(ctx context.Context, f materials.Filter) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	var n int64
	for _, m := range r.byID {
		if matches(f, m) {
			n++
		}
	}
	return n, nil
}

// Find returns the page q selects. An empty Order.By sorts by ID; a Limit
// of zero or less means no limit.
func (r *Materials) Find(ctx context.Context, q materials.Query) ([]materials.Material, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	compare, ok := comparators[q.Order.By]
	if !ok {
		return nil, materials.ErrInvalidOrdering
	}
	r.mu.RLock()
	found := make([]materials.Material, 0, len(r.byID))
	for _, m := range r.byID {
		if matches(q.Filter, m) {
			found = append(found, m)
		}
	}
	r.mu.RUnlock()

	slices.SortFunc(found, func(a, b materials.Material) int {
		c := compare(a, b)
		if q.Order.Descending {
			c = -c
		}
		// Ties go by ascending ID whatever the direction, as the SQL
		// repositories do, so that pages never overlap or skip.
		return cmp.Or(c, cmp.Compare(a.ID, b.ID))
	})

	offset := max(q.Offset, 0)
	if offset >= len(found) {
		return []materials.Material{}, nil
	}
	found = found[offset:]
	if q.Limit > 0 && q.Limit < len(found) {
		found = found[:q.Limit]
	}
	// A fresh slice, so the caller holds no reference into a larger array.
	return slices.Clone(found), nil
}

// nameTaken reports whether a material of company other than except has name.
// The caller holds the lock.
func (r *Materials) nameTaken(company int64, name string, except int64) bool {
	id, ok := r.byName[companyName{company, name}]
	return ok && id != except
}

func matches(f materials.Filter, m materials.Material) bool {
	if f.CompanyID != 0 && m.CompanyID != f.CompanyID {
		return false
	}
	if f.IsActive != nil && m.IsActive != *f.IsActive {
		return false
	}
	return true
}

func byID(a, b materials.Material) int { return cmp.Compare(a.ID, b.ID) }

// comparators is the allow-list of orderings. Strings compare byte by byte,
// which is what the SQL repositories do too (SQLite's BINARY collation and
// the "C" collation the PostgreSQL schema declares).
var comparators = map[materials.Field]func(a, b materials.Material) int{
	"":                    byID,
	materials.ByID:        byID,
	materials.ByName:      func(a, b materials.Material) int { return strings.Compare(a.Name, b.Name) },
	materials.ByQuality:   func(a, b materials.Material) int { return strings.Compare(a.Quality, b.Quality) },
	materials.ByThickness: func(a, b materials.Material) int { return cmp.Compare(a.Thickness, b.Thickness) },
	materials.ByCreatedAt: func(a, b materials.Material) int { return a.CreatedAt.Compare(b.CreatedAt) },
}
