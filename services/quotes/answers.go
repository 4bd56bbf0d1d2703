package quotes

import (
	"errors"
	"fmt"
	"net/http"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/services/platform/answer"
	domain "github.com/charterhq/charter/stories/quotes"
)

// The details clients read. A quote out of the caller's reach is reported
// exactly like a missing one, so that IDs do not leak.
const (
	forbiddenDetail   = "Your token does not allow this on quotes."
	notFoundDetail    = "No quote with this ID exists."
	notDraftDetail    = "Only a draft can be changed, deleted or submitted; this quote was submitted."
	notSubmitDetail   = "Only a submitted quote can be accepted or rejected."
	expiredDetail     = "This quote is past its validity and can no longer be accepted or rejected."
	changedDetail     = "The quote changed while it was being priced; submit it again."
	staleDetail       = "The quote changed since it was read: If-Match does not hold its ETag. Read it again and apply the change to what you read."
	unreachableDetail = "Prices come from the materials service, which cannot be reached now; try again shortly."
)

// lineProblem points a problem at the line a *domain.LineError names, at
// one of its fields when field is not empty.
func lineProblem(field string) func(error, *shared.Problem) {
	return func(err error, p *shared.Problem) {
		var le *domain.LineError
		if !errors.As(err, &le) {
			return
		}
		detail := fmt.Sprintf("line %d: %s", le.Index, le.Why)
		p.Detail = &detail
		pointer := fmt.Sprintf("#/lines/%d", le.Index)
		if field != "" {
			pointer += "/" + field
		}
		p.Errors = &[]shared.FieldError{{Pointer: pointer, Detail: le.Why}}
	}
}

