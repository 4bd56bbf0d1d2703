package materials_test

import (
	"errors"
	"testing"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/materials"
)

func TestPermissionFilters(t *testing.T) {
	active := ptr(true)
	both := access.Caller{CompanyID: 7, Roles: []access.Role{access.Staff, access.External}}
	for _, tc := range []struct {
		name    string
		filter  string
		caller  access.Caller
		want    materials.Filter
		wantErr error
	}{
		{"staff keep the filter as asked", "staff", staff, materials.Filter{IsActive: active}, nil},
		{"staff with a company still reach every company", "staff", both, materials.Filter{IsActive: active}, nil},
		{"an external caller is held to its company", "external", acme, materials.Filter{CompanyID: 1, IsActive: active}, nil},
		{"an external caller cannot widen its reach by asking for another company", "external", globex, materials.Filter{CompanyID: 2, IsActive: active}, nil},
		{"a caller with both roles is held to its company by the external filter", "external", both, materials.Filter{CompanyID: 7, IsActive: active}, nil},
		{"the staff filter forbids an external caller", "staff", acme, materials.Filter{}, materials.ErrForbidden},
		{"the staff filter forbids a caller with no role", "staff", nobody, materials.Filter{}, materials.ErrForbidden},
		{"the external filter forbids staff without the external role", "external", staff, materials.Filter{}, materials.ErrForbidden},
		{"the external filter forbids an external caller without a company", "external", homeless, materials.Filter{}, materials.ErrForbidden},
		{"the external filter forbids a caller with no role", "external", nobody, materials.Filter{}, materials.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The caller asks for another company; only staff get it.
			asked := materials.Filter{CompanyID: 9, IsActive: active}
			if tc.filter == "staff" && tc.wantErr == nil {
				tc.want.CompanyID = 9
			}
			got, err := filters[tc.filter](tc.caller, asked)
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
	m := materials.Material{CompanyID: 1, IsActive: true}
	for _, tc := range []struct {
		name string
		f    materials.Filter
		want bool
	}{
		{"the empty filter matches everything", materials.Filter{}, true},
		{"the material's company matches", materials.Filter{CompanyID: 1}, true},
		{"another company does not", materials.Filter{CompanyID: 2}, false},
		{"the material's flag matches", materials.Filter{IsActive: ptr(true)}, true},
		{"the other flag does not", materials.Filter{CompanyID: 1, IsActive: ptr(false)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.Matches(m); got != tc.want {
				t.Errorf("Matches = %v, want %v", got, tc.want)
			}
		})
	}
}
