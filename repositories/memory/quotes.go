package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charterhq/charter/stories/quotes"
)

var _ quotes.Repository = (*Quotes)(nil)

// Quotes is a quotes.Repository held in a map. It is safe for concurrent
// use: every method holds the lock for the whole of what it checks and
// writes, which is what makes its state changes conditional. The zero
// value is not usable; call NewQuotes.
type Quotes struct {
	mu     sync.RWMutex
	byID   map[int64]quotes.Quote
	lastID int64
}

// NewQuotes returns an empty repository whose first quote gets ID 1.
func NewQuotes() *Quotes {
	return &Quotes{byID: make(map[int64]quotes.Quote)}
}

// Create stores q and its lines under the next ID, at Version 1. Times are
// kept in UTC, like the SQL repositories return them. It returns an error
// for a state that is not one of quotes.States.
func (r *Quotes) Create(ctx context.Context, q quotes.Quote) (quotes.Quote, error) {
	if err := ctx.Err(); err != nil {
		return quotes.Quote{}, err
	}
	if !q.State.Valid() {
		return quotes.Quote{}, fmt.Errorf("memory: create quote: unknown state %q", q.State)
	}
	q = stored(q)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastID++
	q.ID, q.Version = r.lastID, 1
	r.byID[q.ID] = q
	return stored(q), nil
}

// Get returns the quote with id, or quotes.ErrNotFound.
func (r *Quotes) Get(ctx context.Context, id int64) (quotes.Quote, error) {
	if err := ctx.Err(); err != nil {
		return quotes.Quote{}, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	q, ok := r.byID[id]
	if !ok {
		return quotes.Quote{}, quotes.ErrNotFound
	}
	return stored(q), nil
}

// ReplaceLines replaces the lines of draft id and sets its UpdatedAt to
// at, at version unless it is 0. Returns quotes.ErrNotFound,
// quotes.ErrNotDraft or quotes.ErrVersionMismatch.
func (r *Quotes) ReplaceLines(ctx context.Context, id, version int64, lines []quotes.Line, at time.Time) (quotes.Quote, error) {
	return r.change(ctx, id, func(q *quotes.Quote) error {
		if q.State != quotes.Draft {
			return quotes.ErrNotDraft
		}
		if version != 0 && q.Version != version {
			return quotes.ErrVersionMismatch
		}
		q.Lines = lines
		q.UpdatedAt = at
		return nil
	})
}

// Delete removes draft id, at version unless it is 0. Returns
// quotes.ErrNotFound, quotes.ErrNotDraft or quotes.ErrVersionMismatch. IDs
// are never reused, so a deleted quote stays gone.
func (r *Quotes) Delete(ctx context.Context, id, version int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	q, ok := r.byID[id]
	switch {
	case !ok:
		return quotes.ErrNotFound
	case q.State != quotes.Draft:
		return quotes.ErrNotDraft
	case version != 0 && q.Version != version:
		return quotes.ErrVersionMismatch
	}
	delete(r.byID, id)
	return nil
}

// Submit moves draft id at version to submitted with s. Returns
// quotes.ErrNotFound, quotes.ErrNotDraft or quotes.ErrChanged.
func (r *Quotes) Submit(ctx context.Context, id, version int64, s quotes.Submission) (quotes.Quote, error) {
	return r.change(ctx, id, func(q *quotes.Quote) error {
		switch {
		case q.State != quotes.Draft:
			return quotes.ErrNotDraft
		case q.Version != version:
			return quotes.ErrChanged
		}
		total, validUntil, at := s.Total, s.ValidUntil, s.At
		q.State = quotes.Submitted
		q.Lines = s.Lines
		q.Total, q.ValidUntil, q.SubmittedAt = &total, &validUntil, &at
		q.UpdatedAt = at
		return nil
	})
}

// Decide moves submitted quote id to to, quotes.Accepted or
// quotes.Rejected, at at. Returns quotes.ErrNotFound or
// quotes.ErrNotSubmitted.
func (r *Quotes) Decide(ctx context.Context, id int64, to quotes.State, at time.Time) (quotes.Quote, error) {
	if to != quotes.Accepted && to != quotes.Rejected {
		return quotes.Quote{}, fmt.Errorf("memory: decide quote: %q is not a decision", to)
	}
	return r.change(ctx, id, func(q *quotes.Quote) error {
		if q.State != quotes.Submitted {
			return quotes.ErrNotSubmitted
		}
		q.State = to
		q.DecidedAt = &at
		q.UpdatedAt = at
		return nil
	})
}

// Expire moves every submitted quote whose ValidUntil is before now to
// expired and returns the quotes it moved, in ID order.
func (r *Quotes) Expire(ctx context.Context, now time.Time) ([]quotes.Quote, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var moved []quotes.Quote
	for id, q := range r.byID {
		if q.State != quotes.Submitted || q.ValidUntil == nil || !q.ValidUntil.Before(now) {
			continue
		}
		q.State = quotes.Expired
		q.UpdatedAt = now.UTC()
		q.Version++
		r.byID[id] = q
		moved = append(moved, stored(q))
	}
	slices.SortFunc(moved, func(a, b quotes.Quote) int { return cmp.Compare(a.ID, b.ID) })
	return moved, nil
}

// Count returns how many quotes match f.
func (r *Quotes) Count(ctx context.Context, f quotes.Filter) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	var n int64
	for _, q := range r.byID {
		if f.Matches(q) {
			n++
		}
	}
	return n, nil
}

