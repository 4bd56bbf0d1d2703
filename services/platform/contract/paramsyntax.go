package contract

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/problem"
)

// paramSyntaxDetail says what is wrong with the way a parameter value of
// type typ is written where strconv and the schema find nothing wrong, or
// returns "". An integer or a number must be written as JSON writes it:
// strconv also reads "01", "+1", ".5", "1_000", "Inf" and "0x1p3", which
// made /materials/01 and /materials/+1 the material /materials/1 names,
// one resource under many URLs that caches, logs and access rules see as
// different. A string must keep the text rule of bodies (see textDetail).
// A value strconv cannot read at all is left to the usual checks, which
// say "must be an integer".
func paramSyntaxDetail(typ, raw string) string {
	switch typ {
	case openapi3.TypeInteger:
		if integerLike(raw) && !jsonNumber(raw, false) {
			return "must be written as in JSON, without a plus sign or leading zeros"
		}
	case openapi3.TypeNumber:
		if _, err := strconv.ParseFloat(raw, 64); err == nil && !jsonNumber(raw, true) {
			return "must be written as in JSON: digits with an optional fraction and exponent, without a plus sign or leading zeros"
		}
	case openapi3.TypeBoolean:
		if raw != "true" && raw != "false" {
			// strconv.ParseBool also reads 1, t, T, TRUE, True and
			// their false twins: one value, one spelling.
			return "must be true or false"
		}
	case openapi3.TypeString:
		return textDetail(raw)
	}
	return ""
}

// integerLike reports whether s is an optional sign and decimal digits,
// which strconv.ParseInt reads.
func integerLike(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// jsonNumber reports whether s is a JSON number (RFC 8259, section 6);
// without fraction, s must be an integer: -?(0|[1-9][0-9]*).
func jsonNumber(s string, fraction bool) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i - start
	}
	switch n := digits(); {
	case n == 0:
		return false
	case n > 1 && s[i-n] == '0':
		return false
	}
	if !fraction {
		return i == len(s)
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// paramSyntaxErrors checks the primitive parameters of op that
// openapi3filter validates, when the fast path of validatePrimitives does
// not run, as validateValue checks them on that path: query holds the
// parsed query string.
func paramSyntaxErrors(r *http.Request, op *operation, query url.Values) []problem.FieldError {
	var fields []problem.FieldError
	for i := range op.syntax {
		p := &op.syntax[i]
		var raw string
		var found bool
		switch p.in {
		case openapi3.ParameterInPath:
			raw, found = pathValue(r, chi.URLParam(r, p.name)), true
		case openapi3.ParameterInQuery:
			if v := query[p.name]; len(v) > 0 {
				raw, found = v[0], true
			}
		case openapi3.ParameterInHeader:
			if v := r.Header[p.header]; len(v) > 0 {
				raw, found = v[0], true
			}
		}
		if !found || raw == "" {
			continue
		}
		if detail := paramSyntaxDetail(p.typ, raw); detail != "" {
			fields = append(fields, problem.FieldError{Pointer: p.pointer, Detail: detail})
		}
	}
	return fields
}

// withParam adds p to params, in place of a parameter of the same name and
// location: an operation's parameter overrides its path's.
func withParam(params []param, p param) []param {
	for i := range params {
		if params[i].name == p.name && params[i].in == p.in {
			params[i] = p
			return params
		}
	}
	return append(params, p)
}
