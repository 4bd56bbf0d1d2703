package gen

import (
	"fmt"
	"math"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// maxDepth bounds recursion through self-referencing schemas; past it,
// optional properties are left out and arrays kept at their minimum.
const maxDepth = 6

// Value returns a generator of values that satisfy s. A nil schema (no
// schema at all) accepts anything, so it draws small strings.
func Value(s *openapi3.Schema) *rapid.Generator[any] {
	return Text.Value(s)
}

// Value returns a generator of values that satisfy s whose free text is
// drawn from a.
func (a Alphabet) Value(s *openapi3.Schema) *rapid.Generator[any] {
	return a.value(s, 0)
}

func (a Alphabet) value(s *openapi3.Schema, depth int) *rapid.Generator[any] {
	if s == nil {
		return rapid.Map(a.stringN(0, 8), func(v string) any { return v })
	}
	g := a.nonNull(s, depth)
	if s.Nullable {
		// The non-null branch comes first so that shrinking prefers a value.
		return rapid.OneOf(g, rapid.Just[any](nil))
	}
	return g
}

func (a Alphabet) nonNull(s *openapi3.Schema, depth int) *rapid.Generator[any] {
	switch {
	case len(s.Enum) > 0:
		return rapid.SampledFrom(s.Enum)
	case len(s.AllOf) > 0:
		return a.allOf(s, depth)
	case len(s.OneOf) > 0:
		return a.oneOf(s, s.OneOf, depth, true)
	case len(s.AnyOf) > 0:
		return a.oneOf(s, s.AnyOf, depth, false)
	}
	switch typeOf(s) {
	case openapi3.TypeInteger:
		return integer(s)
	case openapi3.TypeNumber:
		return number(s)
	case openapi3.TypeString:
		return rapid.Map(a.String(s), func(v string) any { return v })
	case openapi3.TypeBoolean:
		return rapid.Map(rapid.Bool(), func(v bool) any { return v })
	case openapi3.TypeArray:
		return a.array(s, depth)
	case openapi3.TypeObject:
		return a.object(s, depth)
	}
	// No type: any small JSON scalar is valid.
	return rapid.OneOf(
		rapid.Map(a.stringN(0, 8), func(v string) any { return v }),
		rapid.Map(rapid.Int64Range(-100, 100), func(v int64) any { return v }),
		rapid.Map(rapid.Bool(), func(v bool) any { return v }),
	)
}

// typeOf returns the single type of s, inferring object from properties
// and array from items when the type is left out.
func typeOf(s *openapi3.Schema) string {
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			if t != openapi3.TypeNull {
				return t
			}
		}
	}
	switch {
	case len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil:
		return openapi3.TypeObject
	case s.Items != nil:
		return openapi3.TypeArray
	}
	return ""
}

