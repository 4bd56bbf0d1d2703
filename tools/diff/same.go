package diff

import "slices"

// sameSchemas tells whether two schemas, one from each document, hold the
// same values for every keyword the rules read, with the same $refs written
// in the same places and the schemas behind them the same too. Such schemas
// have no findings, so the walk skips them without flattening or comparing
// them keyword by keyword; in a large document where few components change,
// that is most of the walk.
//
// Recursive schemas make the model cyclic. During one outermost check, a
// pair being checked, or already found the same, is taken as the same when
// met again: the check looks for a difference, and a difference on a cycle
// is found on the first pass around it. Those answers stand only if the
// outermost check finds no difference anywhere; "different" always stands.
type sameSchemas struct {
	known   map[[2]*schema]bool
	assumed map[[2]*schema]bool // pairs taken as the same in this outermost check
	depth   int
}

func newSameSchemas() *sameSchemas {
	return &sameSchemas{known: map[[2]*schema]bool{}, assumed: map[[2]*schema]bool{}}
}

// refs is the check for two uses of schemas.
func (st *sameSchemas) refs(o, n schemaRef) bool {
	return o.ref == n.ref && st.schemas(o.s, n.s)
}

func (st *sameSchemas) schemas(o, n *schema) bool {
	if o == nil || n == nil {
		return o == n
	}
	key := [2]*schema{o, n}
	if v, ok := st.known[key]; ok {
		return v
	}
	if st.assumed[key] {
		return true
	}
	st.assumed[key] = true
	st.depth++
	same := st.keywords(o, n)
	st.depth--
	if !same {
		st.known[key] = false
		delete(st.assumed, key)
	}
	if st.depth == 0 {
		if same {
			for k := range st.assumed {
				st.known[k] = true
			}
		}
		clear(st.assumed)
	}
	return same
}

func (st *sameSchemas) keywords(o, n *schema) bool {
	return slices.Equal(o.types, n.types) && o.nullable == n.nullable && o.format == n.format &&
		slices.EqualFunc(o.bounds[:], n.bounds[:], sameNumber) &&
		sameNumber(o.multipleOf, n.multipleOf) && o.uniqueItems == n.uniqueItems && o.pattern == n.pattern &&
		(slices.Equal(o.enum, n.enum) && o.hasConst == n.hasConst && o.constant == n.constant || oneValueEither(o, n)) &&
		o.hasDefault == n.hasDefault && o.def == n.def &&
		o.additionalClosed == n.additionalClosed && st.optional(o.additional, n.additional) &&
		slices.Equal(o.required, n.required) &&
		slices.EqualFunc(o.properties, n.properties, func(a, b namedSchema) bool {
			return a.name == b.name && st.refs(a.schema, b.schema)
		}) &&
		slices.EqualFunc(o.allOf, n.allOf, st.refs) &&
		slices.EqualFunc(o.oneOf, n.oneOf, st.refs) &&
		slices.EqualFunc(o.anyOf, n.anyOf, st.refs) &&
		slices.EqualFunc(o.prefixItems, n.prefixItems, st.refs) &&
		st.optional(o.items, n.items) && o.itemsClosed == n.itemsClosed &&
		st.optional(o.ifS, n.ifS) && st.optional(o.thenS, n.thenS) && st.optional(o.elseS, n.elseS) &&
		o.readOnly == n.readOnly && o.writeOnly == n.writeOnly && o.deprecated == n.deprecated &&
		o.sunset == n.sunset
}

func (st *sameSchemas) optional(o, n *schemaRef) bool {
	if o == nil || n == nil {
		return o == n
	}
	return st.refs(*o, *n)
}

func sameNumber(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
