package contract

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// A bodyWalk finds the errors of a decoded JSON body with kin-openapi's
// words, at a cost bounded by the body and by MaxFieldErrors.
//
// One VisitJSON of the whole body cannot be stopped: it builds an error
// for every invalid value before it returns, and kin-openapi's errors are
// dear (a body of 1 MiB holding 350,000 empty objects where a quote's lines
// go cost it 3.8 s, 26 times decoding the body). So the walk splits the
// body schema at compile time: kin-openapi judges each value only on the
// keywords of its own schema (type, required, unknown properties,
// minItems...) and on the properties that hold no object or array, while
// the values inside an object or array are walked here, one by one, until
// the request's problem is full or its context ends. The errors of a
// value come before those of the values inside it; properties are walked
// in the order of their names, items in theirs.
//
// An object that allows no other properties than its own is judged with
// only its first keepUnknown unknown properties in name order, which are
// the ones kin-openapi reports first: a body of a hundred thousand unknown
// properties costs one decoding and a pass over the keys, and its problem
// still lists the first MaxFieldErrors.
//
// A schema with allOf, anyOf, oneOf or not, or a recursive one, is judged
// whole by kin-openapi from there down, as before.
type bodyWalk struct {
	// own is what kin-openapi checks the value against: the schema
	// itself when whole, otherwise a copy whose items, additionalProperties
	// schema and properties holding objects or arrays are left to the walk.
	own   *openapi3.Schema
	whole bool

	// props are the walks of the properties left out of own.
	props map[string]*bodyWalk
	// additional is the walk of every property not in the schema's
	// properties, when additionalProperties is a schema.
	additional *bodyWalk
	// known lists the schema's properties when unknown ones are pruned:
	// additionalProperties is false and the object's size is not bounded
	// (minProperties, maxProperties), which pruning would change.
	known map[string]bool
	// items is the walk of every item of an array.
	items *bodyWalk
}

// keepUnknown is how many unknown properties of one object kin-openapi
// sees: one more than a problem lists, so that the problem still says that
// it left some out.
const keepUnknown = MaxFieldErrors + 1

// anything stands in own for a property the walk judges: it accepts any
// value, null included, without looking inside.
var anything = func() *openapi3.Schema {
	t := true
	return &openapi3.Schema{Always: &t}
}()

// compileWalk splits s for walking; nil when there is no schema.
func compileWalk(s *openapi3.Schema) *bodyWalk {
	return compileWalkSeen(s, map[*openapi3.Schema]bool{})
}

func compileWalkSeen(s *openapi3.Schema, seen map[*openapi3.Schema]bool) *bodyWalk {
	if s == nil {
		return nil
	}
	whole := &bodyWalk{own: s, whole: true}
	if seen[s] || s.Always != nil || len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.Not != nil {
		return whole
	}
	ap := s.AdditionalProperties
	noAdditional := ap.Has != nil && !*ap.Has
	if len(s.Properties) == 0 && s.Items == nil && ap.Schema == nil && !noAdditional {
		// Nothing inside to walk: kin-openapi's check of the value is
		// bounded by its own keywords.
		return whole
	}
	seen[s] = true
	defer delete(seen, s)

	own := *s
	w := &bodyWalk{own: &own}
	if s.Items != nil {
		own.Items = nil
		w.items = compileWalkSeen(s.Items.Value, seen)
	}
	if ap.Schema != nil {
		own.AdditionalProperties = openapi3.AdditionalProperties{}
		w.additional = compileWalkSeen(ap.Schema.Value, seen)
	}
	if noAdditional && s.MinProps == 0 && s.MaxProps == nil {
		w.known = make(map[string]bool, len(s.Properties))
		for name := range s.Properties {
			w.known[name] = true
		}
	}
	if len(s.Properties) > 0 {
		own.Properties = make(openapi3.Schemas, len(s.Properties))
		for name, ref := range s.Properties {
			pw := compileWalkSeen(ref.Value, seen)
			if pw.whole {
				own.Properties[name] = ref
				continue
			}
			// The object's own check reads readOnly (and writeOnly) of
			// its properties.
			stand := *anything
			stand.ReadOnly, stand.WriteOnly = ref.Value.ReadOnly, ref.Value.WriteOnly
			own.Properties[name] = &openapi3.SchemaRef{Value: &stand}
			if w.props == nil {
				w.props = map[string]*bodyWalk{}
			}
			w.props[name] = pw
		}
	}
	return w
}

// walk adds the errors of v, found under prefix, to list, until the list
// is full or ctx ends.
func (w *bodyWalk) walk(ctx context.Context, v any, prefix string, opts []openapi3.SchemaValidationOption, list *fieldList) {
	if list.full() || ctx.Err() != nil {
		return
	}
	judged := v
	if m, ok := v.(map[string]any); ok && w.known != nil {
		judged = w.prune(m)
	}
	if err := w.own.VisitJSON(judged, opts...); err != nil {
		list.collect(ctx, prefix, err)
	}
	if w.whole {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		w.walkProperties(ctx, v, prefix, opts, list)
	case []any:
		if w.items == nil {
			return
		}
		for i, item := range v {
			if list.full() || ctx.Err() != nil {
				return
			}
			w.items.walk(ctx, item, prefix+"/"+strconv.Itoa(i), opts, list)
		}
	}
}

// walkProperties walks the properties of m that have a walk, in the order
// of their names.
func (w *bodyWalk) walkProperties(ctx context.Context, m map[string]any, prefix string, opts []openapi3.SchemaValidationOption, list *fieldList) {
	var names []string
	if w.additional != nil {
		names = make([]string, 0, len(m))
		for name := range m {
			names = append(names, name)
		}
	} else {
		for name := range w.props {
			if _, ok := m[name]; ok {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if list.full() || ctx.Err() != nil {
			return
		}
		child, ok := w.props[name]
		if !ok {
			if _, named := w.own.Properties[name]; named {
				continue // judged by own
			}
			child = w.additional
		}
		if child != nil {
			child.walk(ctx, m[name], prefix+"/"+escapePointer(name), opts, list)
		}
	}
}

// prune returns m with only the first keepUnknown of its unknown
// properties in name order, the ones kin-openapi reports first; m itself
// when it has no more.
func (w *bodyWalk) prune(m map[string]any) map[string]any {
	unknown := 0
	for name := range m {
		if !w.known[name] {
			unknown++
		}
	}
	if unknown <= keepUnknown {
		return m
	}
	// The keepUnknown smallest names, by insertion into a short sorted
	// list: linear in the number of properties.
	first := make([]string, 0, keepUnknown)
	for name := range m {
		if w.known[name] {
			continue
		}
		if len(first) == keepUnknown {
			if strings.Compare(name, first[keepUnknown-1]) >= 0 {
				continue
			}
			first = first[:keepUnknown-1]
		}
		i, _ := slices.BinarySearch(first, name)
		first = slices.Insert(first, i, name)
	}
	pruned := make(map[string]any, len(w.known)+keepUnknown)
	for name := range w.known {
		if v, ok := m[name]; ok {
			pruned[name] = v
		}
	}
	for _, name := range first {
		pruned[name] = m[name]
	}
	return pruned
}
