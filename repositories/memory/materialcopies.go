package memory

import (
	"context"
	"sync"

	"github.com/charterhq/charter/stories/quotes"
)

var _ quotes.MaterialCopies = (*MaterialCopies)(nil)

// MaterialCopies is a quotes.MaterialCopies held in a map. It is safe for
// concurrent use: Keep holds the lock for the comparison and the write,
// which is what makes it conditional. The zero value is not usable; call
// NewMaterialCopies.
type MaterialCopies struct {
	mu   sync.RWMutex
	byID map[int64]quotes.MaterialCopy
}

// NewMaterialCopies returns an empty store of copies.
func NewMaterialCopies() *MaterialCopies {
	return &MaterialCopies{byID: make(map[int64]quotes.MaterialCopy)}
}

// Keep stores c unless the stored copy of its material is as recent or
// more, and reports whether it stored it.
func (r *MaterialCopies) Keep(ctx context.Context, c quotes.MaterialCopy) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	c = copyOut(c)
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.byID[c.ID]; ok && !c.Supersedes(old) {
		return false, nil
	}
	r.byID[c.ID] = c
	return true, nil
}

// Copies returns the stored copies of ids, deleted ones included.
func (r *MaterialCopies) Copies(ctx context.Context, ids []int64) (map[int64]quotes.MaterialCopy, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[int64]quotes.MaterialCopy, len(ids))
	for _, id := range ids {
		if c, ok := r.byID[id]; ok {
			out[id] = copyOut(c)
		}
	}
	return out, nil
}

// Clear removes every copy.
func (r *MaterialCopies) Clear(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.byID)
	return nil
}

// copyOut returns c with a price of its own and its time in UTC, as the
// SQL repositories return it: what is stored and what a caller holds
// never share a price.
func copyOut(c quotes.MaterialCopy) quotes.MaterialCopy {
	if c.Price != nil {
		p := *c.Price
		c.Price = &p
	}
	c.ChangedAt = c.ChangedAt.UTC()
	return c
}
