package gen

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// Violation is one way to break one constraint of a schema, somewhere in a
// value: at Path (object keys from the root), Rule says which constraint
// breaks. Apply turns a valid value into one that breaks only that rule.
type Violation struct {
	// Path holds the object keys from the root to the broken value.
	Path []string
	// Rule names the constraint: type, required, minimum, maximum,
	// enum, minLength, maxLength, pattern, multipleOf, minItems,
	// maxItems, uniqueItems, additionalProperties.
	Rule string
	// Apply returns a copy of the valid value v with the violation in it.
	Apply func(t *rapid.T, v any) any
}

// Pointer returns the JSON pointer of the broken value, e.g. "/name".
func (v Violation) Pointer() string {
	return "/" + strings.Join(v.Path, "/")
}

// Violations lists the single-constraint violations of s, recursing into
// the properties of objects. Constraints that a request value cannot
// carry (read-only properties) are left out.
func Violations(s *openapi3.Schema) []Violation {
	return Text.Violations(s)
}

// Violations lists the single-constraint violations of s whose values
// draw their free text from a.
func (a Alphabet) Violations(s *openapi3.Schema) []Violation {
	var out []Violation
	a.violations(s, nil, 0, &out)
	return out
}

func (a Alphabet) violations(s *openapi3.Schema, path []string, depth int, out *[]Violation) {
	if s == nil || depth > maxDepth {
		return
	}
	if !s.Nullable {
		// null is the wrong type a client sends most often: for a
		// field it means to clear, or from a language whose values
		// may be nil.
		add(out, path, "null", func(*rapid.T) any { return nil })
	}
	if len(s.AllOf)+len(s.OneOf)+len(s.AnyOf) > 0 {
		// Combined schemas still break on the wrong type when they
		// all agree on one.
		if t := typeOf(s); t != "" {
			add(out, path, "type", wrongType(t))
		}
		return
	}
	set := func(rule string, g func(t *rapid.T) any) { add(out, path, rule, g) }
	t := typeOf(s)
	if t != "" {
		set("type", wrongType(t))
	}
	if len(s.Enum) > 0 {
		set("enum", func(rt *rapid.T) any {
			return a.stringN(1, 8).Filter(func(v string) bool { return !inEnum(s.Enum, v) }).Draw(rt, "not in enum")
		})
		return
	}
	switch t {
	case openapi3.TypeInteger:
		integerViolations(s, set)
	case openapi3.TypeNumber:
		numberViolations(s, set)
	case openapi3.TypeString:
		a.stringViolations(s, set)
	case openapi3.TypeArray:
		a.arrayViolations(s, path, out)
	case openapi3.TypeObject:
		a.objectViolations(s, path, depth, out)
	}
}

func add(out *[]Violation, path []string, rule string, g func(t *rapid.T) any) {
	p := append([]string(nil), path...)
	*out = append(*out, Violation{Path: p, Rule: rule, Apply: func(t *rapid.T, v any) any {
		return setAt(v, p, g(t))
	}})
}

// wrongType draws a value of another JSON type than t: every other type
// in turn, since a service may take one wrong type (a number in quotes)
// and not another (an object).
func wrongType(t string) func(*rapid.T) any {
	var others []any
	for _, v := range []struct {
		types []string
		value any
	}{
		{[]string{openapi3.TypeString}, "x"},
		{[]string{openapi3.TypeInteger, openapi3.TypeNumber}, int64(1)},
		{[]string{openapi3.TypeNumber}, 1.5},
		{[]string{openapi3.TypeBoolean}, true},
		{[]string{openapi3.TypeArray}, []any{}},
		{[]string{openapi3.TypeObject}, map[string]any{}},
	} {
		if !slices.Contains(v.types, t) {
			others = append(others, v.value)
		}
	}
	return func(rt *rapid.T) any {
		return others[rapid.IntRange(0, len(others)-1).Draw(rt, "wrong type")]
	}
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if Key(e) == Key(v) {
			return true
		}
	}
	return false
}

