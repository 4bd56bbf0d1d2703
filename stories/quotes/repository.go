package quotes

import (
	"context"
	"time"
)

// Filter selects quotes.
type Filter struct {
	// CompanyID, when not zero, keeps only that company's quotes.
	CompanyID int64
	// State, when not empty, keeps only quotes in that state.
	State State
}

// Matches reports whether f selects q. Stories use it to hold a single
// quote to the filter a list would apply.
func (f Filter) Matches(q Quote) bool {
	if f.CompanyID != 0 && q.CompanyID != f.CompanyID {
		return false
	}
	return f.State == "" || q.State == f.State
}

// Field is a sortable field of a quote. Only the constants below exist: a
// repository maps each to a column it knows and never uses caller text as
// an identifier.
type Field string

// The sortable fields.
const (
	ByID        Field = "id"
	ByCreatedAt Field = "created_at"
	ByUpdatedAt Field = "updated_at"
	// ByState sorts by the state's name, byte by byte ("accepted" first),
	// which is what every repository can do alike.
	ByState Field = "state"
)

// SortableFields are the fields that can be sorted on, in the order the
// API lists them.
var SortableFields = []Field{ByID, ByCreatedAt, ByUpdatedAt, ByState}

// Order sorts by one field; ties are always broken by ascending ID so that
// pages are stable.
type Order struct {
	// By is the field to sort on; the zero Field sorts by ID.
	By Field
	// Descending sorts from the greatest value down.
	Descending bool
}

// Query is a filter, an order and a page.
type Query struct {
	Filter
	// Order is the order of the results.
	Order Order
	// Limit is the most quotes returned; zero or less means no limit.
	Limit int
	// Offset is how many matching quotes to skip; less than zero counts
	// as zero.
	Offset int
}

// Submission is what submitting a draft writes: its lines priced, its
// total and its validity.
type Submission struct {
	// Lines replace the draft's lines: the same parts, with their
	// material's name and their prices set.
	Lines []Line
	// Total is the quote's total.
	Total Money
	// ValidUntil is the last instant the quote can be accepted.
	ValidUntil time.Time
	// At is when the quote was submitted: its SubmittedAt and UpdatedAt.
	At time.Time
}

// Repository stores quotes with their lines. Implementations live in
// repositories/ and pass one contract test suite.
//
// Every change of state is conditional on the state the quote is in, in
// the same statement that makes it, so that of two requests (or two
// replicas of the expiry job) racing to move one quote exactly one wins
// and the other is told why it lost. A method that writes several rows
// writes all of them or none.
type Repository interface {
	// Create stores q with its lines under a new ID and Version 1, which
	// it returns with q; q's state and times are stored as given. It
	// returns an error for a state that is not one of States.
	Create(ctx context.Context, q Quote) (Quote, error)
	// Get returns the quote with id and its lines. Returns ErrNotFound.
	Get(ctx context.Context, id int64) (Quote, error)
	// ReplaceLines replaces the lines of draft id, sets its UpdatedAt to
	// at and returns it. A version other than 0 is the one the quote must
	// be at, checked in the step that writes. Returns ErrNotFound,
	// ErrNotDraft when the quote is not a draft, or ErrVersionMismatch
	// when it is a draft at another version.
	ReplaceLines(ctx context.Context, id, version int64, lines []Line, at time.Time) (Quote, error)
	// Delete removes draft id and its lines, at version unless version is
	// 0. Returns ErrNotFound, ErrNotDraft when the quote is not a draft,
	// or ErrVersionMismatch when it is a draft at another version.
	Delete(ctx context.Context, id, version int64) error
	// Submit moves draft id to submitted, writing s, provided the quote
	// is still at version: the version whose lines s prices. Returns
	// ErrNotFound, ErrNotDraft when the quote is not a draft, or
	// ErrChanged when it is a draft of another version.
	Submit(ctx context.Context, id, version int64, s Submission) (Quote, error)
	// Decide moves submitted quote id to to, Accepted or Rejected, and
	// sets its DecidedAt and UpdatedAt to at. Returns ErrNotFound, or
	// ErrNotSubmitted when the quote is not submitted; an error for any
	// other to.
	Decide(ctx context.Context, id int64, to State, at time.Time) (Quote, error)
	// Expire moves every submitted quote whose ValidUntil is before now to
	// expired, sets its UpdatedAt to now, and returns the quotes it moved
	// as they are now, in ID order.
	Expire(ctx context.Context, now time.Time) ([]Quote, error)
	// Count returns how many quotes match f.
	Count(ctx context.Context, f Filter) (int64, error)
	// Find returns the page of quotes q selects, with their lines, in q's
	// order. It returns ErrInvalidOrdering for a field that is not
	// sortable.
	Find(ctx context.Context, q Query) ([]Quote, error)
}
