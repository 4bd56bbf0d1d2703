package materials

import "github.com/charterhq/charter/stories/access"

// The permission filters. Every material story is built with one of them as
// its FilterOnPermissions dependency, and the two injectors of a story differ
// only in which: staff stories get StaffAccess, external stories get
// CompanyAccess. A filter answers one question, "what may this caller
// reach?", and every story applies the answer the same way: a list keeps to
// it, a get, update or delete treats a material outside it as missing, and a
// create puts the new material inside it.

// StaffAccess is the permission filter of staff, who reach every company's
// materials: it returns f unchanged. Returns ErrForbidden for a caller
// without the staff role, so that a story wired for staff cannot be run
// for anyone else by mistake.
func StaffAccess(c access.Caller, f Filter) (Filter, error) {
	if !c.Has(access.Staff) {
		return Filter{}, ErrForbidden
	}
	return f, nil
}

// CompanyAccess is the permission filter of external callers, who reach
// only their own company's materials: it returns f narrowed to the caller's
// company. Returns ErrForbidden for a caller without the external role or
// without a company, since such a caller has nothing it may reach.
func CompanyAccess(c access.Caller, f Filter) (Filter, error) {
	if !c.Has(access.External) || c.CompanyID == 0 {
		return Filter{}, ErrForbidden
	}
	f.CompanyID = c.CompanyID
	return f, nil
}