func integerViolations(s *openapi3.Schema, set func(string, func(*rapid.T) any)) {
	lo, hi := intBounds(s)
	if s.Min != nil || s.ExclusiveMin.IsSet() {
		if lo > math.MinInt64 {
			// Draws shrink towards the bound, the most telling value.
			set("minimum", func(t *rapid.T) any {
				return lo - rapid.Int64Range(1, 1000).Draw(t, "below")
			})
		}
	}
	if s.Max != nil || s.ExclusiveMax.IsSet() {
		if hi < math.MaxInt64 {
			set("maximum", func(t *rapid.T) any {
				return hi + rapid.Int64Range(1, 1000).Draw(t, "above")
			})
		}
	}
	if s.MultipleOf != nil && *s.MultipleOf > 1 {
		m := int64(*s.MultipleOf)
		set("multipleOf", func(t *rapid.T) any {
			k := rapid.Int64Range(ceilDiv(lo, m), hi/m-1).Draw(t, "k")
			return k*m + 1
		})
	}
}

func numberViolations(s *openapi3.Schema, set func(string, func(*rapid.T) any)) {
	lo, hi, loEx, hiEx := floatBounds(s)
	step := 0.0
	if s.MultipleOf != nil && *s.MultipleOf > 0 {
		step = *s.MultipleOf
	}
	// outside returns a value d beyond bound in direction dir (-1 below,
	// +1 above): on the bound itself when it is exclusive, and a
	// multiple of multipleOf when there is one, so that only the bound
	// breaks.
	outside := func(t *rapid.T, bound float64, exclusive bool, dir float64) any {
		if step > 0 {
			k := rapid.IntRange(0, 100).Draw(t, "steps")
			if !exclusive {
				k++
			}
			return math.Round(bound/step)*step + dir*float64(k)*step
		}
		d := rapid.Float64Range(0, 1000).Draw(t, "distance")
		v := bound + dir*d
		if v == bound && !exclusive {
			v = math.Nextafter(bound, dir*math.Inf(1))
		}
		return v
	}
	if s.Min != nil || s.ExclusiveMin.Value != nil {
		set("minimum", func(t *rapid.T) any { return outside(t, lo, loEx, -1) })
	}
	if s.Max != nil || s.ExclusiveMax.Value != nil {
		set("maximum", func(t *rapid.T) any { return outside(t, hi, hiEx, 1) })
	}
	if step > 0 {
		set("multipleOf", func(t *rapid.T) any {
			k := rapid.Int64Range(int64(math.Ceil(lo/step)), int64(math.Floor(hi/step))-1).Draw(t, "k")
			return float64(k)*step + step/2
		})
	}
}

func (a Alphabet) stringViolations(s *openapi3.Schema, set func(string, func(*rapid.T) any)) {
	lo, hi := lengthBounds(s)
	var re *regexp.Regexp
	if s.Pattern != "" {
		re, _ = compile(s.Pattern)
	}
	fits := func(v string) bool { return re == nil || re.MatchString(v) }
	if s.MaxLength != nil && format(s.Format) == nil {
		set("maxLength", func(t *rapid.T) any {
			n := hi + rapid.IntRange(1, 8).Draw(t, "over")
			// Pad a valid string so that only the length is wrong.
			base := a.String(s).Draw(t, "base")
			pad := "a"
			if !fits(pad) && base != "" {
				r, _ := utf8.DecodeLastRuneInString(base)
				pad = string(r)
			}
			for utf8.RuneCountInString(base) < n {
				base += pad
			}
			return base
		})
	}
	if lo > 0 && format(s.Format) == nil {
		set("minLength", func(t *rapid.T) any {
			n := rapid.IntRange(0, lo-1).Draw(t, "length")
			return a.stringN(n, n).Draw(t, "short")
		})
	}
	if re != nil {
		set("pattern", func(t *rapid.T) any {
			// Whitespace and punctuation are what patterns most often
			// exclude; free text covers the rest.
			g := rapid.OneOf(
				rapid.StringOfN(rapid.SampledFrom([]rune{' ', '\t', '-', '.'}), max(lo, 1), max(lo, 1)+4, -1),
				a.stringN(max(lo, 1), min(hi, max(lo, 1)+8)),
			)
			return g.Filter(func(v string) bool {
				n := utf8.RuneCountInString(v)
				return !re.MatchString(v) && n >= lo && n <= hi
			}).Draw(t, "mismatch")
		})
	}
}

