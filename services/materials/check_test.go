package materials_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/tools/check"
)

// contractTarget builds the whole service in-process over the in-memory
// repository, and a factory of tokens for a caller like base with the
// scopes the checker asks for.
func contractTarget(tb testing.TB, base access.Caller) (check.Target, func([]string) string) {
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
	h, err := materials.NewHandler(materials.Options{
		Repository: memory.NewMaterials(),
		Verify:     verifier.Verify,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Responses:  contract.ResponseCheck{Mode: contract.Strict},
	})
	if err != nil {
		tb.Fatal(err)
	}
	mint := func(scopes []string) string {
		c := base
		c.Scopes = scopes
		tok, err := signer.Sign(c, time.Hour)
		if err != nil {
			tb.Fatal(err)
		}
		return tok
	}
	return check.Handler(h), mint
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
	t.Run("as an external caller", func(t *testing.T) {
		target, mint := contractTarget(t, access.Caller{Subject: "check-external", CompanyID: 7, Roles: []access.Role{access.External}})
		rep := check.Run(t, contractSpec(t), target, check.WithTokenFactory(mint))
		if t.Failed() {
			var b strings.Builder
			rep.Summary(&b)
			t.Log("\n" + b.String())
		}
	})
	t.Run("as staff", func(t *testing.T) {
		// Staff must name the company of a new material, a rule the
		// schema cannot say (company_id is optional for external
		// callers): the service answers 422, as the spec documents, so
		// only 400 counts as rejecting a valid request here.
		target, mint := contractTarget(t, access.Caller{Subject: "check-staff", Roles: []access.Role{access.Staff}})
		check.Run(t, contractSpec(t), target, check.WithTokenFactory(mint), check.WithRejectedStatuses(http.StatusBadRequest))
	})
}

// BenchmarkContractCheck reports how many requests per second the checker
// sends through the whole service in-process, response validation on.
func BenchmarkContractCheck(b *testing.B) {
	spec := contractSpec(b)
	var requests int
	var elapsed time.Duration
	for b.Loop() {
		target, mint := contractTarget(b, access.Caller{Subject: "check-external", CompanyID: 7, Roles: []access.Role{access.External}})
		rep, err := check.Execute(spec, target, check.WithTokenFactory(mint))
		if err != nil {
			b.Fatal(err)
		}
		requests += rep.Requests
		elapsed += rep.Elapsed
	}
	b.ReportMetric(float64(requests)/elapsed.Seconds(), "requests/s")
}
