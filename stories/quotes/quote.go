// Package quotes provides the use cases of the quotes a company asks for
// sheet-metal parts cut from its materials: a draft is created and its lines
// changed by the company, submitted to be priced, then accepted or rejected
// by staff, or left to expire. Each use case is a story over a repository
// declared here; prices come from quotes' own copies of the materials,
// kept from the materials service's events (KeepMaterialCopy), and from
// the materials service itself for a material not copied yet.
package quotes

import "time"

// State is where a quote is in its life:
//
//	draft ──submit──> submitted ──> accepted | rejected | expired
//
// Only a draft changes: its lines are replaced, it is deleted or submitted.
// The three states after submitted are final.
type State string

// The states of a quote.
const (
	// Draft is a quote its company is still writing: its lines have no
	// prices yet.
	Draft State = "draft"
	// Submitted is a priced quote waiting for staff to accept or reject it
	// before its ValidUntil.
	Submitted State = "submitted"
	// Accepted is a submitted quote staff accepted.
	Accepted State = "accepted"
	// Rejected is a submitted quote staff rejected.
	Rejected State = "rejected"
	// Expired is a submitted quote nobody decided on before its ValidUntil.
	Expired State = "expired"
)

// States are every state, in the order of the quote's life.
var States = []State{Draft, Submitted, Accepted, Rejected, Expired}

// Valid reports whether s is one of States.
func (s State) Valid() bool {
	switch s {
	case Draft, Submitted, Accepted, Rejected, Expired:
		return true
	}
	return false
}

// Money is an amount in the minor unit of its currency (cents for EUR),
// never a float, so that sums are exact.
type Money struct {
	// Amount is in minor units.
	Amount int64
	// Currency is an ISO 4217 code such as "EUR".
	Currency string
}

// Line is one part to cut: a rectangle of a material, so many times.
type Line struct {
	// MaterialID is the material the part is cut from, one of the quote's
	// company's.
	MaterialID int64
	// Quantity is how many parts, 1 to MaxQuantity.
	Quantity int32
	// WidthMM and HeightMM are the part's size in millimetres, each 1 to
	// MaxSizeMM.
	WidthMM, HeightMM int32

	// The fields below are set when the quote is submitted, from the
	// material as it was then, and stay as they were set afterwards: a
	// later change of the material does not change a submitted quote.
	// They are zero on a draft.

	// MaterialName is the material's name at submission.
	MaterialName string
	// UnitPrice is the price of one part.
	UnitPrice Money
	// Total is UnitPrice times Quantity.
	Total Money
}

// Quote is a company's request for a price on a list of parts.
type Quote struct {
	// ID identifies the quote; IDs start from 1 and are never reused.
	ID int64
	// CompanyID is the company that asks for the quote.
	CompanyID int64
	// State is where the quote is in its life.
	State State
	// Lines are the parts, in the order the company gave them; never nil
	// in what a repository returns.
	Lines []Line
	// Total is the sum of the lines' totals: nil until the quote is
	// submitted.
	Total *Money
	// ValidUntil is the last instant the quote can be accepted: set at
	// submission.
	ValidUntil *time.Time
	// Version counts the writes to the quote: 1 when it is created, one
	// more with every change. A submission is conditional on it, so that
	// a quote is submitted with exactly the lines that were priced; it
	// also suits an entity tag.
	Version int64
	// CreatedAt is when the quote was created.
	CreatedAt time.Time
	// UpdatedAt is when the quote last changed.
	UpdatedAt time.Time
	// SubmittedAt is when the quote was submitted.
	SubmittedAt *time.Time
	// DecidedAt is when staff accepted or rejected the quote. An expired
	// quote was never decided: it lapsed at its ValidUntil.
	DecidedAt *time.Time
}