// intBounds returns the inclusive bounds of an integer schema, narrowed by
// its format so that an int32 never overflows.
func intBounds(s *openapi3.Schema) (lo, hi int64) {
	lo, hi = math.MinInt64, math.MaxInt64
	if s.Format == "int32" {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	if s.Min != nil {
		m := int64(math.Ceil(*s.Min))
		if s.ExclusiveMin.IsTrue() && float64(m) == *s.Min {
			m++
		}
		lo = max(lo, m)
	}
	if s.ExclusiveMin.Value != nil {
		lo = max(lo, int64(math.Floor(*s.ExclusiveMin.Value))+1)
	}
	if s.Max != nil && *s.Max < float64(math.MaxInt64) {
		m := int64(math.Floor(*s.Max))
		if s.ExclusiveMax.IsTrue() && float64(m) == *s.Max {
			m--
		}
		hi = min(hi, m)
	}
	if s.ExclusiveMax.Value != nil {
		hi = min(hi, int64(math.Ceil(*s.ExclusiveMax.Value))-1)
	}
	return lo, hi
}

func integer(s *openapi3.Schema) *rapid.Generator[any] {
	lo, hi := intBounds(s)
	if s.MultipleOf != nil && *s.MultipleOf >= 1 {
		m := int64(*s.MultipleOf)
		klo, khi := ceilDiv(lo, m), hi/m
		return rapid.Map(rapid.Int64Range(klo, khi), func(k int64) any { return k * m })
	}
	g := rapid.Map(rapid.Int64Range(lo, hi), func(v int64) any { return v })
	if uint64(hi-lo) <= narrow {
		// A narrow range reaches its bounds by itself, and a single
		// branch shrinks to the smallest failing value (limit=51 for
		// a bug above 50) where a second branch would stop at 100.
		return g
	}
	// In a wide range, the bounds and the extremes of the format come as
	// a second branch, since an off-by-one or an overflow lives there
	// and a draw over an int64 never lands on it.
	edges := []int64{lo, hi}
	if lo < hi {
		edges = append(edges, lo+1, hi-1)
	}
	return rapid.OneOf(
		rapid.Map(rapid.Int64Range(lo, hi), func(v int64) any { return v }),
		rapid.Map(rapid.SampledFrom(edges), func(v int64) any { return v }),
	)
}

// narrow is the widest integer range drawn without an edge branch.
const narrow = 1 << 16

func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a > 0 {
		q++
	}
	return q
}

// floatBounds returns the bounds of a number schema and whether each is
// exclusive.
func floatBounds(s *openapi3.Schema) (lo, hi float64, loEx, hiEx bool) {
	lo, hi = -1e9, 1e9
	if s.Format == "float" {
		lo, hi = -math.MaxFloat32, math.MaxFloat32
	}
	if s.Min != nil {
		lo, loEx = *s.Min, s.ExclusiveMin.IsTrue()
	}
	if v := s.ExclusiveMin.Value; v != nil {
		lo, loEx = *v, true
	}
	if s.Max != nil {
		hi, hiEx = *s.Max, s.ExclusiveMax.IsTrue()
	}
	if v := s.ExclusiveMax.Value; v != nil {
		hi, hiEx = *v, true
	}
	return lo, hi, loEx, hiEx
}

func number(s *openapi3.Schema) *rapid.Generator[any] {
	lo, hi, loEx, hiEx := floatBounds(s)
	if s.MultipleOf != nil && *s.MultipleOf > 0 {
		m := *s.MultipleOf
		klo, khi := int64(math.Ceil(lo/m)), int64(math.Floor(hi/m))
		return rapid.Map(rapid.Int64Range(klo, khi).Filter(func(k int64) bool {
			v := float64(k) * m
			return !(loEx && v <= lo) && !(hiEx && v >= hi)
		}), func(k int64) any { return float64(k) * m })
	}
	if loEx {
		lo = math.Nextafter(lo, math.Inf(1))
	}
	if hiEx {
		hi = math.Nextafter(hi, math.Inf(-1))
	}
	edges := []float64{lo, hi}
	return rapid.OneOf(
		rapid.Map(rapid.Float64Range(lo, hi), func(v float64) any { return v }),
		rapid.Map(rapid.SampledFrom(edges), func(v float64) any { return v }),
	)
}

func (a Alphabet) array(s *openapi3.Schema, depth int) *rapid.Generator[any] {
	lo, hi := int(s.MinItems), int(s.MinItems)+5
	if s.MaxItems != nil {
		hi = min(hi, int(*s.MaxItems))
	}
	if depth >= maxDepth {
		hi = lo
	}
	var item *openapi3.Schema
	if s.Items != nil {
		item = s.Items.Value
	}
	elem := a.value(item, depth+1)
	var g *rapid.Generator[[]any]
	if s.UniqueItems {
		g = rapid.SliceOfNDistinct(elem, lo, hi, Key)
	} else {
		g = rapid.SliceOfN(elem, lo, hi)
	}
	return rapid.Map(g, func(v []any) any { return v })
}

