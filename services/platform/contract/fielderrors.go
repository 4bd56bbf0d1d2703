package contract

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/charterhq/charter/services/platform/problem"
)

// appendFieldErrors turns a kin-openapi validation error into one field
// error per invalid value, each with a JSON pointer under prefix and a
// short reason, and appends them all to fields. A request's errors go
// through fieldList.collect instead, which stops at MaxFieldErrors.
func appendFieldErrors(fields []problem.FieldError, prefix string, err error) []problem.FieldError {
	eachFieldError(context.Background(), prefix, err, func(f problem.FieldError) bool {
		fields = append(fields, f)
		return true
	})
	return fields
}

// FieldErrors turns a kin-openapi validation error into one field error
// per invalid value, each with a JSON pointer into the value ("#/name")
// and a short reason that carries none of it: what a request's problem
// says, for other values checked against a schema, such as the payloads
// of events.
func FieldErrors(err error) []problem.FieldError {
	return appendFieldErrors(nil, "#", err)
}

// eachFieldError hands emit one field error per invalid value of
// kin-openapi's err, with a JSON pointer under prefix and a short reason,
// until emit returns false or ctx ends; it reports whether to go on. Only the
// reasons kin-openapi writes for clients are used (they never include the
// value, per openapi3.SchemaError), never the Error() strings, which name
// Go types and parse internals.
func eachFieldError(ctx context.Context, prefix string, err error, emit func(problem.FieldError) bool) bool {
	if ctx.Err() != nil {
		return false
	}
	var multi openapi3.MultiError
	if !isSchemaOrRequest(err) && errors.As(err, &multi) {
		for _, e := range multi {
			if !eachFieldError(ctx, prefix, e, emit) {
				return false
			}
		}
		return true
	}
	switch e := err.(type) {
	case *openapi3filter.RequestError:
		if p := e.Parameter; p != nil {
			prefix = "#/" + p.In + "/" + escapePointer(p.Name)
		}
		if e.Err == nil {
			return emit(problem.FieldError{Pointer: prefix, Detail: "is invalid"})
		}
		return eachFieldError(ctx, prefix, e.Err, emit)
	case *openapi3.SchemaError:
		return emit(schemaFieldError(prefix, e))
	case *openapi3filter.ParseError:
		return emit(problem.FieldError{Pointer: prefix, Detail: parseDetail(e)})
	}
	switch {
	case errors.Is(err, openapi3filter.ErrInvalidRequired):
		return emit(problem.FieldError{Pointer: prefix, Detail: "is required"})
	case errors.Is(err, openapi3filter.ErrInvalidEmptyValue):
		return emit(problem.FieldError{Pointer: prefix, Detail: "must not be empty"})
	}
	return emit(problem.FieldError{Pointer: prefix, Detail: "is invalid"})
}

// isSchemaOrRequest keeps errors.As from unwrapping a single error into
// the multi error it wraps before the switch can read its location.
func isSchemaOrRequest(err error) bool {
	switch err.(type) {
	case *openapi3filter.RequestError, *openapi3.SchemaError, *openapi3filter.ParseError:
		return true
	}
	return false
}

// schemaFieldError points at the value a schema error is about. An
// unsupported property is reported at the property itself rather than at
// the object holding it, so that a client can tie it to its field.
func schemaFieldError(prefix string, e *openapi3.SchemaError) problem.FieldError {
	var b strings.Builder
	b.WriteString(prefix)
	for _, seg := range e.JSONPointer() {
		b.WriteByte('/')
		b.WriteString(escapePointer(seg))
	}
	switch e.SchemaField {
	case "properties":
		// kin-openapi points a missing property at the property, but an
		// unsupported one at the object that holds it.
		if name, ok := quotedProperty(e.Reason); ok {
			b.WriteByte('/')
			b.WriteString(escapePointer(name))
		}
	}
	return problem.FieldError{Pointer: b.String(), Detail: schemaDetail(e)}
}

// schemaDetail is kin-openapi's reason, trimmed of the "value " that
// starts some of them: the pointer already says which value.
func schemaDetail(e *openapi3.SchemaError) string {
	reason := e.Reason
	if reason == "" {
		return "is invalid"
	}
	if rest, ok := strings.CutPrefix(reason, "value must be "); ok {
		return "must be " + rest
	}
	return reason
}

// quotedProperty takes the property name out of reasons such as
// `property "name" is missing`.
func quotedProperty(reason string) (string, bool) {
	rest, ok := strings.CutPrefix(reason, "property ")
	if !ok {
		return "", false
	}
	name, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", false
	}
	name, err = strconv.Unquote(name)
	return name, err == nil
}

// parseDetail describes a parameter value that does not parse as its
// schema's type.
func parseDetail(e *openapi3filter.ParseError) string {
	typ, isTyped := strings.CutPrefix(e.Reason, "an invalid ")
	if !isTyped {
		return "is not valid for its type"
	}
	if errors.Is(e.Cause, strconv.ErrRange) {
		return typ + " is out of range"
	}
	switch typ {
	case "integer":
		return "must be an integer"
	case "boolean":
		return "must be a boolean"
	}
	return "must be a " + typ
}

// escapePointer escapes one JSON pointer segment (RFC 6901).
func escapePointer(seg string) string {
	if !strings.ContainsAny(seg, "~/") {
		return seg
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(seg)
}