// Each operation's answers, a row per declared failure of its story; the
// failure-mapping test checks them against the stories and the spec.
var (
	listAnswers = answer.Table[api.ListQuotesResponseObject]{
		{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: forbiddenDetail,
			Respond: func(p shared.Problem) api.ListQuotesResponseObject {
				return api.ListQuotes403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrInvalidOrdering, Status: http.StatusBadRequest, Detail: "ordering is not a sortable field", Pointer: "#/query/ordering",
			Respond: func(p shared.Problem) api.ListQuotesResponseObject {
				return api.ListQuotes400ApplicationProblemPlusJSONResponse{BadRequestApplicationProblemPlusJSONResponse: shared.BadRequestApplicationProblemPlusJSONResponse(p)}
			}},
	}

	getAnswers = answer.Table[api.GetQuoteResponseObject]{
		{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: forbiddenDetail,
			Respond: func(p shared.Problem) api.GetQuoteResponseObject {
				return api.GetQuote403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotFound, Status: http.StatusNotFound, Detail: notFoundDetail,
			Respond: func(p shared.Problem) api.GetQuoteResponseObject {
				return api.GetQuote404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
			}},
	}

	createAnswers = answer.Table[api.CreateQuoteResponseObject]{
		{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: "Your token does not allow creating quotes in this company.",
			Respond: func(p shared.Problem) api.CreateQuoteResponseObject {
				return api.CreateQuote403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
			}},
		// Who must name the company depends on the token, which no
		// schema can say: like every refusal that depends on the token,
		// it is 403.
		{Reason: domain.ErrCompanyRequired, Status: http.StatusForbidden, Detail: "Staff create quotes in the company they name: send company_id.", Pointer: "#/company_id",
			Respond: func(p shared.Problem) api.CreateQuoteResponseObject {
				return api.CreateQuote403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrInvalidLine, Status: http.StatusUnprocessableEntity, Detail: "A line is invalid.", Refine: lineProblem(""),
			Respond: func(p shared.Problem) api.CreateQuoteResponseObject {
				return api.CreateQuote422ApplicationProblemPlusJSONResponse{UnprocessableContentApplicationProblemPlusJSONResponse: shared.UnprocessableContentApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrTooManyLines, Status: http.StatusUnprocessableEntity, Detail: "A quote holds at most 100 lines.", Pointer: "#/lines",
			Respond: func(p shared.Problem) api.CreateQuoteResponseObject {
				return api.CreateQuote422ApplicationProblemPlusJSONResponse{UnprocessableContentApplicationProblemPlusJSONResponse: shared.UnprocessableContentApplicationProblemPlusJSONResponse(p)}
			}},
	}

	replaceLinesAnswers = answer.Table[api.ReplaceQuoteLinesResponseObject]{
		{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: forbiddenDetail,
			Respond: func(p shared.Problem) api.ReplaceQuoteLinesResponseObject {
				return api.ReplaceQuoteLines403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotFound, Status: http.StatusNotFound, Detail: notFoundDetail,
			Respond: func(p shared.Problem) api.ReplaceQuoteLinesResponseObject {
				return api.ReplaceQuoteLines404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotDraft, Status: http.StatusConflict, Detail: notDraftDetail,
			Respond: func(p shared.Problem) api.ReplaceQuoteLinesResponseObject {
				return api.ReplaceQuoteLines409ApplicationProblemPlusJSONResponse{WrongStateApplicationProblemPlusJSONResponse: api.WrongStateApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrInvalidLine, Status: http.StatusUnprocessableEntity, Detail: "A line is invalid.", Refine: lineProblem(""),
			Respond: func(p shared.Problem) api.ReplaceQuoteLinesResponseObject {
				return api.ReplaceQuoteLines422ApplicationProblemPlusJSONResponse{UnprocessableContentApplicationProblemPlusJSONResponse: shared.UnprocessableContentApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrTooManyLines, Status: http.StatusUnprocessableEntity, Detail: "A quote holds at most 100 lines.", Pointer: "#/lines",
			Respond: func(p shared.Problem) api.ReplaceQuoteLinesResponseObject {
				return api.ReplaceQuoteLines422ApplicationProblemPlusJSONResponse{UnprocessableContentApplicationProblemPlusJSONResponse: shared.UnprocessableContentApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrVersionMismatch, Status: http.StatusPreconditionFailed, Detail: staleDetail,
			Respond: func(p shared.Problem) api.ReplaceQuoteLinesResponseObject {
				return api.ReplaceQuoteLines412ApplicationProblemPlusJSONResponse{PreconditionFailedApplicationProblemPlusJSONResponse: shared.PreconditionFailedApplicationProblemPlusJSONResponse(p)}
			}},
	}

	deleteAnswers = answer.Table[api.DeleteQuoteResponseObject]{
		{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: forbiddenDetail,
			Respond: func(p shared.Problem) api.DeleteQuoteResponseObject {
				return api.DeleteQuote403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotFound, Status: http.StatusNotFound, Detail: notFoundDetail,
			Respond: func(p shared.Problem) api.DeleteQuoteResponseObject {
				return api.DeleteQuote404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotDraft, Status: http.StatusConflict, Detail: notDraftDetail,
			Respond: func(p shared.Problem) api.DeleteQuoteResponseObject {
				return api.DeleteQuote409ApplicationProblemPlusJSONResponse{WrongStateApplicationProblemPlusJSONResponse: api.WrongStateApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrVersionMismatch, Status: http.StatusPreconditionFailed, Detail: staleDetail,
			Respond: func(p shared.Problem) api.DeleteQuoteResponseObject {
				return api.DeleteQuote412ApplicationProblemPlusJSONResponse{PreconditionFailedApplicationProblemPlusJSONResponse: shared.PreconditionFailedApplicationProblemPlusJSONResponse(p)}
			}},
	}

	submitAnswers = answer.Table[api.SubmitQuoteResponseObject]{
		{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: forbiddenDetail,
			Respond: func(p shared.Problem) api.SubmitQuoteResponseObject {
				return api.SubmitQuote403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotFound, Status: http.StatusNotFound, Detail: notFoundDetail,
			Respond: func(p shared.Problem) api.SubmitQuoteResponseObject {
				return api.SubmitQuote404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotDraft, Status: http.StatusConflict, Detail: notDraftDetail,
			Respond: func(p shared.Problem) api.SubmitQuoteResponseObject {
				return api.SubmitQuote409ApplicationProblemPlusJSONResponse{WrongStateApplicationProblemPlusJSONResponse: api.WrongStateApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrChanged, Status: http.StatusConflict, Detail: changedDetail,
			Respond: func(p shared.Problem) api.SubmitQuoteResponseObject {
				return api.SubmitQuote409ApplicationProblemPlusJSONResponse{WrongStateApplicationProblemPlusJSONResponse: api.WrongStateApplicationProblemPlusJSONResponse(p)}
			}},
		// The submission itself is a valid request: what refuses it is
		// the draft as it is now, its lines against the materials as
		// they are now, which is 409 (RFC 9110, section 15.5.10).
		{Reason: domain.ErrNoLines, Status: http.StatusConflict, Detail: "A quote without lines cannot be submitted.", Pointer: "#/lines",
			Respond: func(p shared.Problem) api.SubmitQuoteResponseObject {
				return api.SubmitQuote409ApplicationProblemPlusJSONResponse{WrongStateApplicationProblemPlusJSONResponse: api.WrongStateApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrMaterialUnavailable, Status: http.StatusConflict, Detail: "A line's material cannot be quoted.", Refine: lineProblem("material_id"),
			Respond: func(p shared.Problem) api.SubmitQuoteResponseObject {
				return api.SubmitQuote409ApplicationProblemPlusJSONResponse{WrongStateApplicationProblemPlusJSONResponse: api.WrongStateApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrAmountOutOfRange, Status: http.StatusUnprocessableEntity, Detail: "A price or total is out of range.", Refine: lineProblem(""),
			Respond: func(p shared.Problem) api.SubmitQuoteResponseObject {
				return api.SubmitQuote422ApplicationProblemPlusJSONResponse{UnprocessableContentApplicationProblemPlusJSONResponse: shared.UnprocessableContentApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrMaterialsUnreachable, Status: http.StatusServiceUnavailable, Detail: unreachableDetail,
			Respond: func(p shared.Problem) api.SubmitQuoteResponseObject {
				after := answer.RetryAfter
				return api.SubmitQuote503ApplicationProblemPlusJSONResponse{ServiceUnavailableApplicationProblemPlusJSONResponse: shared.ServiceUnavailableApplicationProblemPlusJSONResponse{
					Body: p, Headers: shared.ServiceUnavailableResponseHeaders{RetryAfter: &after},
				}}
			}},
	}

	acceptAnswers = answer.Table[api.AcceptQuoteResponseObject]{
		{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: "Only staff accept quotes.",
			Respond: func(p shared.Problem) api.AcceptQuoteResponseObject {
				return api.AcceptQuote403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotFound, Status: http.StatusNotFound, Detail: notFoundDetail,
			Respond: func(p shared.Problem) api.AcceptQuoteResponseObject {
				return api.AcceptQuote404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotSubmitted, Status: http.StatusConflict, Detail: notSubmitDetail,
			Respond: func(p shared.Problem) api.AcceptQuoteResponseObject {
				return api.AcceptQuote409ApplicationProblemPlusJSONResponse{WrongStateApplicationProblemPlusJSONResponse: api.WrongStateApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrExpired, Status: http.StatusConflict, Detail: expiredDetail,
			Respond: func(p shared.Problem) api.AcceptQuoteResponseObject {
				return api.AcceptQuote409ApplicationProblemPlusJSONResponse{WrongStateApplicationProblemPlusJSONResponse: api.WrongStateApplicationProblemPlusJSONResponse(p)}
			}},
	}

	rejectAnswers = answer.Table[api.RejectQuoteResponseObject]{
		{Reason: domain.ErrForbidden, Status: http.StatusForbidden, Detail: "Only staff reject quotes.",
			Respond: func(p shared.Problem) api.RejectQuoteResponseObject {
				return api.RejectQuote403ApplicationProblemPlusJSONResponse{ForbiddenApplicationProblemPlusJSONResponse: shared.ForbiddenApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotFound, Status: http.StatusNotFound, Detail: notFoundDetail,
			Respond: func(p shared.Problem) api.RejectQuoteResponseObject {
				return api.RejectQuote404ApplicationProblemPlusJSONResponse{NotFoundApplicationProblemPlusJSONResponse: api.NotFoundApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrNotSubmitted, Status: http.StatusConflict, Detail: notSubmitDetail,
			Respond: func(p shared.Problem) api.RejectQuoteResponseObject {
				return api.RejectQuote409ApplicationProblemPlusJSONResponse{WrongStateApplicationProblemPlusJSONResponse: api.WrongStateApplicationProblemPlusJSONResponse(p)}
			}},
		{Reason: domain.ErrExpired, Status: http.StatusConflict, Detail: expiredDetail,
			Respond: func(p shared.Problem) api.RejectQuoteResponseObject {
				return api.RejectQuote409ApplicationProblemPlusJSONResponse{WrongStateApplicationProblemPlusJSONResponse: api.WrongStateApplicationProblemPlusJSONResponse(p)}
			}},
	}
)

// answerTables are the tables by operation, for the failure-mapping test.
var answerTables = map[string]answer.Checkable{
	"listQuotes": listAnswers, "getQuote": getAnswers, "createQuote": createAnswers,
	"replaceQuoteLines": replaceLinesAnswers, "deleteQuote": deleteAnswers, "submitQuote": submitAnswers,
	"acceptQuote": acceptAnswers, "rejectQuote": rejectAnswers,
}
