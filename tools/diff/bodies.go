package diff

func (c *comparer) requestBody(label, ptr string, o, n *requestBody) {
	switch {
	case o == nil && n == nil:
		return
	case o == nil:
		if n.required {
			c.add(label, RuleRequestBodyBecameRequired, ptr, "", "required", "new required request body")
		} else {
			c.add(label, RuleRequestBodyAdded, ptr, "", "optional", "new optional request body")
		}
		return
	case n == nil:
		c.add(label, RuleRequestBodyRemoved, ptr, "", "", "request body removed: the server ignores it")
		return
	}
	if !o.required && n.required {
		c.add(label, RuleRequestBodyBecameRequired, ptr+"/required", "false", "true", "request body became required")
	}
	c.content(label, ptr+"/content", request, "request body", o.content, n.content)
}

// content compares the media types of a body; a removed request media type
// is refused by the server, a removed response media type is one the client
// can no longer get.
func (c *comparer) content(label, ptr string, dir direction, what string, o, n []namedSchema) {
	removedRule, addedRule := RuleRequestMediaTypeRemoved, RuleRequestMediaTypeAdded
	if dir == response {
		removedRule, addedRule = RuleResponseMediaTypeRemoved, RuleResponseMediaTypeAdded
	}
	for _, om := range o {
		nm, ok := lookup(n, om.name)
		if !ok {
			c.add(label, removedRule, pointer(ptr, om.name), om.name, "", what+" media type "+om.name+" removed")
			continue
		}
		c.stamp(label, c.schema(dir, pointer(ptr, om.name)+"/schema", what, om.schema, nm.schema))
	}
	for _, nm := range n {
		if _, ok := lookup(o, nm.name); !ok {
			c.add(label, addedRule, pointer(ptr, nm.name), "", nm.name, what+" media type "+nm.name+" added")
		}
	}
}

func (c *comparer) responses(label, ptr string, o, n *responses) {
	if o == nil || n == nil {
		return
	}
	oldResps := map[string]*statusResponse{}
	for _, r := range o.codes {
		oldResps[r.code] = r
	}
	newResps := map[string]*statusResponse{}
	for _, r := range n.codes {
		newResps[r.code] = r
	}
	for _, or := range o.codes {
		nr, ok := newResps[or.code]
		if !ok {
			c.add(label, RuleResponseStatusRemoved, pointer(ptr, or.code), or.code, "", "response status "+or.code+" removed")
			continue
		}
		c.response(label, pointer(ptr, or.code), or.code, or, nr)
	}
	for _, nr := range n.codes {
		if _, ok := oldResps[nr.code]; !ok {
			c.add(label, RuleResponseStatusAdded, pointer(ptr, nr.code), "", nr.code, "new response status "+nr.code)
		}
	}
}

func (c *comparer) response(label, ptr, code string, o, n *statusResponse) {
	what := "response " + code
	for _, oh := range o.headers {
		nh, ok := lookup(n.headers, oh.name)
		if !ok {
			c.add(label, RuleResponseHeaderRemoved, pointer(ptr, "headers", oh.name), oh.name, "", what+" header "+oh.name+" removed")
			continue
		}
		c.stamp(label, c.schema(response, pointer(ptr, "headers", oh.name)+"/schema", what+" header "+oh.name, oh.schema, nh.schema))
	}
	c.content(label, ptr+"/content", response, what, o.content, n.content)
}
