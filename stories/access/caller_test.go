package access_test

import (
	"testing"

	"github.com/charterhq/charter/stories/access"
)

func TestCaller(t *testing.T) {
	t.Run("a caller has only the roles it was given", func(t *testing.T) {
		c := access.Caller{Roles: []access.Role{access.External}}
		if !c.Has(access.External) {
			t.Error("Has(External) = false")
		}
		if c.Has(access.Staff) {
			t.Error("Has(Staff) = true")
		}
		if (access.Caller{}).Has(access.Staff) {
			t.Error("a caller without roles has the staff role")
		}
	})

}
