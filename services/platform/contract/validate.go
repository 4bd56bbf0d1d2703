package contract

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/problem"
)

// validateParams validates r's path, query, header and cookie parameters
// with openapi3filter against op's prepared route, and adds one field
// error per invalid parameter value to list.
func (c *Contract) validateParams(ctx context.Context, r *http.Request, op *operation, list *fieldList) {
	if op.primitives != nil && c.validatePrimitives(r, op, list) {
		return
	}
	input := openapi3filter.RequestValidationInput{
		Request: r,
		Route:   op.route,
		Options: c.filter,
	}
	if len(op.pathParams) > 0 {
		input.PathParams = make(map[string]string, len(op.pathParams))
		for _, name := range op.pathParams {
			// chi's router already matched these; kin-openapi must not
			// match the path a second time.
			input.PathParams[name] = pathValue(r, chi.URLParam(r, name))
		}
	}
	if op.query {
		// Parsed here rather than by kin-openapi because url.Values drops
		// a pair it cannot parse, such as "ordering=name;DROP TABLE",
		// without a word: the client must hear of it.
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			addQueryErrors(list, r.URL.RawQuery)
		}
		input.QueryParams = q
	}
	list.addAll(paramSyntaxErrors(r, op, input.QueryParams))
	if list.full() || ctx.Err() != nil {
		return
	}
	if err := openapi3filter.ValidateRequest(ctx, &input); err != nil {
		list.collect(ctx, "#", err)
	}
}

// validateBody validates the body readBody left against op's schema for
// its media type and adds one field error per invalid value to list.
// JSON bodies are validated here with the schema prepared at start; other
// media types go through openapi3filter's body decoders. It does nothing
// once the list is full or ctx has ended.
func (c *Contract) validateBody(ctx context.Context, r *http.Request, op *operation, body requestBody, list *fieldList) {
	if list.full() || ctx.Err() != nil {
		return
	}
	if body.media == nil || len(body.data) == 0 {
		if op.body.Required {
			list.add(problem.FieldError{Pointer: "#", Detail: "a request body is required"})
		}
		return
	}
	if body.media.schema == nil {
		return
	}
	if body.media.json {
		if body.valid {
			return
		}
		body.media.walk.walk(ctx, body.value, "#", c.bodyOpt, list)
		return
	}
	input := openapi3filter.RequestValidationInput{Request: r, Route: op.route, Options: c.filter}
	err := openapi3filter.ValidateRequestBody(ctx, &input, op.body)
	// ValidateRequestBody consumed the body it read; give the handler a
	// fresh copy.
	r.Body = io.NopCloser(bytes.NewReader(body.data))
	if err != nil {
		list.collect(ctx, "#", err)
	}
}

// addQueryErrors points at each pair of a query string that
// url.ParseQuery refuses: one with a semicolon, which Go no longer takes
// as a separator, or with a broken percent-encoding. It stops when the
// list is full.
func addQueryErrors(list *fieldList, rawQuery string) {
	for pair := range strings.SplitSeq(rawQuery, "&") {
		key, value, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(key)
		var f problem.FieldError
		switch {
		case err != nil:
			f = problem.FieldError{Pointer: "#/query", Detail: "a parameter name has a broken percent-encoding"}
		case strings.Contains(pair, ";"):
			first, _, _ := strings.Cut(name, ";")
			f = problem.FieldError{Pointer: "#/query/" + escapePointer(first),
				Detail: "must not contain a semicolon; encode it as %3B"}
		default:
			if _, err := url.QueryUnescape(value); err == nil {
				continue
			}
			f = problem.FieldError{Pointer: "#/query/" + escapePointer(name), Detail: "has a broken percent-encoding"}
		}
		if !list.add(f) {
			return
		}
	}
}
