package quotes_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/tools/check"
)

// contractTarget builds the whole quotes service in-process over the
// in-memory repository, pricing from a real materials service, and a
// factory of tokens for a caller like base with the scopes the checker
// asks for.
func contractTarget(tb testing.TB, base access.Caller) (check.Target, func([]string) string) {
	tb.Helper()
	s, h := buildSystem(tb)
	mint := func(scopes []string) string {
		c := base
		c.Scopes = scopes
		return s.token(tb, c)
	}
	return check.Handler(h), mint
}

// contractSpec loads api/quotes.yaml from its file, so that its $refs
// into shared/components.yaml resolve.
func contractSpec(tb testing.TB) *openapi3.T {
	tb.Helper()
	spec, err := check.LoadSpecFile("../../api/quotes.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return spec
}

// TestServiceKeepsItsContract runs every check of the property-based
// tester over the whole service: generated valid and invalid requests,
// auth, unsupported methods, and create/replace/delete sequences.
//
// Only 400 counts as rejecting a valid request. The rules the schema
// cannot say answer 422, as the spec documents: a submission of a draft
// without lines or of lines whose materials the company does not have
// (the checker draws material IDs at random), and, for staff, a quote
// created without company_id.
func TestServiceKeepsItsContract(t *testing.T) {
	callers := []struct {
		name string
		base access.Caller
	}{
		{"as an external caller", access.Caller{Subject: "check-external", CompanyID: ownCompany, Roles: []access.Role{access.External}}},
		{"as staff", access.Caller{Subject: "check-staff", Roles: []access.Role{access.Staff}}},
	}
	for _, c := range callers {
		t.Run(c.name, func(t *testing.T) {
			target, mint := contractTarget(t, c.base)
			rep := check.Run(t, contractSpec(t), target, check.WithTokenFactory(mint), check.WithRejectedStatuses(http.StatusBadRequest))
			if t.Failed() {
				var b strings.Builder
				rep.Summary(&b)
				t.Log("\n" + b.String())
			}
		})
	}
}

// BenchmarkContractCheck reports how many requests per second the checker
// sends through the whole service in-process, response validation on.
func BenchmarkContractCheck(b *testing.B) {
	spec := contractSpec(b)
	var requests int
	var elapsed time.Duration
	for b.Loop() {
		target, mint := contractTarget(b, access.Caller{Subject: "check-external", CompanyID: ownCompany, Roles: []access.Role{access.External}})
		rep, err := check.Execute(spec, target, check.WithTokenFactory(mint), check.WithRejectedStatuses(http.StatusBadRequest))
		if err != nil {
			b.Fatal(err)
		}
		requests += rep.Requests
		elapsed += rep.Elapsed
	}
	b.ReportMetric(float64(requests)/elapsed.Seconds(), "requests/s")
}
