package materials_test

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/tools/check"
)

// contractTarget builds the whole service in-process over the in-memory
// repository, and the checker's identity of a caller like base, named
// name: its tokens have the scopes the checker asks for. events has the
// checker read the events the service records (events_recorded).
func contractTarget(tb testing.TB) (target check.Target, identity func(name string, base access.Caller) check.Identity, events check.Option) {
	tb.Helper()
	cfg := auth.DevelopmentConfig()
	signer, err := auth.NewSigner(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	verifier, err := auth.NewVerifier(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	outbox := memory.NewOutbox()
	h, err := materials.NewHandler(materials.Options{
		Repository: memory.NewMaterials(),
		Events:     outbox,
		Verify:     verifier.Verify,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Checks:     checks.Policy{Mode: checks.Strict},
	})
	if err != nil {
		tb.Fatal(err)
	}
	identity = func(name string, base access.Caller) check.Identity {
		mint := func(scopes []string) string {
			c := base
			c.Scopes = scopes
			tok, err := signer.Sign(c, time.Hour)
			if err != nil {
				tb.Fatal(err)
			}
			return tok
		}
		tenant := ""
		if base.CompanyID != 0 {
			tenant = fmt.Sprintf("company %d", base.CompanyID)
		}
		return check.Identity{Name: name, Tenant: tenant, Mint: mint}
	}
	return check.Handler(h), identity, check.WithEvents(check.FromOutbox(outbox), materialsevents.Validate)
}

// externals are callers of two companies, 7 and 8: what one creates, the
// other must neither reach nor see (tenant_isolation).
var externals = []struct {
	name string
	base access.Caller
}{
	{"company7", access.Caller{Subject: "check-external-7", CompanyID: 7, Roles: []access.Role{access.External}}},
	{"company8", access.Caller{Subject: "check-external-8", CompanyID: 8, Roles: []access.Role{access.External}}},
}

// externalIdentities returns the identities of externals.
func externalIdentities(identity func(string, access.Caller) check.Identity) check.Option {
	var ids []check.Identity
	for _, e := range externals {
		ids = append(ids, identity(e.name, e.base))
	}
	return check.WithIdentities(ids...)
}

// contractSpec loads api/materials.yaml from its file, so that its $refs
// into shared/components.yaml resolve.
func contractSpec(tb testing.TB) *openapi3.T {
	tb.Helper()
	spec, err := check.LoadSpecFile("../../api/materials.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return spec
}

// TestServiceKeepsItsContract runs every check of the property-based
// tester over the whole service: generated valid and invalid requests,
// auth, unsupported methods, and create/update/delete sequences.
func TestServiceKeepsItsContract(t *testing.T) {
	t.Run("as external callers of two companies", func(t *testing.T) {
		target, identity, events := contractTarget(t)
		rep := check.Run(t, contractSpec(t), target, externalIdentities(identity), events)
		if got := rep.Results["getMaterial"][check.TenantIsolated]; got != check.Passed {
			t.Errorf("%s on getMaterial: %v, want passed", check.TenantIsolated, got)
		}
		// What an update changed was read back, and walking every page
		// of the list was checked.
		for op, c := range map[string]string{"updateMaterial": check.UpdatePersisted, "listMaterials": check.PagesComplete} {
			if got := rep.Results[op][c]; got != check.Passed {
				t.Errorf("%s on %s: %v, want passed", c, op, got)
			}
		}
		// Every write, and a read, was checked for the events it records.
		for _, op := range []string{"createMaterial", "updateMaterial", "deleteMaterial", "getMaterial"} {
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
	t.Run("as staff", func(t *testing.T) {
		// Staff must name the company of a new material, a rule that
		// depends on the token: the service answers 403, so that a
		// valid request is never refused as invalid (400 or 422).
		target, identity, events := contractTarget(t)
		staff := identity("staff", access.Caller{Subject: "check-staff", Roles: []access.Role{access.Staff}})
		check.Run(t, contractSpec(t), target, check.WithIdentities(staff), events)
	})
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
