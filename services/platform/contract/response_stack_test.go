package contract_test

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/edge"
)

// newCheckedStack is newStack with the responses checked as check says:
// the edge, the contract with its response check, and the generated
// strict handler over the stub.
func newCheckedStack(tb testing.TB, logger *slog.Logger, check contract.ResponseCheck) http.Handler {
	tb.Helper()
	c := newContract(tb, logger)
	page := make([]materials.Material, 20)
	for i := range page {
		page[i] = material(int64(i + 1))
	}
	strict := materials.NewStrictHandlerWithOptions(&stubServer{page: page}, nil, materials.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  c.RequestError,
		ResponseErrorHandlerFunc: c.ResponseError,
	})
	r := chi.NewRouter()
	r.Use(edge.AccessLog(logger), edge.Recover(logger), edge.BodyLimit(bodyLimit))
	r.NotFound(edge.NotFound)
	r.MethodNotAllowed(edge.MethodNotAllowed)
	r.Group(func(g chi.Router) {
		g.Use(c.Middleware, c.ValidateResponses(check))
		materials.HandlerWithOptions(strict, materials.ChiServerOptions{BaseRouter: g, ErrorHandlerFunc: c.ParamError})
	})
	return edge.Root(r)
}

// Every answer of the real stack keeps the materials contract: in Strict
// mode each HTTP case gets the answer it gets without the check, and no
// violation is reported. The problems (400, 401, 403, 415, 500, ...) match
// the documented Problem schema.
func TestStackKeepsTheContractInStrictMode(t *testing.T) {
	var got violations
	h := newCheckedStack(t, discardLogger(), contract.ResponseCheck{Mode: contract.Strict, OnViolation: got.record})
	for _, tc := range httpCases {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, h, tc) })
	}
	if len(got.err) > 0 {
		t.Errorf("the stack broke its contract: %q", got.err)
	}
}

// BenchmarkResponses measures the response check on the whole stack: a
// small JSON response (get), a page of twenty (list) and a create, with
// the check off, in Strict mode and sampling one response in a hundred.
func BenchmarkResponses(b *testing.B) {
	checks := []struct {
		name  string
		check contract.ResponseCheck
	}{
		{"off", contract.ResponseCheck{}},
		{"strict", contract.ResponseCheck{Mode: contract.Strict}},
		{"sampled-1%", contract.ResponseCheck{Mode: contract.Sampled, Rate: 0.01}},
	}
	for _, bc := range benchCases {
		for _, ch := range checks {
			h := newCheckedStack(b, discardLogger(), ch.check)
			b.Run(bc.name+"/"+ch.name, func(b *testing.B) { run(b, h, bc) })
		}
	}
}
