package check

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// The names of the checks, as WithChecks, WithoutChecks and --checks take
// them.
const (
	// NotServerError fails on any 5xx response.
	NotServerError = "not_5xx"
	// StatusDocumented fails on a status the operation does not list
	// (and that no range or default response covers). Undocumented
	// 5xx are left to not_5xx.
	StatusDocumented = "status_documented"
	// ContentType fails when a response with a body has a media type
	// its documented response does not list.
	ContentType = "content_type"
	// ResponseSchema fails when a response body does not match its
	// documented schema.
	ResponseSchema = "response_schema"
	// ResponseHeaders fails when a required documented response header
	// is missing or a documented one does not match its schema.
	ResponseHeaders = "response_headers"
	// InvalidRejected fails when a request that breaks exactly one
	// constraint of the spec, or has malformed JSON, gets no 4xx.
	InvalidRejected = "invalid_rejected"
	// ValidAccepted fails when a request that follows the spec is
	// answered 400 or 422 (see WithRejectedStatuses).
	ValidAccepted = "valid_accepted"
	// AuthEnforced fails when a protected operation answers a request
	// without a token or with a bad one other than 401, or a token
	// lacking a needed scope other than 403.
	AuthEnforced = "auth_enforced"
	// MethodNotAllowed fails when a method the path does not define
	// gets something other than 405.
	MethodNotAllowed = "method_not_allowed"
	// DeleteGone fails when a resource is still served after a
	// successful delete.
	DeleteGone = "delete_gone"
	// CreateFetchable fails when a resource cannot be fetched right
	// after a successful create.
	CreateFetchable = "create_fetchable"
	// UpdatePersisted fails when the GET right after a successful
	// update (PUT or PATCH) of an item does not show what the update
	// sent as it sent it, or shows a field the update left alone
	// changed (see runner.persisted).
	UpdatePersisted = "update_persisted"
	// PagesComplete fails when walking every page of a list, following
	// the API's paging (a next link, a cursor, an offset or a page
	// number), shows an item twice, or not every item: another number
	// of items than the count the pages give, or not one that the
	// sequence created (see runner.walk).
	PagesComplete = "pages_complete"
	// TenantIsolated fails when an identity reaches what an identity of
	// another tenant created: a get, a change or a delete of it answered
	// other than 404 or 403 (whichever the operation documents), or its
	// id in the first page of a list. It needs identities of two tenants
	// (WithIdentities).
	TenantIsolated = "tenant_isolation"
)

// Checks lists every check in the order reports show them.
func Checks() []string {
	return []string{NotServerError, StatusDocumented, ContentType, ResponseSchema, ResponseHeaders,
		InvalidRejected, ValidAccepted, AuthEnforced, MethodNotAllowed, DeleteGone, CreateFetchable, UpdatePersisted, PagesComplete, TenantIsolated, EventsRecorded}
}

// responseChecks are the checks every response goes through.
var responseChecks = []string{NotServerError, StatusDocumented, ContentType, ResponseSchema, ResponseHeaders, EventsRecorded}

// verdict is the outcome of one check on one response: ok, or why not.
type verdict struct {
	check string
	ok    bool
	why   string
}

func pass(check string) verdict { return verdict{check: check, ok: true} }

func fail(check, format string, args ...any) verdict {
	return verdict{check: check, why: fmt.Sprintf(format, args...)}
}

// conform runs the response checks on one response of o.
func (o *operation) conform(r Request, res *response) []verdict {
	out := make([]verdict, 0, len(responseChecks))
	if res.status >= 500 {
		out = append(out, fail(NotServerError, "server error %d: %s", res.status, snippet(res.body)))
	} else {
		out = append(out, pass(NotServerError))
	}
	if v, ok := o.eventsVerdict(res); ok {
		out = append(out, v)
	}
	doc := o.documented(res.status)
	if doc == nil && res.status >= 500 {
		// An undocumented 500 is one bug, reported by not_5xx.
		return out
	}
	if doc == nil {
		// Without a documented response the other checks have
		// nothing to compare against.
		return append(out, fail(StatusDocumented, "status %d is not documented for %s (body: %s)", res.status, o.id, snippet(res.body)))
	}
	out = append(out, pass(StatusDocumented))
	ct := res.header.Get("Content-Type")
	hasBody := len(bytes.TrimSpace(res.body)) > 0
	switch {
	case len(doc.Content) == 0 && hasBody:
		// A body on a response documented without one is a content
		// type nobody declared.
		out = append(out, fail(ContentType, "status %d has no documented body, got %q: %s", res.status, ct, snippet(res.body)))
		return out
	case len(doc.Content) > 0 && hasBody && doc.Content.Get(mediaType(ct)) == nil:
		out = append(out, fail(ContentType, "content type %q is not documented for status %d (documented: %v)", ct, res.status, contentTypes(doc.Content)))
		return out
	case len(doc.Content) > 0 && hasBody:
		out = append(out, pass(ContentType))
	}
	headers, schema := o.validate(r, res, doc)
	return append(out, headers, schema)
}

// validate checks the headers and the body with openapi3filter. The fast
// path validates both at once; only on an error does it look again to
// tell a header problem from a body problem.
func (o *operation) validate(r Request, res *response, doc *openapi3.Response) (headers, schema verdict) {
	err := o.validateResponse(r, res, false)
	if err == nil {
		return pass(ResponseHeaders), pass(ResponseSchema)
	}
	if herr := o.validateResponse(r, res, true); herr != nil {
		return fail(ResponseHeaders, "%v", herr), o.validateBody(res, doc)
	}
	return pass(ResponseHeaders), fail(ResponseSchema, "%v\nbody: %s", err, snippet(res.body))
}

func (o *operation) validateResponse(r Request, res *response, headersOnly bool) error {
	req, _ := http.NewRequest(r.Method, r.Target, nil)
	opts := &openapi3filter.Options{ExcludeResponseBody: headersOnly, IncludeResponseStatus: true, MultiError: false}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, Route: o.route, Options: opts},
		Status:                 res.status,
		Header:                 res.header,
		Body:                   io.NopCloser(bytes.NewReader(res.body)),
		Options:                opts,
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// validateBody checks the body alone, for when a header problem hides
// the body's verdict from ValidateResponse.
func (o *operation) validateBody(res *response, doc *openapi3.Response) verdict {
	mt := doc.Content.Get(mediaType(res.header.Get("Content-Type")))
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return pass(ResponseSchema)
	}
	var v any
	if err := json.Unmarshal(res.body, &v); err != nil {
		return fail(ResponseSchema, "body is not JSON: %v", err)
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.VisitAsResponse()); err != nil {
		return fail(ResponseSchema, "response body doesn't match schema: %v", err)
	}
	return pass(ResponseSchema)
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ct
	}
	return mt
}

func contentTypes(c openapi3.Content) []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// snippet shortens a body for messages.
func snippet(b []byte) string {
	const n = 300
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}
