// Package materials provides the use cases of the sheet-metal materials a
// company quotes with: list, get, create, update and delete, each written
// as a story over a repository declared here.
package materials

import (
	"errors"
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
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Fields are the editable fields of a material.
type Fields struct {
	Name      string
	Quality   string
	Thickness float64
	IsActive  bool
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
)