func (a Alphabet) arrayViolations(s *openapi3.Schema, path []string, out *[]Violation) {
	p := append([]string(nil), path...)
	var item *openapi3.Schema
	if s.Items != nil {
		item = s.Items.Value
	}
	if s.MaxItems != nil {
		*out = append(*out, Violation{Path: p, Rule: "maxItems", Apply: func(t *rapid.T, v any) any {
			n := int(*s.MaxItems) + 1
			items := rapid.SliceOfNDistinct(a.Value(item), n, n, Key).Draw(t, "too many")
			return setAt(v, p, items)
		}})
	}
	if s.MinItems > 0 {
		*out = append(*out, Violation{Path: p, Rule: "minItems", Apply: func(t *rapid.T, v any) any {
			n := int(s.MinItems) - 1
			items := rapid.SliceOfNDistinct(a.Value(item), n, n, Key).Draw(t, "too few")
			return setAt(v, p, items)
		}})
	}
	if s.UniqueItems && (s.MaxItems == nil || *s.MaxItems >= 2) {
		*out = append(*out, Violation{Path: p, Rule: "uniqueItems", Apply: func(t *rapid.T, v any) any {
			x := a.Value(item).Draw(t, "twice")
			return setAt(v, p, []any{x, x})
		}})
	}
}

func (a Alphabet) objectViolations(s *openapi3.Schema, path []string, depth int, out *[]Violation) {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range s.Required {
		if ps := s.Properties[n]; ps != nil && ps.Value != nil && ps.Value.ReadOnly {
			continue
		}
		p := append(append([]string(nil), path...), n)
		parent := p[:len(p)-1]
		*out = append(*out, Violation{Path: p, Rule: "required", Apply: func(t *rapid.T, v any) any {
			// An optional object the value left out has no property to
			// remove: removing one would leave the value valid. Draw the
			// object, then remove the property from it.
			if !has(v, parent) {
				v = setAt(v, parent, a.Value(s).Draw(t, "object missing "+n))
			}
			return deleteAt(v, p)
		}})
	}
	for _, n := range names {
		ps := s.Properties[n].Value
		if ps == nil || ps.ReadOnly {
			continue
		}
		a.violations(ps, append(append([]string(nil), path...), n), depth+1, out)
	}
	if s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has {
		p := append([]string(nil), path...)
		*out = append(*out, Violation{Path: p, Rule: "additionalProperties", Apply: func(_ *rapid.T, v any) any {
			return setAt(v, append(p, "unexpected_property"), "x")
		}})
	}
}

// setAt returns a copy of v with x at path; objects on the path that are
// missing (optional properties not drawn) are created.
func setAt(v any, path []string, x any) any {
	if len(path) == 0 {
		return x
	}
	m, _ := v.(map[string]any)
	out := make(map[string]any, len(m)+1)
	for k, e := range m {
		out[k] = e
	}
	out[path[0]] = setAt(out[path[0]], path[1:], x)
	return out
}

// has reports whether v holds a value at path; an empty path is v itself.
func has(v any, path []string) bool {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[k]; !ok {
			return false
		}
	}
	return true
}

// deleteAt returns a copy of v without the key at path.
func deleteAt(v any, path []string) any {
	m, ok := v.(map[string]any)
	if !ok || len(path) == 0 {
		return v
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[k] = e
	}
	if len(path) == 1 {
		delete(out, path[0])
		return out
	}
	if _, ok := out[path[0]]; ok {
		out[path[0]] = deleteAt(out[path[0]], path[1:])
	}
	return out
}
