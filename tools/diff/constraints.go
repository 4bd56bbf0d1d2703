package diff

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	"github.com/pb33f/libopenapi/orderedmap"
)

func itoa(i int) string { return strconv.Itoa(i) }

func extensionsOf(s *base.Schema) *orderedmap.Map[string, *yaml.Node] {
	if s == nil {
		return nil
	}
	return s.Extensions
}

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
	if w.dir != response {
		if accepts(n.types, o.types) || w.dir == requestText && sameSet(n.types, []string{"string"}) {
			w.add(RuleRequestWidened, ptr+"/type", ot, nt, "request "+msg)
			return true
		}
		w.add(RuleRequestTypeChanged, ptr+"/type", ot, nt, "request "+msg)
		return false
	}
	if accepts(o.types, n.types) {
		w.add(RuleResponseNarrowed, ptr+"/type", ot, nt, "response "+msg)
		return true
	}
	w.add(RuleResponseTypeChanged, ptr+"/type", ot, nt, "response "+msg)
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

func (w *schemaWalk) format(ptr, subject string, o, n *base.Schema) {
	if o.Format == n.Format {
		return
	}
	msg := subject + " format changed from " + orNone(o.Format) + " to " + orNone(n.Format)
	switch {
	case n.Format == "" || widerFormats[o.Format] == n.Format:
		w.pick(RuleRequestWidened, RuleResponseConstraintWidened, ptr+"/format", o.Format, n.Format, msg)
	case o.Format == "" || widerFormats[n.Format] == o.Format:
		w.pick(RuleRequestConstraintNarrowed, RuleResponseNarrowed, ptr+"/format", o.Format, n.Format, msg)
	default:
		// An unrelated format is both narrower and wider.
		w.pick(RuleRequestConstraintNarrowed, RuleResponseConstraintWidened, ptr+"/format", o.Format, n.Format, msg)
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
		w.pick(RuleRequestConstraintNarrowed, RuleResponseConstraintWidened, ptr+"/"+keyword, old, new, msg)
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

func intBound(v *int64) *float64 {
	if v == nil {
		return nil
	}
	f := float64(*v)
	return &f
}

// exclusive returns the 3.1 numeric form of exclusiveMaximum/Minimum, and
// whether the 3.0 boolean form is set.
func exclusive(d *base.DynamicValue[bool, float64]) (*float64, bool) {
	if d == nil {
		return nil, false
	}
	if d.IsB() {
		v := d.B
		return &v, false
	}
	return nil, d.A
}

func (w *schemaWalk) bounds(ptr, subject string, o, n *base.Schema) {
	num := func(kw string, ov, nv *float64, upper bool) {
		w.report(bound(ov, nv, upper), ptr, kw, subject, fmtFloat(ov), fmtFloat(nv))
	}
	num("maximum", o.Maximum, n.Maximum, true)
	num("minimum", o.Minimum, n.Minimum, false)
	num("maxLength", intBound(o.MaxLength), intBound(n.MaxLength), true)
	num("minLength", intBound(o.MinLength), intBound(n.MinLength), false)
	num("maxItems", intBound(o.MaxItems), intBound(n.MaxItems), true)
	num("minItems", intBound(o.MinItems), intBound(n.MinItems), false)
	num("maxProperties", intBound(o.MaxProperties), intBound(n.MaxProperties), true)
	num("minProperties", intBound(o.MinProperties), intBound(n.MinProperties), false)
	oxmax, oxmaxb := exclusive(o.ExclusiveMaximum)
	nxmax, nxmaxb := exclusive(n.ExclusiveMaximum)
	num("exclusiveMaximum", oxmax, nxmax, true)
	oxmin, oxminb := exclusive(o.ExclusiveMinimum)
	nxmin, nxminb := exclusive(n.ExclusiveMinimum)
	num("exclusiveMinimum", oxmin, nxmin, false)
	flag := func(kw string, ov, nv bool) {
		switch {
		case !ov && nv:
			w.report(narrower, ptr, kw, subject, "false", "true")
		case ov && !nv:
			w.report(wider, ptr, kw, subject, "true", "false")
		}
	}
	flag("exclusiveMaximum", oxmaxb, nxmaxb)
	flag("exclusiveMinimum", oxminb, nxminb)
	flag("uniqueItems", isTrue(o.UniqueItems), isTrue(n.UniqueItems))
	if o.Pattern != n.Pattern {
		ch := unrelated
		switch {
		case o.Pattern == "":
			ch = narrower
		case n.Pattern == "":
			ch = wider
		}
		w.report(ch, ptr, "pattern", subject, o.Pattern, n.Pattern)
	}
	if ch := multiple(o.MultipleOf, n.MultipleOf); ch != same {
		w.report(ch, ptr, "multipleOf", subject, fmtFloat(o.MultipleOf), fmtFloat(n.MultipleOf))
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

func enumValues(s *base.Schema) []string {
	vals := make([]string, 0, len(s.Enum))
	for _, e := range s.Enum {
		vals = append(vals, nodeString(e))
	}
	return vals
}

func (w *schemaWalk) enum(ptr, subject string, o, n *base.Schema) {
	if len(o.Enum) == 0 && len(n.Enum) == 0 {
		return
	}
	ov, nv := enumValues(o), enumValues(n)
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
func (w *schemaWalk) defaults(ptr, subject string, o, n *base.Schema) {
	if w.dir == response || o.Default == nil {
		return
	}
	ov, nv := nodeString(o.Default), nodeString(n.Default)
	if n.Default != nil && ov == nv {
		return
	}
	w.add(RuleRequestDefaultChanged, ptr+"/default", ov, nv,
		"request "+subject+" default changed from "+ov+" to "+orNone(nv)+": clients that omit it get another behaviour")
}

func closed(d *base.DynamicValue[*base.SchemaProxy, bool]) bool {
	return d != nil && d.IsB() && !d.B
}

func (w *schemaWalk) additional(ptr, subject string, o, n *base.Schema) {
	if w.dir != response && !closed(o.AdditionalProperties) && closed(n.AdditionalProperties) {
		w.add(RuleRequestAdditionalPropsClosed, ptr+"/additionalProperties", "open", "false",
			"request "+subject+" no longer accepts additional properties")
	}
	if o.AdditionalProperties != nil && n.AdditionalProperties != nil && o.AdditionalProperties.IsA() && n.AdditionalProperties.IsA() {
		w.nested(ptr+"/additionalProperties", subject+"{}", o.AdditionalProperties.A, n.AdditionalProperties.A)
	}
}
