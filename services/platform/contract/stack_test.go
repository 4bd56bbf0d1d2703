package contract_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/access"
)

// Tokens the stub verifier knows.
const (
	readToken    = "reader-token"
	writeToken   = "writer-token"
	expiredToken = "expired-token"
	panicID      = 666
	bodyLimit    = 4 << 10
)

// verify stands in for services/auth: the contract middleware needs only
// its signature.
func verify(token string) (access.Caller, error) {
	switch token {
	case readToken:
		return access.Caller{Subject: "r", CompanyID: 7, Roles: []access.Role{access.External}, Scopes: []string{"materials:read"}}, nil
	case writeToken:
		return access.Caller{Subject: "w", Roles: []access.Role{access.Staff}, Scopes: []string{"materials:read", "materials:write"}}, nil
	case expiredToken:
		return access.Caller{}, fmt.Errorf("%w (exp 2026-11-22T08:00:00Z, kid dev-1)", auth.ErrExpired)
	case "":
		return access.Caller{}, auth.ErrMissing
	}
	return access.Caller{}, errors.New("jwt: token contains an invalid number of segments")
}

// stubServer answers every operation with fixed data, so that the tests
// see only what the edge and the generated code do.
type stubServer struct{ page []materials.Material }

var _ materials.StrictServerInterface = (*stubServer)(nil)

var stamp = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

func material(id int64) materials.Material {
	return materials.Material{Id: id, CompanyId: 7, Name: "10 mm Steel", Quality: "steel", Thickness: 10, IsActive: true, CreatedAt: stamp, UpdatedAt: stamp}
}

func (s *stubServer) ListMaterials(ctx context.Context, req materials.ListMaterialsRequestObject) (materials.ListMaterialsResponseObject, error) {
	if _, ok := request.CallerFrom(ctx); !ok {
		return nil, errors.New("no caller in context")
	}
	return materials.ListMaterials200JSONResponse{Items: s.page, Count: int64(len(s.page)), Limit: 20}, nil
}

func (s *stubServer) CreateMaterial(ctx context.Context, req materials.CreateMaterialRequestObject) (materials.CreateMaterialResponseObject, error) {
	m := material(43)
	m.Name, m.Quality, m.Thickness = req.Body.Name, req.Body.Quality, req.Body.Thickness
	loc := "/materials/43"
	return materials.CreateMaterial201JSONResponse{Body: m, Headers: materials.CreateMaterial201ResponseHeaders{Location: &loc}}, nil
}

func (s *stubServer) DeleteMaterial(ctx context.Context, req materials.DeleteMaterialRequestObject) (materials.DeleteMaterialResponseObject, error) {
	return materials.DeleteMaterial204Response{}, nil
}

func (s *stubServer) GetMaterial(ctx context.Context, req materials.GetMaterialRequestObject) (materials.GetMaterialResponseObject, error) {
	if req.MaterialId == panicID {
		panic("stub: material 666 is cursed")
	}
	if req.MaterialId == 500 {
		return nil, errors.New("sql: database is locked")
	}
	return materials.GetMaterial200JSONResponse{Body: material(req.MaterialId)}, nil
}

func (s *stubServer) UpdateMaterial(ctx context.Context, req materials.UpdateMaterialRequestObject) (materials.UpdateMaterialResponseObject, error) {
	return materials.UpdateMaterial200JSONResponse{Body: material(req.MaterialId)}, nil
}

// newContract prepares the materials contract with the stub verifier.
func newContract(tb testing.TB, logger *slog.Logger) *contract.Contract {
	return newContractVerifying(tb, logger, verify)
}

func newContractVerifying(tb testing.TB, logger *slog.Logger, verify func(string) (access.Caller, error)) *contract.Contract {
	tb.Helper()
	spec, err := materials.GetSpec()
	if err != nil {
		tb.Fatal(err)
	}
	c, err := contract.New(spec, contract.Options{Verify: verify, Logger: logger})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// newStack wires the edge, the contract and the generated handler the way
// package stack does: the contract on the chi group the generated routes
// are registered on.
func newStack(tb testing.TB, logger *slog.Logger) http.Handler {
	return newStackVerifying(tb, logger, verify)
}

func newStackVerifying(tb testing.TB, logger *slog.Logger, verify func(string) (access.Caller, error)) http.Handler {
	tb.Helper()
	c := newContractVerifying(tb, logger, verify)
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
		g.Use(c.Middleware)
		materials.HandlerWithOptions(strict, materials.ChiServerOptions{BaseRouter: g, ErrorHandlerFunc: c.ParamError})
	})
	return edge.Root(r)
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
