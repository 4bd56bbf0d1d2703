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
// with openapi3filter against op's prepared route, and appends one field
// error per invalid parameter value to fields.
func (c *Contract) validateParams(ctx context.Context, r *http.Request, op *operation, fields []problem.FieldError) []problem.FieldError {
	if op.primitives != nil {
		if fields, ok := c.validatePrimitives(r, op, fields); ok {
			return fields
		}
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
			fields = appendQueryErrors(fields, r.URL.RawQuery)
		}
		input.QueryParams = q
	}
	if err := openapi3filter.ValidateRequest(ctx, &input); err != nil {
		fields = appendFieldErrors(fields, "#", err)
	}
	return fields
}

// validateBody validates the body readBody left against op's schema for
// its media type and appends one field error per invalid value to fields.
// JSON bodies are validated here with the schema prepared at start; other
// media types go through openapi3filter's body decoders.
func (c *Contract) validateBody(ctx context.Context, r *http.Request, op *operation, body requestBody, fields []problem.FieldError) []problem.FieldError {
	if body.media == nil || len(body.data) == 0 {
		if op.body.Required {
			fields = append(fields, problem.FieldError{Pointer: "#", Detail: "a request body is required"})
		}
		return fields
	}
	if body.media.schema == nil {
		return fields
	}
	if body.media.json {
		if body.valid {
			return fields
		}
		if err := body.media.schema.VisitJSON(body.value, c.bodyOpt...); err != nil {
			fields = appendFieldErrors(fields, "#", err)
		}
		return fields
	}
	input := openapi3filter.RequestValidationInput{Request: r, Route: op.route, Options: c.filter}
	err := openapi3filter.ValidateRequestBody(ctx, &input, op.body)
	// ValidateRequestBody consumed the body it read; give the handler a
	// fresh copy.
	r.Body = io.NopCloser(bytes.NewReader(body.data))
	if err != nil {
		fields = appendFieldErrors(fields, "#", err)
	}
	return fields
}

// writeInvalid writes the 400 problem listing fields, one entry per field:
// kin-openapi reports each failed keyword, so a value can fail twice
// ("number must be more than 0", "number must be at least 0").
func writeInvalid(w http.ResponseWriter, r *http.Request, fields []problem.FieldError) {
	p := problem.New(http.StatusBadRequest, "The request does not match the contract.")
	p.Errors = mergeByPointer(fields)
	problem.Write(w, r, p)
}

// appendQueryErrors points at each pair of a query string that
// url.ParseQuery refuses: one with a semicolon, which Go no longer takes
// as a separator, or with a broken percent-encoding.
func appendQueryErrors(fields []problem.FieldError, rawQuery string) []problem.FieldError {
	for pair := range strings.SplitSeq(rawQuery, "&") {
		key, value, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(key)
		if err != nil {
			fields = append(fields, problem.FieldError{Pointer: "#/query", Detail: "a parameter name has a broken percent-encoding"})
			continue
		}
		switch {
		case strings.Contains(pair, ";"):
			fields = append(fields, problem.FieldError{Pointer: "#/query/" + escapePointer(strings.Split(name, ";")[0]),
				Detail: "must not contain a semicolon; encode it as %3B"})
		default:
			if _, err := url.QueryUnescape(value); err != nil {
				fields = append(fields, problem.FieldError{Pointer: "#/query/" + escapePointer(name), Detail: "has a broken percent-encoding"})
			}
		}
	}
	return fields
}

// mergeByPointer joins the details of entries with the same pointer,
// keeping the order in which pointers first appear.
func mergeByPointer(fields []problem.FieldError) []problem.FieldError {
	out := fields[:0:0]
	for _, f := range fields {
		merged := false
		for i := range out {
			if out[i].Pointer == f.Pointer {
				if !strings.Contains(out[i].Detail, f.Detail) {
					out[i].Detail += "; " + f.Detail
				}
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, f)
		}
	}
	return out
}
