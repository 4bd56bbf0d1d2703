package quotes_test

import (
	"errors"
	"testing"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
)

func TestPermissionFilters(t *testing.T) {
	both := access.Caller{CompanyID: 7, Roles: []access.Role{access.Staff, access.External}}
	for _, tc := range []struct {
		name    string
		filter  string
		caller  access.Caller
		want    quotes.Filter
		wantErr error
	}{
		{"staff keep the filter as asked", "staff", staff, quotes.Filter{CompanyID: 9, State: quotes.Draft}, nil},
		{"staff with a company still reach every company", "staff", both, quotes.Filter{CompanyID: 9, State: quotes.Draft}, nil},
		{"an external caller is held to its company", "external", acme, quotes.Filter{CompanyID: 1, State: quotes.Draft}, nil},
		{"an external caller cannot widen its reach by asking for another company", "external", globex, quotes.Filter{CompanyID: 2, State: quotes.Draft}, nil},
		{"a caller with both roles is held to its company by the external filter", "external", both, quotes.Filter{CompanyID: 7, State: quotes.Draft}, nil},
		{"the staff filter forbids an external caller", "staff", acme, quotes.Filter{}, quotes.ErrForbidden},
		{"the staff filter forbids a caller with no role", "staff", nobody, quotes.Filter{}, quotes.ErrForbidden},
		{"the external filter forbids staff without the external role", "external", staff, quotes.Filter{}, quotes.ErrForbidden},
		{"the external filter forbids an external caller without a company", "external", homeless, quotes.Filter{}, quotes.ErrForbidden},
		{"the external filter forbids a caller with no role", "external", nobody, quotes.Filter{}, quotes.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The caller asks for another company; only staff get it.
			got, err := filters[tc.filter](tc.caller, quotes.Filter{CompanyID: 9, State: quotes.Draft})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("filter %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestFilterMatches(t *testing.T) {
	q := quotes.Quote{CompanyID: 1, State: quotes.Submitted}
	for _, tc := range []struct {
		name string
		f    quotes.Filter
		want bool
	}{
		{"the empty filter matches everything", quotes.Filter{}, true},
		{"the quote's company matches", quotes.Filter{CompanyID: 1}, true},
		{"another company does not", quotes.Filter{CompanyID: 2}, false},
		{"the quote's state matches", quotes.Filter{State: quotes.Submitted}, true},
		{"another state does not", quotes.Filter{CompanyID: 1, State: quotes.Draft}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.Matches(q); got != tc.want {
				t.Errorf("Matches = %v, want %v", got, tc.want)
			}
		})
	}
}
