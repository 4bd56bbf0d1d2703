package diff

// The JSON Schema 2020-12 keywords that OpenAPI 3.1 brought: const,
// prefixItems with items: false, and if/then/else. Type arrays such as
// [string, "null"] are read by flatten: "null" among the types is nullable.

// constant compares const, which fixes a value to one: in a request, a
// const added or changed refuses what clients sent (narrower or unrelated:
// breaking); in a response, a const changed or removed sends clients
// another value than the one they were promised (unrelated or wider:
// breaking), and one added only narrows what they get.
func (w *schemaWalk) constant(ptr, subject string, o, n *schema) {
	if o.hasConst == n.hasConst && o.constant == n.constant {
		return
	}
	ch := unrelated
	switch {
	case !o.hasConst:
		ch = narrower
	case !n.hasConst:
		ch = wider
	}
	w.report(ch, ptr, "const", subject, o.constant, n.constant)
}

// oneValueEither reports whether o and n allow the same one value, one
// with const and the other with an enum of that value alone: a spec moved
// to OpenAPI 3.1 often says the same thing the new way.
func oneValueEither(o, n *schema) bool {
	single := func(a, b *schema) bool {
		return a.hasConst && len(a.enum) == 0 && !b.hasConst && len(b.enum) == 1 && b.enum[0] == a.constant
	}
	return single(o, n) || single(n, o)
}

// governing is what an array element at some position must match: a
// schema, nothing (open), or no element may be there (closed).
type governing struct {
	schema *schemaRef
	closed bool
}

// at is what governs the element at position i: its prefixItems schema,
// else items.
func at(s *schema, i int) governing {
	if i < len(s.prefixItems) {
		return governing{schema: &s.prefixItems[i]}
	}
	return governing{schema: s.items, closed: s.itemsClosed}
}

// tuple compares prefixItems position by position. A position's values are
// judged against what governed that position before, its old prefixItems
// schema or else items, so that moving a schema into or out of prefixItems
// compares like with like; items compares the elements past both prefixes.
func (w *schemaWalk) tuple(ptr, subject string, o, n *schema) {
	for i := range max(len(o.prefixItems), len(n.prefixItems)) {
		w.position(pointer(ptr, "prefixItems", itoa(i)), subject+"["+itoa(i)+"]", at(o, i), at(n, i))
	}
}

// position compares what governs the same array position (or a then or
// else branch) on both sides.
func (w *schemaWalk) position(ptr, subject string, o, n governing) {
	describe := func(g governing) string {
		switch {
		case g.closed:
			return "no element"
		case g.schema == nil:
			return "any value"
		case g.schema.isRef():
			return refName(g.schema.ref)
		}
		return "a schema"
	}
	msg := subject + " changed from " + describe(o) + " to " + describe(n)
	switch {
	case o.schema != nil && n.schema != nil:
		w.nested(ptr, subject, *o.schema, *n.schema)
	case o.closed == n.closed && o.schema == nil && n.schema == nil:
	case n.closed || o.schema == nil && !o.closed:
		// Fewer values: none at all, or a schema where any was allowed.
		w.pick(RuleRequestConstraintNarrowed, RuleResponseNarrowed, ptr, describe(o), describe(n), msg)
	default:
		w.pick(RuleRequestWidened, RuleResponseConstraintWidened, ptr, describe(o), describe(n), msg)
	}
}

// conditional compares if/then/else. A condition only ever constrains
// (values that match if must match then, the others else), so one added
// narrows and one removed widens. With the same if, then and else apply to
// the same values as before and are compared as any subschema. When if
// itself changes, which values meet which branch changes in a way the gate
// does not work out: it reports that for a person to review.
func (w *schemaWalk) conditional(ptr, subject string, o, n *schema) {
	switch {
	case o.ifS == nil && n.ifS == nil:
		return // then and else without if apply to nothing
	case o.ifS == nil:
		o = &schema{}
	case n.ifS == nil:
		n = &schema{}
	case !w.c.same.refs(*o.ifS, *n.ifS):
		w.add(RuleSchemaConditionalChanged, ptr+"/if", "", "",
			w.dir.String()+" "+subject+" if/then/else condition changed: which values it accepts cannot be told, review it")
		return
	}
	w.branch(ptr, subject, "then", o.thenS, n.thenS)
	w.branch(ptr, subject, "else", o.elseS, n.elseS)
}

// branch compares a then or an else: absent, it accepts every value.
func (w *schemaWalk) branch(ptr, subject, kw string, o, n *schemaRef) {
	w.position(ptr+"/"+kw, subject+"("+kw+")", governing{schema: o}, governing{schema: n})
}
