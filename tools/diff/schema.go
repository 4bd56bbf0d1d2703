package diff

import (
	"path"
	"strings"
)

// direction says who sends a schema's values: the client or the API. A
// change that accepts more is harmless in what the client sends (the API
// reads it) and breaking in what the API sends (the client reads it), and
// the reverse. The request-* rules are about values the client sends, the
// response-* rules about values the API sends, whatever the message.
type direction int

const (
	request direction = iota
	response
	// requestText is a request value serialized as text (a path, query,
	// header or cookie parameter): there a string accepts every number or
	// boolean the client used to send.
	requestText
	// callbackRequest is a request the API sends to the client: a
	// callback or a webhook, with its parameters and body.
	callbackRequest
	// callbackResponse is the client's answer to a callback or webhook.
	callbackResponse
)

// fromAPI reports whether the API sends the values and the client reads
// them.
func (d direction) fromAPI() bool { return d == response || d == callbackRequest }

func (d direction) String() string {
	switch d {
	case response:
		return "response"
	case callbackRequest:
		return "callback request"
	case callbackResponse:
		return "callback response"
	}
	return "request"
}

// memoKey identifies the comparison of two referenced schemas in one
// direction. Components are shared by many operations; comparing each pair
// once keeps large documents fast and stops on recursive schemas. The key is
// the resolved schemas, not the $refs: "#/X" in another file is another
// schema.
type memoKey struct {
	old, new *schema
	dir      direction
}

// schema compares two schemas reached at ptr (a pointer into the new
// document) in direction dir. subject names the value in messages. The
// findings have no operation yet; the caller stamps it.
func (c *comparer) schema(dir direction, ptr, subject string, o, n schemaRef) []Finding {
	if o.s == nil || n.s == nil || !fullWalk && c.same.schemas(o.s, n.s) {
		return nil
	}
	if n.isRef() {
		ptr, subject = refPointer(n.ref), refName(n.ref)
	}
	keyed := o.isRef() && n.isRef()
	key := memoKey{o.s, n.s, dir}
	if keyed {
		if fs, ok := c.memo[key]; ok {
			return fs
		}
		if c.busy[key] {
			return nil
		}
		c.busy[key] = true
		defer delete(c.busy, key)
	}
	w := &schemaWalk{c: c, dir: dir}
	w.compare(ptr, subject, flatten(o.s, ptr), flatten(n.s, ptr))
	if keyed {
		c.memo[key] = w.out
	}
	return w.out
}

// refPointer turns a $ref into a pointer: "#/components/schemas/A" becomes
// "/components/schemas/A"; a reference into another file keeps its file.
func refPointer(ref string) string {
	if strings.HasPrefix(ref, "#") {
		return ref[1:]
	}
	return ref
}

// refName is the last token of a $ref, the component's name.
func refName(ref string) string {
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		return ref[i+1:]
	}
	return path.Base(ref)
}

// schemaWalk collects the findings of one schema pair.
type schemaWalk struct {
	c   *comparer
	dir direction
	out []Finding
}

func (w *schemaWalk) add(rule, ptr, old, new, msg string) {
	w.out = append(w.out, newFinding("", rule, ptr, old, new, msg))
}

// pick chooses the rule by direction: in a request the change is judged by
// ifRequest, in a response by ifResponse. An empty rule means no finding.
func (w *schemaWalk) pick(ifRequest, ifResponse, ptr, old, new, msg string) {
	rule := ifRequest
	if w.dir.fromAPI() {
		rule = ifResponse
	}
	if rule != "" {
		w.add(rule, ptr, old, new, w.dir.String()+" "+msg)
	}
}

// prop is a property with the pointer where it is declared.
type prop struct {
	schemaRef
	ptr string
}

// view is a schema with its allOf members merged in, so that moving
// properties into a shared $ref'd base changes nothing.
type view struct {
	s        *schema
	ptr      string
	types    []string
	nullable bool
	props    map[string]prop
	order    []string
	required map[string]bool
}

func flatten(s *schema, ptr string) *view {
	v := &view{s: s, ptr: ptr, props: map[string]prop{}, required: map[string]bool{}}
	v.merge(s, ptr, 0)
	return v
}

func (v *view) merge(s *schema, ptr string, depth int) {
	if s == nil || depth > 32 {
		return
	}
	for _, t := range s.types {
		if t == "null" {
			v.nullable = true
		} else if depth == 0 || len(v.types) == 0 {
			v.types = append(v.types, t)
		}
	}
	if s.nullable {
		v.nullable = true
	}
	for _, p := range s.properties {
		if _, ok := v.props[p.name]; ok {
			continue
		}
		v.order = append(v.order, p.name)
		v.props[p.name] = prop{schemaRef: p.schema, ptr: pointer(ptr, "properties", p.name)}
	}
	for _, r := range s.required {
		v.required[r] = true
	}
	for i, m := range s.allOf {
		mptr := pointer(ptr, "allOf", itoa(i))
		if m.isRef() {
			mptr = refPointer(m.ref)
		}
		v.merge(m.s, mptr, depth+1)
	}
}

