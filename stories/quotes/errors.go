package quotes

import (
	"errors"
	"fmt"
)

// Errors returned by repositories and steps, and declared as failure
// reasons by the stories that can meet them. Each maps to one documented
// response of the operations; the status a controller is expected to
// answer is given in parentheses.
var (
	// ErrNotFound: no quote with this ID exists that the caller may see
	// (404). Another company's quote is reported so, never as forbidden,
	// so that IDs do not leak.
	ErrNotFound = errors.New("quote not found")
	// ErrForbidden: the caller may not do this at all (403).
	ErrForbidden = errors.New("forbidden")
	// ErrCompanyRequired: staff must name the company of a new quote (403:
	// who must depends on the token).
	ErrCompanyRequired = errors.New("company_id is required")
	// ErrInvalidOrdering: the ordering is not one of the sortable fields
	// (400).
	ErrInvalidOrdering = errors.New("invalid ordering")
	// ErrInvalidLine: a line's material, quantity or size is out of range
	// (422). Steps return it inside a *LineError that names the line.
	ErrInvalidLine = errors.New("invalid line")
	// ErrTooManyLines: a quote holds at most MaxLines lines (422).
	ErrTooManyLines = errors.New("too many lines")
	// ErrNotDraft: the quote is no longer a draft, so it cannot change
	// (409).
	ErrNotDraft = errors.New("quote is not a draft")
	// ErrNotSubmitted: only a submitted quote can be accepted or rejected
	// (409).
	ErrNotSubmitted = errors.New("quote is not submitted")
	// ErrExpired: the quote is past its ValidUntil, so it can no longer be
	// accepted or rejected (409).
	ErrExpired = errors.New("quote has expired")
	// ErrChanged: the quote changed while it was being submitted, so the
	// prices found are not those of its lines any more; submitting again
	// prices the new lines (409).
	ErrChanged = errors.New("quote changed while it was being submitted")
	// ErrVersionMismatch: the quote is no longer at the version the
	// caller expected; someone changed it since the caller read it (412).
	ErrVersionMismatch = errors.New("quote changed since it was read")
	// ErrNoLines: a draft without lines cannot be submitted (409).
	ErrNoLines = errors.New("quote has no lines")
	// ErrMaterialUnavailable: a line's material cannot be quoted: unknown,
	// of another company, inactive, without a usable price, or priced in
	// another currency than the quote's first line (409). Steps return it
	// inside a *LineError that names the line.
	ErrMaterialUnavailable = errors.New("material unavailable")
	// ErrAmountOutOfRange: a price or total would be negative or above
	// MaxAmount (422). For one line it comes inside a *LineError.
	ErrAmountOutOfRange = errors.New("amount out of range")
	// ErrMaterialsUnreachable: the materials service did not answer about
	// a material quotes has no copy of, so that line cannot be priced
	// now; the Materials dependency returns an error wrapping it, and
	// trying later may work (503).
	ErrMaterialsUnreachable = errors.New("materials service unreachable")
)

// LineError is a failure about one line of a quote, so that a controller
// can point at it (#/lines/<Index>/...). errors.Is(err, Reason) holds, so
// a story's failure is still its declared reason.
type LineError struct {
	// Index is the line's position in the quote's lines, from 0.
	Index int
	// MaterialID is the line's material.
	MaterialID int64
	// Reason is the declared failure: ErrInvalidLine,
	// ErrMaterialUnavailable or ErrAmountOutOfRange.
	Reason error
	// Why says what is wrong, in words a client may read: it never tells
	// another company's material from a missing one.
	Why string
}

// Error says which line failed and why.
func (e *LineError) Error() string {
	return fmt.Sprintf("line %d (material %d): %v: %s", e.Index, e.MaterialID, e.Reason, e.Why)
}

// Unwrap returns the reason, so that errors.Is finds it.
func (e *LineError) Unwrap() error { return e.Reason }
