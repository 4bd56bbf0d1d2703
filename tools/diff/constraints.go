package diff

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"
)

func itoa(i int) string { return strconv.Itoa(i) }

// accepts reports whether every value of type set from is also a value of
// type set to; an empty set is any type, and integers are numbers.
func accepts(to, from []string) bool {
	if len(to) == 0 {
		return true
	}
	if len(from) == 0 {
		return false
	}
	for _, t := range from {
		if !slices.Contains(to, t) && (t != "integer" || !slices.Contains(to, "number")) {
			return false
		}
	}
	return true
}

// types compares the types; it returns false when they are incompatible, so
// that the rest of the comparison does not pile up consequences of one
// change.
func (w *schemaWalk) types(ptr, subject string, o, n *view) bool {
	if sameSet(o.types, n.types) {
		return true
	}
	ot, nt := strings.Join(o.types, ","), strings.Join(n.types, ",")
	msg := subject + " type changed from " + orAny(ot) + " to " + orAny(nt)
	msg = w.dir.String() + " " + msg
	if !w.dir.fromAPI() {
		if accepts(n.types, o.types) || w.dir == requestText && sameSet(n.types, []string{"string"}) {
			w.add(RuleRequestWidened, ptr+"/type", ot, nt, msg)
			return true
		}
		w.add(RuleRequestTypeChanged, ptr+"/type", ot, nt, msg)
		return false
	}
	if accepts(o.types, n.types) {
		w.add(RuleResponseNarrowed, ptr+"/type", ot, nt, msg)
		return true
	}
	w.add(RuleResponseTypeChanged, ptr+"/type", ot, nt, msg)
	return false
}

func orAny(t string) string {
	if t == "" {
		return "any"
	}
	return t
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func (w *schemaWalk) nullable(ptr, subject string, o, n *view) {
	switch {
	case o.nullable && !n.nullable:
		w.pick(RuleRequestConstraintNarrowed, RuleResponseNarrowed, ptr, "nullable", "not nullable", subject+" no longer accepts null")
	case !o.nullable && n.nullable:
		w.pick(RuleRequestWidened, RuleResponsePropertyNullable, ptr, "not nullable", "nullable", subject+" may now be null")
	}
}

// widerFormats lists format changes that only accept more values.
var widerFormats = map[string]string{"int32": "int64", "float": "double"}

func (w *schemaWalk) format(ptr, subject string, o, n *schema) {
	if o.format == n.format {
		return
	}
	msg := subject + " format changed from " + orNone(o.format) + " to " + orNone(n.format)
	switch {
	case n.format == "" || widerFormats[o.format] == n.format:
		w.pick(RuleRequestWidened, RuleResponseConstraintWidened, ptr+"/format", o.format, n.format, msg)
	case o.format == "" || widerFormats[n.format] == o.format:
		w.pick(RuleRequestConstraintNarrowed, RuleResponseNarrowed, ptr+"/format", o.format, n.format, msg)
	default:
		// An unrelated format is both narrower and wider.
		w.pick(RuleRequestConstraintNarrowed, RuleResponseConstraintWidened, ptr+"/format", o.format, n.format, msg)
	}
}

// change is how a constraint moved.
type change int

const (
	same change = iota
	narrower
	wider
	unrelated
)

func (w *schemaWalk) report(ch change, ptr, keyword, subject, old, new string) {
	msg := subject + " " + keyword + " changed from " + orNone(old) + " to " + orNone(new)
	switch ch {
	case narrower:
		w.pick(RuleRequestConstraintNarrowed, RuleResponseNarrowed, ptr+"/"+keyword, old, new, msg)
	case wider:
		w.pick(RuleRequestWidened, RuleResponseConstraintWidened, ptr+"/"+keyword, old, new, msg)
	case unrelated:
		// Neither accepts all the other's values (two patterns, two
		// steps): old values are refused and new ones unknown.
		w.pick(RuleRequestConstraintChanged, RuleResponseConstraintChanged, ptr+"/"+keyword, old, new, msg)
	}
}

func bound(o, n *float64, upper bool) change {
	switch {
	case o == nil && n == nil:
		return same
	case o == nil:
		return narrower
	case n == nil:
		return wider
	case *o == *n:
		return same
	case (*n < *o) == upper:
		return narrower
	}
	return wider
}

func fmtFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}

// limit is a numeric limit: the bound, whether the bound itself is
// excluded, and the keyword that sets it.
type limit struct {
	v         *float64
	exclusive bool
	keyword   string
}

func (l limit) String() string {
	switch {
	case l.v == nil:
		return ""
	case l.exclusive:
		return "exclusive " + fmtFloat(l.v)
	}
	return fmtFloat(l.v)
}

// numericLimit is the tighter of an inclusive and an exclusive bound.
func numericLimit(s *schema, inclusive, exclusive int, upper bool) limit {
	in := limit{s.bounds[inclusive], false, boundKeywords[inclusive].name}
	ex := limit{s.bounds[exclusive], true, boundKeywords[exclusive].name}
	switch {
	case ex.v == nil:
		return in
	case in.v == nil:
		return ex
	case *ex.v == *in.v || (*ex.v < *in.v) == upper:
		return ex
	}
	return in
}

func compareLimits(o, n limit, upper bool) change {
	ch := bound(o.v, n.v, upper)
	if ch == same && o.v != nil && o.exclusive != n.exclusive {
		if n.exclusive {
			return narrower
		}
		return wider
	}
	return ch
}