func (w *schemaWalk) compare(ptr, subject string, o, n *view) {
	if !w.types(ptr, subject, o, n) {
		return
	}
	w.nullable(ptr, subject, o, n)
	w.format(ptr, subject, o.s, n.s)
	w.bounds(ptr, subject, o.s, n.s)
	if !oneValueEither(o.s, n.s) {
		w.enum(ptr, subject, o.s, n.s)
		w.constant(ptr, subject, o.s, n.s)
	}
	w.defaults(ptr, subject, o.s, n.s)
	w.additional(ptr, subject, o.s, n.s)
	w.properties(subject, o, n)
	w.items(ptr, subject, o.s, n.s)
	w.tuple(ptr, subject, o.s, n.s)
	w.variants(ptr, subject, "oneOf", o.s.oneOf, n.s.oneOf)
	w.variants(ptr, subject, "anyOf", o.s.anyOf, n.s.anyOf)
	w.conditional(ptr, subject, o.s, n.s)
}

func (w *schemaWalk) nested(ptr, subject string, o, n schemaRef) {
	w.out = append(w.out, w.c.schema(w.dir, ptr, subject, o, n)...)
}

// items compares what the elements of an array (past prefixItems) must
// match: a schema, any value, or none (3.1 items: false).
func (w *schemaWalk) items(ptr, subject string, o, n *schema) {
	w.position(ptr+"/items", subject+"[]", governing{o.items, o.itemsClosed}, governing{n.items, n.itemsClosed})
}

func (w *schemaWalk) properties(subject string, o, n *view) {
	for _, name := range o.order {
		op := o.props[name]
		what := "property " + subject + "." + name
		os := op.s
		if w.hidden(os) {
			continue
		}
		np, ok := n.props[name]
		if !ok {
			deprecated, rawSunset := false, ""
			if os != nil {
				deprecated, rawSunset = os.deprecated, os.sunset
			}
			var f Finding
			if !w.dir.fromAPI() {
				f = removalFinding(w.c.now, "", RuleRequestPropertyRemoved, op.ptr, deprecated, rawSunset,
					w.dir.String()+" "+what+" removed: the API ignores it")
			} else {
				f = removalFinding(w.c.now, "", RuleResponsePropertyRemoved, op.ptr, deprecated, rawSunset,
					w.dir.String()+" "+what+" removed")
			}
			w.out = append(w.out, f)
			continue
		}
		ns := np.s
		w.nested(np.ptr, subject+"."+name, op.schemaRef, np.schemaRef)
		if w.hidden(ns) {
			continue
		}
		switch {
		case !w.dir.fromAPI() && !o.required[name] && n.required[name]:
			w.add(RuleRequestPropertyBecameReq, np.ptr, "optional", "required", w.dir.String()+" "+what+" became required")
		case !w.dir.fromAPI() && o.required[name] && !n.required[name]:
			w.add(RuleRequestWidened, np.ptr, "required", "optional", w.dir.String()+" "+what+" became optional")
		case w.dir.fromAPI() && o.required[name] && !n.required[name]:
			w.add(RuleResponsePropertyOptional, np.ptr, "required", "optional", w.dir.String()+" "+what+" became optional")
		}
		if !w.dir.fromAPI() && ns != nil && os != nil && !os.deprecated && ns.deprecated {
			w.out = append(w.out, deprecationFinding("", np.ptr, ns.sunset, w.dir.String()+" "+what))
		}
	}
	for _, name := range n.order {
		if _, ok := o.props[name]; ok {
			continue
		}
		np := n.props[name]
		if w.hidden(np.s) {
			continue
		}
		what := "property " + subject + "." + name
		switch {
		case !w.dir.fromAPI() && n.required[name]:
			w.add(RuleRequestPropertyRequiredAdded, np.ptr, "", name, "new required "+w.dir.String()+" "+what)
		case !w.dir.fromAPI():
			w.add(RuleRequestPropertyAdded, np.ptr, "", name, "new optional "+w.dir.String()+" "+what)
		default:
			w.add(RuleResponsePropertyAdded, np.ptr, "", name, "new "+w.dir.String()+" "+what)
		}
	}
}

// hidden reports whether a property does not travel in the walk's direction:
// readOnly properties are never sent by clients, writeOnly ones never
// returned.
func (w *schemaWalk) hidden(s *schema) bool {
	if s == nil {
		return false
	}
	if !w.dir.fromAPI() {
		return s.readOnly
	}
	return s.writeOnly
}

// variants matches oneOf/anyOf alternatives by $ref, else by position.
func (w *schemaWalk) variants(ptr, subject, kw string, o, n []schemaRef) {
	if len(o) == 0 && len(n) == 0 {
		return
	}
	used := make([]bool, len(n))
	match := func(i int, op schemaRef) int {
		if op.isRef() {
			for j, np := range n {
				if !used[j] && np.isRef() && np.ref == op.ref {
					return j
				}
			}
			return -1
		}
		if i < len(n) && !used[i] && !n[i].isRef() {
			return i
		}
		return -1
	}
	for i, op := range o {
		j := match(i, op)
		label := variantLabel(op, i)
		if j < 0 {
			w.pick(RuleRequestVariantRemoved, RuleResponseNarrowed, pointer(ptr, kw, itoa(i)), label, "",
				subject+" "+kw+" alternative "+label+" removed")
			continue
		}
		used[j] = true
		w.nested(pointer(ptr, kw, itoa(j)), subject, op, n[j])
	}
	for j, np := range n {
		if !used[j] {
			label := variantLabel(np, j)
			w.pick(RuleRequestWidened, RuleResponseVariantAdded, pointer(ptr, kw, itoa(j)), "", label,
				subject+" "+kw+" alternative "+label+" added")
		}
	}
}

func variantLabel(p schemaRef, i int) string {
	if p.isRef() {
		return refName(p.ref)
	}
	return "#" + itoa(i)
}
