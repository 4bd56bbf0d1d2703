package diff

import (
	"strconv"
	"strings"
)

// param is a parameter as one operation sees it, with where it is declared.
type param struct {
	p   *parameter
	ptr string
}

// paramKey identifies a parameter for a client: header names are case
// insensitive, and a path parameter is its position in the template, since
// its name never reaches the wire.
func paramKey(p *parameter, rawPath string) string {
	switch p.in {
	case "header":
		return "header:" + strings.ToLower(p.name)
	case "path":
		for i, m := range pathTemplateParam.FindAllString(rawPath, -1) {
			if m == "{"+p.name+"}" {
				return "path:" + strconv.Itoa(i)
			}
		}
	}
	return p.in + ":" + p.name
}

// effectiveParams merges the path item's parameters with the operation's;
// the operation's win on the same name and location, as OpenAPI says.
func effectiveParams(base string, item *pathItem, op *operation) (order []string, byKey map[string]param) {
	byKey = map[string]param{}
	put := func(p *parameter, ptr string) {
		k := paramKey(p, item.path)
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = param{p: p, ptr: ptr}
	}
	for i, p := range item.params {
		if !ignoredHeader(p) {
			put(p, pointer(base, item.path, "parameters", strconv.Itoa(i)))
		}
	}
	for i, p := range op.params {
		if !ignoredHeader(p) {
			put(p, pointer(base, item.path, op.method, "parameters", strconv.Itoa(i)))
		}
	}
	return order, byKey
}

// ignoredHeader reports whether p is a header parameter that OpenAPI says
// is ignored: Accept, Content-Type and Authorization are described by the
// media types and the security schemes, whatever the parameter says.
func ignoredHeader(p *parameter) bool {
	if p.in != "header" {
		return false
	}
	switch strings.ToLower(p.name) {
	case "accept", "content-type", "authorization":
		return true
	}
	return false
}

func paramRequired(p *parameter) bool { return p.in == "path" || p.required }

// shape is a parameter's type and format, enough to recognize a rename.
func shape(p *parameter) string {
	if s := p.schema.s; s != nil {
		return strings.Join(s.types, ",") + "/" + s.format
	}
	return ""
}

func (c *comparer) parameters(set itemSet, label string, o, n *pathItem, oop, nop *operation) {
	oldOrder, oldParams := effectiveParams(set.base, o, oop)
	newOrder, newParams := effectiveParams(set.base, n, nop)
	if set.x.params.fromAPI() {
		c.callbackParameters(label, oldOrder, oldParams, newOrder, newParams)
		return
	}
	var removed []param
	for _, k := range oldOrder {
		op := oldParams[k]
		np, ok := newParams[k]
		if !ok {
			removed = append(removed, op)
			continue
		}
		c.parameter(label, op, np)
	}
	added := map[string]param{}
	var addedOrder []string
	for _, k := range newOrder {
		if _, ok := oldParams[k]; !ok {
			added[k] = newParams[k]
			addedOrder = append(addedOrder, k)
		}
	}
	for _, r := range removed {
		if k, a, ok := findMoved(r, added, addedOrder); ok {
			delete(added, k)
			c.add(label, RuleParameterMoved, a.ptr, r.p.in, a.p.in,
				"parameter "+r.p.name+" moved from "+r.p.in+" to "+a.p.in)
			continue
		}
		if k, a, ok := findRenamed(r, added, addedOrder); ok {
			delete(added, k)
			c.add(label, RuleParameterRenamed, a.ptr, r.p.name, a.p.name,
				r.p.in+" parameter "+r.p.name+" renamed to "+a.p.name)
			continue
		}
		c.removal(label, RuleParameterRemoved, r.ptr, r.p.deprecated, r.p.sunset,
			r.p.in+" parameter "+r.p.name+" removed")
	}
	for _, k := range addedOrder {
		a, ok := added[k]
		if !ok {
			continue
		}
		if paramRequired(a.p) {
			c.add(label, RuleParameterRequiredAdded, a.ptr, "", a.p.name, "new required "+a.p.in+" parameter "+a.p.name)
		} else {
			c.add(label, RuleParameterAdded, a.ptr, "", a.p.name, "new optional "+a.p.in+" parameter "+a.p.name)
		}
	}
}

// findMoved finds an added parameter with the removed one's name in another
// location.
func findMoved(r param, added map[string]param, order []string) (string, param, bool) {
	for _, k := range order {
		a, ok := added[k]
		if ok && a.p.in != r.p.in && strings.EqualFold(a.p.name, r.p.name) {
			return k, a, true
		}
	}
	return "", param{}, false
}

// findRenamed finds an added parameter in the same location with the same
// type: the client's value now goes to a name the server does not read.
func findRenamed(r param, added map[string]param, order []string) (string, param, bool) {
	for _, k := range order {
		a, ok := added[k]
		if ok && a.p.in == r.p.in && shape(a.p) == shape(r.p) {
			return k, a, true
		}
	}
	return "", param{}, false
}

func (c *comparer) parameter(label string, o, n param) {
	what := n.p.in + " parameter " + n.p.name
	if o.p.in == "path" && o.p.name != n.p.name {
		c.add(label, RulePathParameterRenamed, n.ptr, o.p.name, n.p.name,
			"path parameter "+o.p.name+" renamed to "+n.p.name+" (same position in the URL)")
	}
	if !paramRequired(o.p) && paramRequired(n.p) {
		c.add(label, RuleParameterBecameRequired, n.ptr+"/required", "false", "true", what+" became required")
	}
	if !o.p.deprecated && n.p.deprecated {
		c.deprecation(label, n.ptr, n.p.sunset, what)
	}
	c.serializationChanges(label, what, false, o, n)
	c.stamp(label, c.schema(requestText, n.ptr+n.p.schemaAt, what, o.p.schema, n.p.schema))
}

// callbackParameters compares the parameters of a request the API sends (a
// callback or a webhook): the client reads them, so one removed, or no
// longer always sent, breaks it, and one added is only more to read. There
// is no rename or move to recognize: either way the value the client read
// is gone.
func (c *comparer) callbackParameters(label string, oldOrder []string, oldParams map[string]param, newOrder []string, newParams map[string]param) {
	for _, k := range oldOrder {
		o := oldParams[k]
		what := "callback " + o.p.in + " parameter " + o.p.name
		n, ok := newParams[k]
		if !ok {
			c.removal(label, RuleCallbackParameterRemoved, o.ptr, o.p.deprecated, o.p.sunset,
				what+" removed: the API no longer sends it")
			continue
		}
		if paramRequired(o.p) && !paramRequired(n.p) {
			c.add(label, RuleCallbackParameterRemoved, n.ptr+"/required", "true", "false",
				what+" became optional: the API may no longer send it")
		}
		if !o.p.deprecated && n.p.deprecated {
			c.deprecation(label, n.ptr, n.p.sunset, what)
		}
		c.serializationChanges(label, what, true, o, n)
		c.stamp(label, c.schema(callbackRequest, n.ptr+n.p.schemaAt, what, o.p.schema, n.p.schema))
	}
	for _, k := range newOrder {
		if _, ok := oldParams[k]; !ok {
			n := newParams[k]
			c.add(label, RuleCallbackParameterAdded, n.ptr, "", n.p.name,
				"new callback "+n.p.in+" parameter "+n.p.name)
		}
	}
}

// stamp records schema findings under an operation.
func (c *comparer) stamp(label string, fs []Finding) {
	for _, f := range fs {
		f.Operation = label
		c.out = append(c.out, f)
	}
}
