// Package access says who is calling and what they may reach: the caller
// that authentication establishes and that every story is run with, and
// the permission filters that stories are injected with.
package access

import "slices"

// Role is a caller's role, as carried by its token's roles claim.
type Role string

const (
	// Staff sees and changes every company's data.
	Staff Role = "staff"
	// External belongs to one company and reaches only that company's data.
	External Role = "external"
)

// Caller is the authenticated party of a request.
type Caller struct {
	// Subject identifies the caller (the token's sub claim).
	Subject string
	// CompanyID is the caller's company; zero when the caller has none
	// (staff usually have none).
	CompanyID int64
	// Roles are the caller's roles.
	Roles []Role
	// Scopes are the scopes the token grants.
	Scopes []string
}

// Has reports whether the caller has role r.
func (c Caller) Has(r Role) bool { return slices.Contains(c.Roles, r) }
