package contract

import (
	"errors"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/charterhq/charter/services/platform/problem"
)

// appendFieldErrors turns a kin-openapi validation error into one field
// error per invalid value, each with a JSON pointer under prefix and a
// short reason. Only the reasons kin-openapi writes for clients are used
// (they never include the value, per openapi3.SchemaError), never the
// Error() strings, which name Go types and parse internals.
func appendFieldErrors(fields []problem.FieldError, prefix string, err error) []problem.FieldError {
	var multi openapi3.MultiError
	if errors.As(err, &multi) && !isSchemaOrRequest(err) {
		for _, e := range multi {
			fields = appendFieldErrors(fields, prefix, e)
		}
		return fields
	}
	switch e := err.(type) {
	case *openapi3filter.RequestError:
		if p := e.Parameter; p != nil {
			prefix = "#/" + p.In + "/" + escapePointer(p.Name)
		}
		if e.Err == nil {
			return append(fields, problem.FieldError{Pointer: prefix, Detail: "is invalid"})
		}
		return appendFieldErrors(fields, prefix, e.Err)
	case *openapi3.SchemaError:
		return append(fields, schemaFieldError(prefix, e))
	case *openapi3filter.ParseError:
		return append(fields, problem.FieldError{Pointer: prefix, Detail: parseDetail(e)})
	}
	switch {
	case errors.Is(err, openapi3filter.ErrInvalidRequired):
		return append(fields, problem.FieldError{Pointer: prefix, Detail: "is required"})
	case errors.Is(err, openapi3filter.ErrInvalidEmptyValue):
		return append(fields, problem.FieldError{Pointer: prefix, Detail: "must not be empty"})
	}
	return append(fields, problem.FieldError{Pointer: prefix, Detail: "is invalid"})
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
