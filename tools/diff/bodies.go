package diff

import (
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
)

func (c *comparer) requestBody(label, ptr string, o, n *v3.RequestBody) {
	switch {
	case o == nil && n == nil:
		return
	case o == nil:
		if isTrue(n.Required) {
			c.add(label, RuleRequestBodyBecameRequired, ptr, "", "required", "new required request body")
		} else {
			c.add(label, RuleRequestBodyAdded, ptr, "", "optional", "new optional request body")
		}
		return
	case n == nil:
		c.add(label, RuleRequestBodyRemoved, ptr, "", "", "request body removed: the server ignores it")
		return
	}
	if !isTrue(o.Required) && isTrue(n.Required) {
		c.add(label, RuleRequestBodyBecameRequired, ptr+"/required", "false", "true", "request body became required")
	}
	c.content(label, ptr+"/content", request, "request body", o.Content, n.Content)
}

// content compares the media types of a body; a removed request media type
// is refused by the server, a removed response media type is one the client
// can no longer get.
func (c *comparer) content(label, ptr string, dir direction, what string, o, n *orderedmap.Map[string, *v3.MediaType]) {
	removedRule, addedRule := RuleRequestMediaTypeRemoved, RuleRequestMediaTypeAdded
	if dir == response {
		removedRule, addedRule = RuleResponseMediaTypeRemoved, RuleResponseMediaTypeAdded
	}
	for mt, om := range o.FromOldest() {
		nm, ok := get(n, mt)
		if !ok {
			c.add(label, removedRule, pointer(ptr, mt), mt, "", what+" media type "+mt+" removed")
			continue
		}
		c.stamp(label, c.schema(dir, pointer(ptr, mt)+"/schema", what, schemaOf(om), schemaOf(nm)))
	}
	for mt := range n.KeysFromOldest() {
		if _, ok := get(o, mt); !ok {
			c.add(label, addedRule, pointer(ptr, mt), "", mt, what+" media type "+mt+" added")
		}
	}
}

func schemaOf(m *v3.MediaType) *base.SchemaProxy {
	if m == nil {
		return nil
	}
	return m.Schema
}

func (c *comparer) responses(label, ptr string, o, n *v3.Responses) {
	if o == nil || n == nil {
		return
	}
	type resp struct {
		code string
		r    *v3.Response
	}
	list := func(rs *v3.Responses) (order []string, m map[string]*v3.Response) {
		m = map[string]*v3.Response{}
		for code, r := range rs.Codes.FromOldest() {
			order = append(order, code)
			m[code] = r
		}
		if rs.Default != nil {
			order = append(order, "default")
			m["default"] = rs.Default
		}
		return order, m
	}
	oldOrder, oldResps := list(o)
	newOrder, newResps := list(n)
	for _, code := range oldOrder {
		nr, ok := newResps[code]
		if !ok {
			c.add(label, RuleResponseStatusRemoved, pointer(ptr, code), code, "", "response status "+code+" removed")
			continue
		}
		c.response(label, pointer(ptr, code), code, oldResps[code], nr)
	}
	for _, code := range newOrder {
		if _, ok := oldResps[code]; !ok {
			c.add(label, RuleResponseStatusAdded, pointer(ptr, code), "", code, "new response status "+code)
		}
	}
}

func (c *comparer) response(label, ptr, code string, o, n *v3.Response) {
	what := "response " + code
	for name, oh := range o.Headers.FromOldest() {
		nh, ok := get(n.Headers, name)
		if !ok {
			c.add(label, RuleResponseHeaderRemoved, pointer(ptr, "headers", name), name, "", what+" header "+name+" removed")
			continue
		}
		c.stamp(label, c.schema(response, pointer(ptr, "headers", name)+"/schema", what+" header "+name, oh.Schema, nh.Schema))
	}
	c.content(label, ptr+"/content", response, what, o.Content, n.Content)
}