func (w *schemaWalk) bounds(ptr, subject string, o, n *schema) {
	for _, lim := range []struct {
		inclusive, exclusive int
		upper                bool
	}{{maximumBound, exclusiveMaximumBound, true}, {minimumBound, exclusiveMinimumBound, false}} {
		ol := numericLimit(o, lim.inclusive, lim.exclusive, lim.upper)
		nl := numericLimit(n, lim.inclusive, lim.exclusive, lim.upper)
		if ch := compareLimits(ol, nl, lim.upper); ch != same {
			kw := nl.keyword
			if nl.v == nil {
				kw = ol.keyword
			}
			w.report(ch, ptr, kw, subject, ol.String(), nl.String())
		}
	}
	for i, b := range boundKeywords {
		if i == maximumBound || i == minimumBound || i == exclusiveMaximumBound || i == exclusiveMinimumBound {
			continue
		}
		ov, nv := o.bounds[i], n.bounds[i]
		if ch := bound(ov, nv, b.upper); ch != same {
			w.report(ch, ptr, b.name, subject, fmtFloat(ov), fmtFloat(nv))
		}
	}
	switch {
	case !o.uniqueItems && n.uniqueItems:
		w.report(narrower, ptr, "uniqueItems", subject, "false", "true")
	case o.uniqueItems && !n.uniqueItems:
		w.report(wider, ptr, "uniqueItems", subject, "true", "false")
	}
	if o.pattern != n.pattern {
		ch := unrelated
		switch {
		case o.pattern == "":
			ch = narrower
		case n.pattern == "":
			ch = wider
		}
		w.report(ch, ptr, "pattern", subject, o.pattern, n.pattern)
	}
	if ch := multiple(o.multipleOf, n.multipleOf); ch != same {
		w.report(ch, ptr, "multipleOf", subject, fmtFloat(o.multipleOf), fmtFloat(n.multipleOf))
	}
}

// multiple compares multipleOf: a multiple of the old step accepts fewer
// values, a divisor of it more.
func multiple(o, n *float64) change {
	switch {
	case o == nil && n == nil:
		return same
	case o == nil:
		return narrower
	case n == nil:
		return wider
	case *o == *n:
		return same
	case isMultiple(*n, *o):
		return narrower
	case isMultiple(*o, *n):
		return wider
	}
	return unrelated
}

func isMultiple(a, b float64) bool {
	if b == 0 {
		return false
	}
	q := a / b
	return math.Abs(q-math.Round(q)) < 1e-9
}

// nodeString renders a YAML value for comparison and messages.
func nodeString(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	b, err := yaml.Marshal(n)
	if err != nil {
		return n.Value
	}
	return strings.TrimSpace(string(b))
}

func (w *schemaWalk) enum(ptr, subject string, o, n *schema) {
	if len(o.enum) == 0 && len(n.enum) == 0 {
		return
	}
	ov, nv := o.enum, n.enum
	ptr += "/enum"
	switch {
	case len(ov) == 0:
		w.pick(RuleRequestConstraintNarrowed, RuleResponseNarrowed, ptr, "", strings.Join(nv, ", "),
			subject+" now restricted to enum ["+strings.Join(nv, ", ")+"]")
		return
	case len(nv) == 0:
		w.pick(RuleRequestWidened, RuleResponseEnumValueAdded, ptr, strings.Join(ov, ", "), "",
			subject+" no longer restricted to enum ["+strings.Join(ov, ", ")+"]")
		return
	}
	var removed, added []string
	for _, v := range ov {
		if !slices.Contains(nv, v) {
			removed = append(removed, v)
		}
	}
	for _, v := range nv {
		if !slices.Contains(ov, v) {
			added = append(added, v)
		}
	}
	if w.dir.fromAPI() && len(removed) > 0 && len(added) > 0 {
		// Values replaced: a client that switches on the value gets
		// one it does not know where it got one it did.
		w.add(RuleResponseEnumValueReplaced, ptr, strings.Join(removed, ", "), strings.Join(added, ", "),
			w.dir.String()+" "+subject+" enum values replaced: "+strings.Join(removed, ", ")+" removed, "+strings.Join(added, ", ")+" added")
		return
	}
	if len(removed) > 0 {
		w.pick(RuleRequestEnumValueRemoved, RuleResponseNarrowed, ptr, strings.Join(removed, ", "), "",
			subject+" enum values removed: "+strings.Join(removed, ", "))
	}
	if len(added) > 0 {
		w.pick(RuleRequestWidened, RuleResponseEnumValueAdded, ptr, "", strings.Join(added, ", "),
			subject+" enum values added: "+strings.Join(added, ", "))
	}
}

// defaults compares what the server assumes when a client omits a value:
// only meaningful for what clients send.
func (w *schemaWalk) defaults(ptr, subject string, o, n *schema) {
	if w.dir.fromAPI() || !o.hasDefault {
		return
	}
	ov, nv := o.def, n.def
	if n.hasDefault && ov == nv {
		return
	}
	w.add(RuleRequestDefaultChanged, ptr+"/default", ov, nv,
		w.dir.String()+" "+subject+" default changed from "+ov+" to "+orNone(nv)+": clients that omit it get another behaviour")
}

func (w *schemaWalk) additional(ptr, subject string, o, n *schema) {
	if !w.dir.fromAPI() && !o.additionalClosed && n.additionalClosed {
		w.add(RuleRequestAdditionalPropsClosed, ptr+"/additionalProperties", "open", "false",
			w.dir.String()+" "+subject+" no longer accepts additional properties")
	}
	if o.additional != nil && n.additional != nil {
		w.nested(ptr+"/additionalProperties", subject+"{}", *o.additional, *n.additional)
	}
}
