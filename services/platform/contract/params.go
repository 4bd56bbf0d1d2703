package contract

import (
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/problem"
)

// param is a parameter whose value is one primitive (integer, number,
// boolean or string) in the default style: the common case, which the
// middleware decodes itself and validates with the parameter's schema,
// exactly as openapi3filter would, without openapi3filter's per-request
// work (a validation input, a path-parameter map, a serialization method
// and a query map per request). Any other parameter sends its operation
// through openapi3filter.ValidateRequest.
type param struct {
	name       string
	in         string
	header     string // canonical header key, for in == header
	pointer    string // "#/query/limit"
	required   bool
	allowEmpty bool
	typ        string // integer, number, boolean or string
	bits       int    // 32 or 64 for integers
	schema     *openapi3.Schema
	// seen keeps the verdicts of values validated before; a pointer so
	// that a param can be copied while it is prepared.
	seen *verdicts
	// missing is the verdict on a required parameter left out.
	missing []problem.FieldError
}

// primitiveParam prepares p for the fast path, or reports that it needs
// openapi3filter.
func primitiveParam(p *openapi3.Parameter) (param, bool) {
	if p.Content != nil || p.Schema == nil || p.Schema.Value == nil {
		return param{}, false
	}
	s := p.Schema.Value
	if s.Type == nil || len(s.Type.Slice()) != 1 {
		return param{}, false
	}
	typ := s.Type.Slice()[0]
	switch typ {
	case openapi3.TypeInteger, openapi3.TypeNumber, openapi3.TypeBoolean, openapi3.TypeString:
	default:
		return param{}, false
	}
	switch p.In {
	case openapi3.ParameterInPath, openapi3.ParameterInHeader:
		if p.Style != "" && p.Style != openapi3.SerializationSimple {
			return param{}, false
		}
	case openapi3.ParameterInQuery:
		if p.Style != "" && p.Style != openapi3.SerializationForm {
			return param{}, false
		}
	default:
		return param{}, false
	}
	pointer := "#/" + p.In + "/" + escapePointer(p.Name)
	bits := 64
	if s.Format == "int32" {
		bits = 32
	}
	return param{
		name:       p.Name,
		in:         p.In,
		header:     textproto.CanonicalMIMEHeaderKey(p.Name),
		pointer:    pointer,
		required:   p.Required,
		allowEmpty: p.AllowEmptyValue,
		typ:        typ,
		bits:       bits,
		schema:     s,
		seen:       &verdicts{},
		missing:    []problem.FieldError{{Pointer: pointer, Detail: "is required"}},
	}, true
}

// validatePrimitives validates op's primitive parameters and adds their
// errors to list. It returns false, having done nothing, when the query
// string needs decoding that only url.ParseQuery does (escapes, '+', ';'):
// openapi3filter takes over.
func (c *Contract) validatePrimitives(r *http.Request, op *operation, list *fieldList) bool {
	if op.query && strings.ContainsAny(r.URL.RawQuery, "%+;") {
		return false
	}
	var rctx *chi.Context
	for i := range op.primitives {
		p := &op.primitives[i]
		var raw string
		var found bool
		switch p.in {
		case openapi3.ParameterInPath:
			if rctx == nil {
				rctx = chi.RouteContext(r.Context())
			}
			if rctx != nil {
				raw, found = pathValue(r, rctx.URLParam(p.name)), true
			}
		case openapi3.ParameterInQuery:
			raw, found = queryValue(r.URL.RawQuery, p.name)
		case openapi3.ParameterInHeader:
			if v := r.Header[p.header]; len(v) > 0 {
				raw, found = v[0], true
			}
		}
		if !list.addAll(c.validatePrimitive(p, raw, found)) {
			break
		}
	}
	return true
}

// validatePrimitive checks one value as openapi3filter.ValidateParameter
// does: presence, emptiness, type, then the schema, remembering the
// verdict for the raw value. It returns the value's field errors, which
// the caller must not change: they may be the remembered verdict.
func (c *Contract) validatePrimitive(p *param, raw string, found bool) []problem.FieldError {
	if !found {
		if p.required {
			return p.missing
		}
		return nil
	}
	if errs, ok := p.seen.get(raw); ok {
		return errs
	}
	verdict := c.validateValue(p, raw, nil)
	p.seen.put(raw, verdict)
	return verdict
}

// validateValue checks one present value: emptiness, type, then schema.
//
// An empty value (?name=) is the parameter present with the empty string
// as its value, as openapi3filter reads it: a string parameter takes it
// when its schema does (no minLength, pattern or enum that refuses ""),
// and an integer, number or boolean cannot be empty. A parameter that
// allows empty values (allowEmptyValue) takes one as unused, whatever its
// schema. An empty header stays refused as before: openapi3filter reads
// it as a header not sent.
func (c *Contract) validateValue(p *param, raw string, fields []problem.FieldError) []problem.FieldError {
	if raw == "" && (p.allowEmpty || p.typ != openapi3.TypeString || p.in != openapi3.ParameterInQuery) {
		if !p.allowEmpty {
			fields = append(fields, problem.FieldError{Pointer: p.pointer, Detail: "must not be empty"})
		}
		return fields
	}
	if detail := paramSyntaxDetail(p.typ, raw); detail != "" {
		return append(fields, problem.FieldError{Pointer: p.pointer, Detail: detail})
	}
	var value any
	switch p.typ {
	case openapi3.TypeInteger:
		n, err := strconv.ParseInt(raw, 10, p.bits)
		if err != nil {
			return append(fields, problem.FieldError{Pointer: p.pointer, Detail: numberDetail(err, "integer", "must be an integer")})
		}
		if p.bits == 32 {
			value = int32(n)
		} else {
			value = n
		}
	case openapi3.TypeNumber:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return append(fields, problem.FieldError{Pointer: p.pointer, Detail: numberDetail(err, "number", "must be a number")})
		}
		value = f
	case openapi3.TypeBoolean:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return append(fields, problem.FieldError{Pointer: p.pointer, Detail: "must be a boolean"})
		}
		value = b
	default:
		value = raw
	}
	if err := p.schema.VisitJSON(value, c.paramOpt...); err != nil {
		fields = appendFieldErrors(fields, p.pointer, err)
	}
	return fields
}

func numberDetail(err error, typ, syntax string) string {
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return typ + " is out of range"
	}
	return syntax
}

// queryValue finds the first value of name in a query string that needs
// no decoding, without building a map.
func queryValue(rawQuery, name string) (string, bool) {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		key, value, _ := strings.Cut(pair, "=")
		if key == name {
			return value, true
		}
	}
	return "", false
}

// pathValue is the value of a path parameter as the generated binding
// reads it. chi matches the escaped path when the request's path has
// escapes it did not need (r.URL.RawPath is set), and then hands out
// escaped values: "/materials/%31" is material 1.
func pathValue(r *http.Request, matched string) string {
	if r.URL.RawPath == "" {
		return matched
	}
	if v, err := url.PathUnescape(matched); err == nil {
		return v
	}
	return matched
}
