package quotes

import "github.com/charterhq/charter/stories/access"

// The permission filters. Every quote story that reaches quotes is built
// with one of them as its FilterOnPermissions dependency, and the two
// injectors of a story differ only in which: staff stories get
// StaffAccess, external stories get CompanyAccess. A filter answers one
// question, "what may this caller reach?", and every story applies the
// answer the same way: a list keeps to it, a story about one quote treats
// a quote outside it as missing, and a create puts the new quote inside
// it.
//
// What a caller may do to a quote it reaches is the story's own rule, not
// the injector's: accepting, rejecting and expiring are for staff only,
// whichever filter the story was wired with (see staffOnly).

// StaffAccess is the permission filter of staff, who reach every company's
// quotes: it returns f unchanged. Returns ErrForbidden for a caller without
// the staff role, so that a story wired for staff cannot be run for anyone
// else by mistake.
func StaffAccess(c access.Caller, f Filter) (Filter, error) {
	if !c.Has(access.Staff) {
		return Filter{}, ErrForbidden
	}
	return f, nil
}

// CompanyAccess is the permission filter of external callers, who reach
// only their own company's quotes: it returns f narrowed to the caller's
// company. Returns ErrForbidden for a caller without the external role or
// without a company, since such a caller has nothing it may reach.
func CompanyAccess(c access.Caller, f Filter) (Filter, error) {
	if !c.Has(access.External) || c.CompanyID == 0 {
		return Filter{}, ErrForbidden
	}
	f.CompanyID = c.CompanyID
	return f, nil
}

// staffOnly returns ErrForbidden unless c has the staff role. It is not a
// dependency: that only staff decide on quotes is a business rule, and a
// story wired with CompanyAccess by mistake must still refuse an external
// caller.
func staffOnly(c access.Caller) error {
	if !c.Has(access.Staff) {
		return ErrForbidden
	}
	return nil
}
