package check

import (
	"fmt"

	"github.com/charterhq/charter/tools/check/gen"
	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// badInput is one way to make a valid request of an operation invalid by
// breaking exactly one constraint.
type badInput struct {
	// what names it in messages, e.g. "body /name maxLength".
	what string
	// apply breaks v; it returns false when the drawn request offers
	// nothing to break (the case is then discarded).
	apply func(t *rapid.T, v *values) bool
}

// badInputs lists the single-constraint violations of the operation's
// parameters and body.
func (o *operation) badInputs() []badInput {
	var out []badInput
	for _, p := range o.params {
		if p.In == openapi3.ParameterInCookie {
			continue
		}
		s := paramSchema(p)
		if p.Required && p.In != openapi3.ParameterInPath {
			out = append(out, badInput{what: fmt.Sprintf("%s %s missing", p.In, p.Name), apply: func(_ *rapid.T, v *values) bool {
				delete(v.at(p.In), p.Name)
				return true
			}})
		}
		if p.In == openapi3.ParameterInQuery && !emptyAllowed(p, s) {
			out = append(out, badInput{what: fmt.Sprintf("query %s empty", p.Name), apply: func(_ *rapid.T, v *values) bool {
				v.query[p.Name] = ""
				return true
			}})
		}
		for _, vio := range alphabet(p).Violations(s) {
			if len(vio.Path) > 0 || vio.Rule == "additionalProperties" {
				// Objects in parameters are rare; their inner
				// constraints are left to the body checks.
				continue
			}
			if vio.Rule == "null" || vio.Rule == "type" && !typed(s) {
				// Every parameter arrives as text: a string
				// parameter has no wrong type, and none is null.
				continue
			}
			out = append(out, badInput{what: fmt.Sprintf("%s %s %s", p.In, p.Name, vio.Rule), apply: func(t *rapid.T, v *values) bool {
				m := v.at(p.In)
				cur, ok := m[p.Name]
				if !ok {
					cur = alphabet(p).Value(s).Draw(t, "valid "+p.Name)
				}
				bad := vio.Apply(t, cur)
				if gen.Valid(s, bad) || !isScalar(bad) {
					// A parameter of a scalar type takes a
					// wrong scalar, not an array or object.
					return false
				}
				if p.In == openapi3.ParameterInPath && scalar(bad) == "" {
					// An empty segment routes elsewhere instead
					// of reaching the operation.
					return false
				}
				m[p.Name] = bad
				return true
			}})
		}
	}
	if o.body == nil {
		return out
	}
	if o.bodyRequired {
		out = append(out, badInput{what: "body missing", apply: func(_ *rapid.T, v *values) bool {
			v.hasBody, v.body = false, nil
			return true
		}})
	}
	if o.bodyType != "application/json" {
		return out
	}
	out = append(out, badInput{what: "body malformed JSON", apply: func(t *rapid.T, v *values) bool {
		cut := rapid.IntRange(0, 3).Draw(t, "malformed")
		v.rawBody = [][]byte{[]byte("{"), []byte(`{"`), []byte("[1,"), []byte("nul")}[cut]
		return true
	}})
	for _, vio := range gen.Violations(o.body) {
		out = append(out, badInput{what: fmt.Sprintf("body %s %s", vio.Pointer(), vio.Rule), apply: func(t *rapid.T, v *values) bool {
			if !v.hasBody {
				v.body = gen.Value(o.body).Draw(t, "valid body")
			}
			bad := vio.Apply(t, v.body)
			if gen.Valid(o.body, bad) {
				return false
			}
			v.body, v.hasBody = bad, true
			return true
		}})
	}
	return out
}

// typed reports whether the schema's values are not plain strings.
func typed(s *openapi3.Schema) bool {
	return s.Type != nil && !s.Type.Is(openapi3.TypeString) && len(s.Type.Slice()) > 0
}

// isScalar reports whether v is a JSON scalar.
func isScalar(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return false
	}
	return true
}

// emptyAllowed reports whether an empty value of the query parameter p
// (?name=) is valid. OpenAPI 3 reads it as the parameter present with the
// empty string as its value: valid when the schema takes "" (a string
// without a minLength, pattern or enum that refuses it), never for an
// integer, number or boolean, since no such value is written empty. A
// parameter that allows empty values (allowEmptyValue) takes one as the
// parameter unused, whatever its schema.
func emptyAllowed(p *openapi3.Parameter, s *openapi3.Schema) bool {
	if p.AllowEmptyValue {
		return true
	}
	if typed(s) {
		return false
	}
	return gen.Valid(s, "")
}
