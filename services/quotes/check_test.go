package quotes_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/tools/check"
)

// contractTarget builds the whole quotes service in-process over the
// in-memory repository, pricing from a real materials service, and the
// checker's identity of a caller like base, named name: its tokens have
// the scopes the checker asks for. events has the checker read the events
// the service records (events_recorded).
func contractTarget(tb testing.TB) (target check.Target, identity func(name string, base access.Caller) check.Identity, events check.Option) {
	tb.Helper()
	s, h := buildSystem(tb)
	identity = func(name string, base access.Caller) check.Identity {
		mint := func(scopes []string) string {
			c := base
			c.Scopes = scopes
			return s.token(tb, c)
		}
		tenant := ""
		if base.CompanyID != 0 {
			tenant = fmt.Sprintf("company %d", base.CompanyID)
		}
		return check.Identity{Name: name, Tenant: tenant, Mint: mint}
	}
	return check.Handler(h), identity, check.WithEvents(check.FromOutbox(s.outbox), quotesevents.Validate)
}

// externalIdentities returns callers of ownCompany and otherCompany:
// what one creates, the other must neither reach nor see
// (tenant_isolation).
func externalIdentities(identity func(string, access.Caller) check.Identity) check.Option {
	return check.WithIdentities(
		identity("own", access.Caller{Subject: "check-external-own", CompanyID: ownCompany, Roles: []access.Role{access.External}}),
		identity("other", access.Caller{Subject: "check-external-other", CompanyID: otherCompany, Roles: []access.Role{access.External}}),
	)
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
// A valid request must never be refused as invalid (400 or 422): the
// rules the schema cannot say answer otherwise, as the spec documents. A
// submission of a draft without lines or of lines whose materials the
// company does not have (the checker draws material IDs at random) is
// 409, and a quote staff create without company_id is 403.
func TestServiceKeepsItsContract(t *testing.T) {
	callers := []struct {
		name       string
		identities func(func(string, access.Caller) check.Identity) check.Option
		isolated   bool
	}{
		{"as external callers of two companies", externalIdentities, true},
		{"as staff", func(identity func(string, access.Caller) check.Identity) check.Option {
			return check.WithIdentities(identity("staff", access.Caller{Subject: "check-staff", Roles: []access.Role{access.Staff}}))
		}, false},
	}
	for _, c := range callers {
		t.Run(c.name, func(t *testing.T) {
			target, identity, events := contractTarget(t)
			rep := check.Run(t, contractSpec(t), target, c.identities(identity), events)
			if got := rep.Results["getQuote"][check.TenantIsolated]; c.isolated && got != check.Passed {
				t.Errorf("%s on getQuote: %v, want passed", check.TenantIsolated, got)
			}
			// Walking every page of the list was checked.
			if got := rep.Results["listQuotes"][check.PagesComplete]; got != check.Passed {
				t.Errorf("%s on listQuotes: %v, want passed", check.PagesComplete, got)
			}
			// The writes that record events were checked for them.
			for _, op := range []string{"submitQuote", "createQuote", "getQuote"} {
				if got := rep.Results[op][check.EventsRecorded]; got != check.Passed {
					t.Errorf("%s on %s: %v, want passed", check.EventsRecorded, op, got)
				}
			}
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
		target, identity, events := contractTarget(b)
		rep, err := check.Execute(spec, target, externalIdentities(identity), events)
		if err != nil {
			b.Fatal(err)
		}
		requests += rep.Requests
		elapsed += rep.Elapsed
	}
	b.ReportMetric(float64(requests)/elapsed.Seconds(), "requests/s")
}