// Key returns a comparable key of a JSON value, so that uniqueItems can be
// enforced on values that are maps or slices.
func Key(v any) string { return fmt.Sprintf("%#v", normalize(v)) }

// normalize turns integral float64 into int64 so that 1 and 1.0 count as
// the same item, as JSON Schema says they are.
func normalize(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = normalize(x[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	}
	return v
}

func (a Alphabet) object(s *openapi3.Schema, depth int) *rapid.Generator[any] {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	required := map[string]bool{}
	for _, n := range s.Required {
		required[n] = true
	}
	return rapid.Custom(func(t *rapid.T) any {
		out := map[string]any{}
		for _, n := range names {
			ps := s.Properties[n].Value
			if ps != nil && ps.ReadOnly {
				// A request never carries read-only properties; the
				// server is free to reject them.
				continue
			}
			if !required[n] && (depth >= maxDepth || !rapid.Bool().Draw(t, "has "+n)) {
				continue
			}
			out[n] = a.value(ps, depth+1).Draw(t, n)
		}
		if extra := s.AdditionalProperties.Schema; extra != nil && extra.Value != nil && depth < maxDepth {
			n := rapid.IntRange(0, 2).Draw(t, "additional")
			for i := range n {
				k := fmt.Sprintf("extra%d", i)
				if _, taken := out[k]; !taken {
					out[k] = a.value(extra.Value, depth+1).Draw(t, k)
				}
			}
		}
		return out
	})
}

// allOf merges the object parts of every subschema and checks the drawn
// value against the whole schema, because constraints of other kinds do
// not merge by hand reliably.
func (a Alphabet) allOf(s *openapi3.Schema, depth int) *rapid.Generator[any] {
	merged := *s
	merged.AllOf = nil
	merged.Properties = openapi3.Schemas{}
	for n, p := range s.Properties {
		merged.Properties[n] = p
	}
	for _, part := range s.AllOf {
		if part.Value == nil {
			continue
		}
		p := part.Value
		for n, ps := range p.Properties {
			merged.Properties[n] = ps
		}
		merged.Required = append(merged.Required, p.Required...)
		if merged.Type == nil {
			merged.Type = p.Type
		}
		if merged.Format == "" {
			merged.Format = p.Format
		}
		if merged.Min == nil {
			merged.Min, merged.ExclusiveMin = p.Min, p.ExclusiveMin
		}
		if merged.Max == nil {
			merged.Max, merged.ExclusiveMax = p.Max, p.ExclusiveMax
		}
		if merged.MaxLength == nil {
			merged.MaxLength = p.MaxLength
		}
		merged.MinLength = max(merged.MinLength, p.MinLength)
		if merged.Pattern == "" {
			merged.Pattern = p.Pattern
		}
		if len(merged.Enum) == 0 {
			merged.Enum = p.Enum
		}
	}
	return a.nonNull(&merged, depth).Filter(func(v any) bool { return valid(s, v) })
}

// oneOf draws from one branch; for oneOf the value must match that branch
// only, which the filter enforces.
func (a Alphabet) oneOf(s *openapi3.Schema, branches openapi3.SchemaRefs, depth int, exclusive bool) *rapid.Generator[any] {
	gens := make([]*rapid.Generator[any], 0, len(branches))
	for _, b := range branches {
		gens = append(gens, a.value(b.Value, depth+1))
	}
	g := rapid.OneOf(gens...)
	if !exclusive {
		return g
	}
	return g.Filter(func(v any) bool { return valid(s, v) })
}

// valid reports whether v satisfies s, as a request value.
func valid(s *openapi3.Schema, v any) bool {
	return s.VisitJSON(v, openapi3.VisitAsRequest(), openapi3.DisableReadOnlyValidation(), openapi3.SetSchemaRegexCompiler(PatternCompiler)) == nil
}

// Valid reports whether v satisfies s as a request value: read-only
// properties are not expected.
func Valid(s *openapi3.Schema, v any) bool { return valid(s, v) }
