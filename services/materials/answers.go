package materials

import (
	"net/http"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/services/platform/answer"
	domain "github.com/charterhq/charter/stories/materials"
)

// The details clients read. A material out of the caller's reach is
// reported exactly like a missing one, so that IDs do not leak.
const (
	forbiddenDetail = "Your token does not allow this on materials."
	notFoundDetail  = "No material with this ID exists."
	conflictDetail  = "Another material of this company already has this name."
	changedDetail   = "The material changed since it was read: If-Match does not hold its ETag. Read it again and apply the change to what you read."
)

var listAnswers = answer.Table[api.ListMaterialsResponseObject]{
	{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: forbiddenDetail,
		Respond: func(p shared.Problem) api.ListMaterialsResponseObject {
			return api.ListMaterials403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	{Reason: domain.ErrInvalidOrdering, Status: http.StatusBadRequest, Detail: "ordering is not a sortable field", Pointer: "#/query/ordering",
		Respond: func(p shared.Problem) api.ListMaterialsResponseObject {
			return api.ListMaterials400ApplicationProblemPlusJSONResponse{BadRequestApplicationProblemPlusJSONResponse: shared.BadRequestApplicationProblemPlusJSONResponse(p)}
		}},
}

var getAnswers = answer.Table[api.GetMaterialResponseObject]{
	{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: forbiddenDetail,
		Respond: func(p shared.Problem) api.GetMaterialResponseObject {
			return api.GetMaterial403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	{Reason: domain.ErrNotFound, Status: http.StatusNotFound, Detail: notFoundDetail,
		Respond: func(p shared.Problem) api.GetMaterialResponseObject {
			return api.GetMaterial404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
		}},
}

var createAnswers = answer.Table[api.CreateMaterialResponseObject]{
	{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: "Your token does not allow creating materials in this company.",
		Respond: func(p shared.Problem) api.CreateMaterialResponseObject {
			return api.CreateMaterial403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	// Who must name the company depends on the token, which no schema
	// can say: like every refusal that depends on the token, it is 403.
	{Reason: domain.ErrCompanyRequired, Status: http.StatusForbidden, Detail: "Staff create materials in the company they name: send company_id.", Pointer: "#/company_id",
		Respond: func(p shared.Problem) api.CreateMaterialResponseObject {
			return api.CreateMaterial403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	{Reason: domain.ErrConflict, Status: http.StatusConflict, Detail: conflictDetail,
		Respond: func(p shared.Problem) api.CreateMaterialResponseObject {
			return api.CreateMaterial409ApplicationProblemPlusJSONResponse{ConflictApplicationProblemPlusJSONResponse: api.ConflictApplicationProblemPlusJSONResponse(p)}
		}},
}

var updateAnswers = answer.Table[api.UpdateMaterialResponseObject]{
	{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: forbiddenDetail,
		Respond: func(p shared.Problem) api.UpdateMaterialResponseObject {
			return api.UpdateMaterial403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	{Reason: domain.ErrNotFound, Status: http.StatusNotFound, Detail: notFoundDetail,
		Respond: func(p shared.Problem) api.UpdateMaterialResponseObject {
			return api.UpdateMaterial404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
		}},
	{Reason: domain.ErrConflict, Status: http.StatusConflict, Detail: conflictDetail,
		Respond: func(p shared.Problem) api.UpdateMaterialResponseObject {
			return api.UpdateMaterial409ApplicationProblemPlusJSONResponse{ConflictApplicationProblemPlusJSONResponse: api.ConflictApplicationProblemPlusJSONResponse(p)}
		}},
	{Reason: domain.ErrVersionMismatch, Status: http.StatusPreconditionFailed, Detail: changedDetail,
		Respond: func(p shared.Problem) api.UpdateMaterialResponseObject {
			return api.UpdateMaterial412ApplicationProblemPlusJSONResponse{PreconditionFailedApplicationProblemPlusJSONResponse: shared.PreconditionFailedApplicationProblemPlusJSONResponse(p)}
		}},
}

var deleteAnswers = answer.Table[api.DeleteMaterialResponseObject]{
	{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: forbiddenDetail,
		Respond: func(p shared.Problem) api.DeleteMaterialResponseObject {
			return api.DeleteMaterial403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
		}},
	{Reason: domain.ErrNotFound, Status: http.StatusNotFound, Detail: notFoundDetail,
		Respond: func(p shared.Problem) api.DeleteMaterialResponseObject {
			return api.DeleteMaterial404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
		}},
	{Reason: domain.ErrVersionMismatch, Status: http.StatusPreconditionFailed, Detail: changedDetail,
		Respond: func(p shared.Problem) api.DeleteMaterialResponseObject {
			return api.DeleteMaterial412ApplicationProblemPlusJSONResponse{PreconditionFailedApplicationProblemPlusJSONResponse: shared.PreconditionFailedApplicationProblemPlusJSONResponse(p)}
		}},
}

// answerTables are the tables by operation, for the failure-mapping test.
var answerTables = map[string]answer.Checkable{
	"listMaterials": listAnswers, "getMaterial": getAnswers, "createMaterial": createAnswers,
	"updateMaterial": updateAnswers, "deleteMaterial": deleteAnswers,
}
