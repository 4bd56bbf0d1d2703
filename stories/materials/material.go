// Package materials provides the use cases of the sheet-metal materials a
// company quotes with: list, get, create, update and delete, each written
// as a story over a repository declared here.
package materials

import (
	"errors"
	"fmt"
	"time"
)

// Material is a sheet-metal material of one company.
type Material struct {
	ID        int64
	CompanyID int64
	Name      string
	Quality   string
	// Thickness is in millimetres.
	Thickness float64
	IsActive  bool
	// Price is what one square metre of the sheet costs at its thickness,
	// the figure quotes are priced from; nil until someone sets one, as
	// for every material created before materials had prices.
	Price     *Money
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version counts the writes to the material: 1 when it is created,
	// one more with every update. A client that sends back the version it
	// read (as an ETag) changes the material only if nobody changed it
	// since.
	Version int64
}

// Fields are the editable fields of a material.
type Fields struct {
	Name      string
	Quality   string
	Thickness float64
	IsActive  bool
	// Price, when not nil, replaces the price per square metre; nil keeps
	// the current one, so that a client that knows nothing of prices can
	// update a material without erasing its price. A price can be
	// changed but not removed.
	Price *Money
}

// Money is an amount in the minor unit of its currency (cents for EUR),
// never a float, so that what quotes add up from it is exact.
type Money struct {
	// Amount is in minor units and never negative.
	Amount int64
	// Currency is an ISO 4217 code such as "EUR".
	Currency string
}

// check returns an error when m is not a price: a negative amount or a
// currency that is not three upper-case letters. The contract refuses
// both before a story runs, so a story that meets one was called with
// input no client can send; it fails internally rather than with a
// declared reason, which would need an answer the contract does not
// document.
func (m Money) check() error {
	if m.Amount < 0 {
		return fmt.Errorf("materials: price amount %d is negative", m.Amount)
	}
	if !isCurrencyCode(m.Currency) {
		return fmt.Errorf("materials: price currency %q is not an ISO 4217 code", m.Currency)
	}
	return nil
}

// isCurrencyCode reports whether code has the shape of an ISO 4217 code:
// three upper-case ASCII letters. Whether the code is assigned is left to
// the clients: the list changes, and an unknown code harms no sum.
func isCurrencyCode(code string) bool {
	if len(code) != 3 {
		return false
	}
	for i := range len(code) {
		if code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return true
}

// checkPrice checks a price that may be absent.
func checkPrice(p *Money) error {
	if p == nil {
		return nil
	}
	return p.check()
}

// Errors returned by repositories, and declared as failure reasons by the
// stories that can meet them.
var (
	// ErrNotFound: no material with this ID exists that the caller may see.
	ErrNotFound = errors.New("material not found")
	// ErrConflict: another material of the same company has this name.
	ErrConflict = errors.New("material name already used in this company")
	// ErrForbidden: the caller may not do this at all.
	ErrForbidden = errors.New("forbidden")
	// ErrCompanyRequired: staff must name the company of a new material.
	ErrCompanyRequired = errors.New("company_id is required")
	// ErrInvalidOrdering: the ordering is not one of the sortable fields.
	ErrInvalidOrdering = errors.New("invalid ordering")
	// ErrVersionMismatch: the material is no longer at the version the
	// caller expected; someone changed it since the caller read it.
	ErrVersionMismatch = errors.New("material changed since it was read")
)