// Find returns the page q selects. An empty Order.By sorts by ID; a Limit
// of zero or less means no limit.
func (r *Quotes) Find(ctx context.Context, query quotes.Query) ([]quotes.Quote, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	compare, ok := quoteComparators[query.Order.By]
	if !ok {
		return nil, quotes.ErrInvalidOrdering
	}
	r.mu.RLock()
	found := make([]quotes.Quote, 0, len(r.byID))
	for _, q := range r.byID {
		if query.Matches(q) {
			found = append(found, q)
		}
	}
	r.mu.RUnlock()

	slices.SortFunc(found, func(a, b quotes.Quote) int {
		c := compare(a, b)
		if query.Order.Descending {
			c = -c
		}
		// Ties go by ascending ID whatever the direction, as the SQL
		// repositories do, so that pages never overlap or skip.
		return cmp.Or(c, cmp.Compare(a.ID, b.ID))
	})

	offset := max(query.Offset, 0)
	if offset >= len(found) {
		return []quotes.Quote{}, nil
	}
	found = found[offset:]
	if query.Limit > 0 && query.Limit < len(found) {
		found = found[:query.Limit]
	}
	out := make([]quotes.Quote, len(found))
	for i, q := range found {
		out[i] = stored(q)
	}
	return out, nil
}

// change applies fn to a copy of quote id under the lock and stores the
// result as the next version, unless fn refuses with an error. fn sees
// the quote as stored and may keep references to what it is given: the
// result is copied before it is stored.
func (r *Quotes) change(ctx context.Context, id int64, fn func(*quotes.Quote) error) (quotes.Quote, error) {
	if err := ctx.Err(); err != nil {
		return quotes.Quote{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	q, ok := r.byID[id]
	if !ok {
		return quotes.Quote{}, quotes.ErrNotFound
	}
	if err := fn(&q); err != nil {
		return quotes.Quote{}, err
	}
	q.Version++
	q = stored(q)
	r.byID[id] = q
	return stored(q), nil
}

// stored returns a deep copy of q with its times in UTC and its lines
// never nil: what goes in and what comes out shares nothing with the
// repository, so that neither side can change the other's quote.
func stored(q quotes.Quote) quotes.Quote {
	lines := make([]quotes.Line, len(q.Lines))
	copy(lines, q.Lines)
	q.Lines = lines
	if q.Total != nil {
		total := *q.Total
		q.Total = &total
	}
	q.ValidUntil = utc(q.ValidUntil)
	q.SubmittedAt = utc(q.SubmittedAt)
	q.DecidedAt = utc(q.DecidedAt)
	q.CreatedAt, q.UpdatedAt = q.CreatedAt.UTC(), q.UpdatedAt.UTC()
	return q
}

// utc returns a new pointer to t in UTC, or nil.
func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func quoteByID(a, b quotes.Quote) int { return cmp.Compare(a.ID, b.ID) }

// quoteComparators is the allow-list of orderings. States compare byte by
// byte, as the SQL repositories do (SQLite's BINARY collation and the "C"
// collation the PostgreSQL schema declares).
var quoteComparators = map[quotes.Field]func(a, b quotes.Quote) int{
	"":                 quoteByID,
	quotes.ByID:        quoteByID,
	quotes.ByCreatedAt: func(a, b quotes.Quote) int { return a.CreatedAt.Compare(b.CreatedAt) },
	quotes.ByUpdatedAt: func(a, b quotes.Quote) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
	quotes.ByState:     func(a, b quotes.Quote) int { return strings.Compare(string(a.State), string(b.State)) },
}
