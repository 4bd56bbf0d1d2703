package diff

import (
	"strconv"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// param is a parameter as one operation sees it, with where it is declared.
type param struct {
	p   *v3.Parameter
	ptr string
}

// paramKey identifies a parameter for a client: header names are case
// insensitive, and a path parameter is its position in the template, since
// its name never reaches the wire.
func paramKey(p *v3.Parameter, rawPath string) string {
	switch p.In {
	case "header":
		return "header:" + strings.ToLower(p.Name)
	case "path":
		for i, m := range pathTemplateParam.FindAllString(rawPath, -1) {
			if m == "{"+p.Name+"}" {
				return "path:" + strconv.Itoa(i)
			}
		}
	}
	return p.In + ":" + p.Name
}

// effectiveParams merges the path item's parameters with the operation's;
// the operation's win on the same name and location, as OpenAPI says.
func effectiveParams(e pathEntry, method string, op *v3.Operation) (order []string, byKey map[string]param) {
	byKey = map[string]param{}
	put := func(p *v3.Parameter, ptr string) {
		k := paramKey(p, e.raw)
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = param{p: p, ptr: ptr}
	}
	for i, p := range e.item.Parameters {
		put(p, pointer("/paths", e.raw, "parameters", strconv.Itoa(i)))
	}
	for i, p := range op.Parameters {
		put(p, pointer("/paths", e.raw, method, "parameters", strconv.Itoa(i)))
	}
	return order, byKey
}

func paramRequired(p *v3.Parameter) bool { return p.In == "path" || isTrue(p.Required) }

// paramSchema returns the schema of a parameter, from schema or content.
func paramSchema(p *v3.Parameter) (*base.SchemaProxy, string) {
	if p.Schema != nil {
		return p.Schema, "/schema"
	}
	for mt, m := range p.Content.FromOldest() {
		return m.Schema, pointer("/content", mt) + "/schema"
	}
	return nil, ""
}

// shape is a parameter's type and format, enough to recognize a rename.
func shape(p *v3.Parameter) string {
	sp, _ := paramSchema(p)
	if s := sp.Schema(); s != nil {
		return strings.Join(s.Type, ",") + "/" + s.Format
	}
	return ""
}

func (c *comparer) parameters(label string, o, n pathEntry, oop, nop *v3.Operation) {
	method := strings.ToLower(strings.Fields(label)[0])
	oldOrder, oldParams := effectiveParams(o, method, oop)
	newOrder, newParams := effectiveParams(n, method, nop)
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
			c.add(label, RuleParameterMoved, a.ptr, r.p.In, a.p.In,
				"parameter "+r.p.Name+" moved from "+r.p.In+" to "+a.p.In)
			continue
		}
		if k, a, ok := findRenamed(r, added, addedOrder); ok {
			delete(added, k)
			c.add(label, RuleParameterRenamed, a.ptr, r.p.Name, a.p.Name,
				r.p.In+" parameter "+r.p.Name+" renamed to "+a.p.Name)
			continue
		}
		c.removal(label, RuleParameterRemoved, r.ptr, r.p.Deprecated, r.p.Extensions,
			r.p.In+" parameter "+r.p.Name+" removed")
	}
	for _, k := range addedOrder {
		a, ok := added[k]
		if !ok {
			continue
		}
		if paramRequired(a.p) {
			c.add(label, RuleParameterRequiredAdded, a.ptr, "", a.p.Name, "new required "+a.p.In+" parameter "+a.p.Name)
		} else {
			c.add(label, RuleParameterAdded, a.ptr, "", a.p.Name, "new optional "+a.p.In+" parameter "+a.p.Name)
		}
	}
}

// findMoved finds an added parameter with the removed one's name in another
// location.
func findMoved(r param, added map[string]param, order []string) (string, param, bool) {
	for _, k := range order {
		a, ok := added[k]
		if ok && a.p.In != r.p.In && strings.EqualFold(a.p.Name, r.p.Name) {
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
		if ok && a.p.In == r.p.In && shape(a.p) == shape(r.p) {
			return k, a, true
		}
	}
	return "", param{}, false
}

func (c *comparer) parameter(label string, o, n param) {
	what := n.p.In + " parameter " + n.p.Name
	if o.p.In == "path" && o.p.Name != n.p.Name {
		c.add(label, RulePathParameterRenamed, n.ptr, o.p.Name, n.p.Name,
			"path parameter "+o.p.Name+" renamed to "+n.p.Name+" (same position in the URL)")
	}
	if !paramRequired(o.p) && paramRequired(n.p) {
		c.add(label, RuleParameterBecameRequired, n.ptr+"/required", "false", "true", what+" became required")
	}
	if !o.p.Deprecated && n.p.Deprecated {
		c.deprecation(label, n.ptr, n.p.Extensions, what)
	}
	os, _ := paramSchema(o.p)
	ns, suffix := paramSchema(n.p)
	c.stamp(label, c.schema(requestText, n.ptr+suffix, what, os, ns))
}

// stamp records schema findings under an operation.
func (c *comparer) stamp(label string, fs []Finding) {
	for _, f := range fs {
		f.Operation = label
		c.out = append(c.out, f)
	}
}
