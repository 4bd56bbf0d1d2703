package materials

import (
	"context"
	"errors"
	"net/http"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// answer is how one declared failure of a story answers an operation: the
// documented status, the problem the client reads, and the generated
// response type that carries it.
type answer[R any] struct {
	reason  error
	status  int
	detail  string
	pointer string // the invalid field, for failures about one field
	respond func(shared.Problem) R
}

// answers is an operation's table of failure answers. The failure-mapping
// test checks that every declared failure of the operation's story has
// exactly one row and that its status is documented for the operation.
type answers[R any] []answer[R]

// respond returns the answer to err, a story's error. An internal error
// (no declared reason) is returned as it is: the strict handler's response
// error handler logs it and answers 500 without its text.
func (as answers[R]) respond(ctx context.Context, err error) (R, error) {
	var failed *story.Failed
	if errors.As(err, &failed) && failed.Reason != nil {
		for _, a := range as {
			if a.reason == failed.Reason {
				return a.respond(a.problem(ctx)), nil
			}
		}
	}
	var zero R
	return zero, err
}

func (a answer[R]) problem(ctx context.Context) shared.Problem {
	p := problem.New(a.status, a.detail)
	out := shared.Problem{Type: p.Type, Title: p.Title, Status: int32(p.Status), Detail: &p.Detail}
	if id := request.IDFrom(ctx); id != "" {
		out.RequestId = &id
	}
	if a.pointer != "" {
		out.Errors = &[]shared.FieldError{{Pointer: a.pointer, Detail: a.detail}}
	}
	return out
}

// The details clients read. A material out of the caller's reach is
// reported exactly like a missing one, so that IDs do not leak.
const (
	forbiddenDetail = "Your token does not allow this on materials."
	notFoundDetail  = "No material with this ID exists."
	conflictDetail  = "Another material of this company already has this name."
)

var listAnswers = answers[api.ListMaterialsResponseObject]{
	{reason: materials.ErrForbidden, status: http.StatusForbidden, detail: forbiddenDetail,
		respond: func(p shared.Problem) api.ListMaterialsResponseObject {
			return api.ListMaterials403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	{reason: materials.ErrInvalidOrdering, status: http.StatusBadRequest, detail: "ordering is not a sortable field", pointer: "#/query/ordering",
		respond: func(p shared.Problem) api.ListMaterialsResponseObject {
			return api.ListMaterials400ApplicationProblemPlusJSONResponse{BadRequestApplicationProblemPlusJSONResponse: shared.BadRequestApplicationProblemPlusJSONResponse(p)}
		}},
}

var getAnswers = answers[api.GetMaterialResponseObject]{
	{reason: materials.ErrForbidden, status: http.StatusForbidden, detail: forbiddenDetail,
		respond: func(p shared.Problem) api.GetMaterialResponseObject {
			return api.GetMaterial403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	{reason: materials.ErrNotFound, status: http.StatusNotFound, detail: notFoundDetail,
		respond: func(p shared.Problem) api.GetMaterialResponseObject {
			return api.GetMaterial404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
		}},
}

var createAnswers = answers[api.CreateMaterialResponseObject]{
	{reason: materials.ErrForbidden, status: http.StatusForbidden, detail: "Your token does not allow creating materials in this company.",
		respond: func(p shared.Problem) api.CreateMaterialResponseObject {
			return api.CreateMaterial403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	{reason: materials.ErrCompanyRequired, status: http.StatusUnprocessableEntity, detail: "required for staff", pointer: "#/company_id",
		respond: func(p shared.Problem) api.CreateMaterialResponseObject {
			return api.CreateMaterial422ApplicationProblemPlusJSONResponse{UnprocessableContentApplicationProblemPlusJSONResponse: shared.UnprocessableContentApplicationProblemPlusJSONResponse(p)}
		}},
	{reason: materials.ErrConflict, status: http.StatusConflict, detail: conflictDetail,
		respond: func(p shared.Problem) api.CreateMaterialResponseObject {
			return api.CreateMaterial409ApplicationProblemPlusJSONResponse{ConflictApplicationProblemPlusJSONResponse: api.ConflictApplicationProblemPlusJSONResponse(p)}
		}},
}

var updateAnswers = answers[api.UpdateMaterialResponseObject]{
	{reason: materials.ErrForbidden, status: http.StatusForbidden, detail: forbiddenDetail,
		respond: func(p shared.Problem) api.UpdateMaterialResponseObject {
			return api.UpdateMaterial403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	{reason: materials.ErrNotFound, status: http.StatusNotFound, detail: notFoundDetail,
		respond: func(p shared.Problem) api.UpdateMaterialResponseObject {
			return api.UpdateMaterial404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
		}},
	{reason: materials.ErrConflict, status: http.StatusConflict, detail: conflictDetail,
		respond: func(p shared.Problem) api.UpdateMaterialResponseObject {
			return api.UpdateMaterial409ApplicationProblemPlusJSONResponse{ConflictApplicationProblemPlusJSONResponse: api.ConflictApplicationProblemPlusJSONResponse(p)}
		}},
}

var deleteAnswers = answers[api.DeleteMaterialResponseObject]{
	{reason: materials.ErrForbidden, status: http.StatusForbidden, detail: forbiddenDetail,
		respond: func(p shared.Problem) api.DeleteMaterialResponseObject {
			return api.DeleteMaterial403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	{reason: materials.ErrNotFound, status: http.StatusNotFound, detail: notFoundDetail,
		respond: func(p shared.Problem) api.DeleteMaterialResponseObject {
			return api.DeleteMaterial404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
		}},
}
