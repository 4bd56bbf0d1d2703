// Package answer maps the declared failures of a story to the documented
// problem responses of an operation, one table per operation, and checks
// from the spec that every operation has its table and every declared
// failure exactly one documented answer.
//
// A controller writes, per operation:
//
//	var getAnswers = answer.Table[api.GetThingResponseObject]{
//		{Reason: things.ErrNotFound, Status: 404, Detail: "No thing with this ID exists.",
//			Respond: func(p shared.Problem) api.GetThingResponseObject { return api.GetThing404ApplicationProblemPlusJSONResponse(p) }},
//	}
//
// and answers a story's error with getAnswers.Respond(ctx, err).
package answer

import (
	"context"
	"errors"
	"strconv"

	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/services/platform/edge"
	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/story"
)

// Answer is how one declared failure of a story answers an operation: the
// documented status, the problem the client reads, and the generated
// response type that carries it.
type Answer[R any] struct {
	// Reason is the story's declared failure this row answers.
	Reason error
	// Status is the documented status.
	Status int
	// Detail is what the client reads.
	Detail string
	// Pointer names the invalid field, for a failure about one field.
	Pointer string
	// Refine, when set, completes the problem from the story's error, for
	// a failure that says more than its reason (which line of a quote).
	Refine func(err error, p *shared.Problem)
	// Respond wraps the problem in the operation's response type.
	Respond func(shared.Problem) R
}

// Table is an operation's answers, one per declared failure.
type Table[R any] []Answer[R]

// Respond returns the answer to err, a story's error. An internal error
// (no declared reason) is returned as it is: the strict handler's response
// error handler logs it and answers 500 without its text.
func (t Table[R]) Respond(ctx context.Context, err error) (R, error) {
	var failed *story.Failed
	if errors.As(err, &failed) && failed.Reason != nil {
		for _, a := range t {
			if a.Reason == failed.Reason {
				return a.Respond(a.problem(ctx, err)), nil
			}
		}
	}
	var zero R
	return zero, err
}

func (a Answer[R]) problem(ctx context.Context, err error) shared.Problem {
	p := problem.New(a.Status, a.Detail)
	out := shared.Problem{Type: p.Type, Title: p.Title, Status: int32(p.Status), Detail: &p.Detail}
	// The document names the request as problem.Write does for the
	// edge's and the contract's answers.
	if path := edge.PathFrom(ctx); path != "" {
		out.Instance = &path
	}
	if id := request.IDFrom(ctx); id != "" {
		out.RequestId = &id
	}
	if a.Pointer != "" {
		out.Errors = &[]shared.FieldError{{Pointer: a.Pointer, Detail: a.Detail}}
	}
	if a.Refine != nil {
		a.Refine(err, &out)
	}
	return out
}

// RetryAfter is the Retry-After a 503 answer sends, in seconds: long
// enough for a breaker to try the peer again.
const RetryAfter = 5

// RetryAfterHeader is RetryAfter as the header's value.
var RetryAfterHeader = strconv.Itoa(RetryAfter)
