package diff

import (
	"slices"
	"strings"
)

func (c *comparer) requestBody(dir direction, label, ptr string, o, n *requestBody) {
	if dir.fromAPI() {
		c.callbackBody(label, ptr, o, n)
		return
	}
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

// callbackBody compares the body of a request the API sends (a callback or
// a webhook) as the client reads it: like a response, a property removed
// or made optional breaks the client, and one added, even required, is only
// more to read.
func (c *comparer) callbackBody(label, ptr string, o, n *requestBody) {
	var oldContent, newContent []namedSchema
	if o != nil {
		oldContent = o.content
	}
	if n != nil {
		newContent = n.content
	}
	if o != nil && n != nil && o.required && !n.required {
		c.add(label, RuleResponsePropertyOptional, ptr+"/required", "true", "false",
			"callback request body became optional: the API may send none")
	}
	c.content(label, ptr+"/content", callbackRequest, "callback request body", oldContent, newContent)
}

// content compares the media types of a body; a removed request media type
// is refused by the server, a removed response media type is one the client
// can no longer get.
func (c *comparer) content(label, ptr string, dir direction, what string, o, n []namedSchema) {
	removedRule, addedRule := RuleRequestMediaTypeRemoved, RuleRequestMediaTypeAdded
	if dir.fromAPI() {
		removedRule, addedRule = RuleResponseMediaTypeRemoved, RuleResponseMediaTypeAdded
	}
	for _, om := range o {
		nm, ok := lookup(n, om.name)
		if !ok {
			c.add(label, removedRule, pointer(ptr, om.name), om.name, "", what+" media type "+om.name+" removed")
			continue
		}
		c.stampIn(label, what, c.schema(dir, pointer(ptr, om.name)+"/schema", what, om.schema, nm.schema))
	}
	for _, nm := range n {
		if _, ok := lookup(o, nm.name); !ok {
			c.add(label, addedRule, pointer(ptr, nm.name), "", nm.name, what+" media type "+nm.name+" added")
		}
	}
}

func (c *comparer) responses(dir direction, label, ptr string, o, n *responses) {
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
			c.add(label, RuleResponseStatusRemoved, pointer(ptr, or.code), or.code, "", dir.String()+" status "+or.code+" removed")
			continue
		}
		c.response(dir, label, pointer(ptr, or.code), or.code, or, nr)
	}
	for _, nr := range n.codes {
		if _, ok := oldResps[nr.code]; !ok {
			c.add(label, RuleResponseStatusAdded, pointer(ptr, nr.code), "", nr.code, "new "+dir.String()+" status "+nr.code)
		}
	}
}

// response compares the answer declared for one status. The answer of a
// callback is the client's: a header in it that the API no longer declares
// is one it no longer reads, and one it now requires is one the client
// must now send.
func (c *comparer) response(dir direction, label, ptr, code string, o, n *statusResponse) {
	what := dir.String() + " " + code
	for _, oh := range o.headers {
		nh, ok := lookup(n.headers, oh.name)
		hptr := pointer(ptr, "headers", oh.name)
		switch {
		case !ok && dir.fromAPI():
			c.add(label, RuleResponseHeaderRemoved, hptr, oh.name, "", what+" header "+oh.name+" removed")
		case !ok:
			c.add(label, RuleRequestPropertyRemoved, hptr, oh.name, "", what+" header "+oh.name+" removed: the API ignores it")
		default:
			c.stamp(label, c.schema(dir, hptr+"/schema", what+" header "+oh.name, oh.schema, nh.schema))
			c.headerRequired(dir, label, hptr+"/required", what+" header "+oh.name, o, n, oh.name)
		}
	}
	for _, nh := range n.headers {
		if _, ok := lookup(o.headers, nh.name); ok {
			continue
		}
		hptr := pointer(ptr, "headers", nh.name)
		switch {
		case dir.fromAPI():
			c.add(label, RuleResponseHeaderAdded, hptr, "", nh.name, what+" header "+nh.name+" added")
		case slices.Contains(n.requiredHeaders, nh.name):
			c.add(label, RuleParameterRequiredAdded, hptr, "", nh.name, what+" header "+nh.name+" added as required: the API refuses answers without it")
		default:
			c.add(label, RuleParameterAdded, hptr, "", nh.name, what+" header "+nh.name+" added")
		}
	}
	c.content(label, ptr+"/content", dir, what, o.content, n.content)
}

// headerRequired compares whether a header is always there: a client may
// rely on a required header the API sends, and must send one the API reads.
func (c *comparer) headerRequired(dir direction, label, ptr, what string, o, n *statusResponse, name string) {
	was, is := slices.Contains(o.requiredHeaders, name), slices.Contains(n.requiredHeaders, name)
	switch {
	case was && !is && dir.fromAPI():
		c.add(label, RuleResponseHeaderOptional, ptr, "true", "false", what+" no longer always sent")
	case !was && is && !dir.fromAPI():
		c.add(label, RuleParameterBecameRequired, ptr, "false", "true", what+" now required: the API refuses answers without it")
	}
}

// reached is a finding of a shared schema already reported for an
// operation, and the bodies it was reached through.
type reached struct {
	at      int // index in comparer.out
	message string
	where   []string
}

// reachedKey identifies one change of one operation.
type reachedKey struct{ op, rule, ptr, old, new string }

// stampIn stamps the findings of a body's schema (where is "request
// body", "response 201"...). A component that several responses of one
// operation return changes once for the client: its finding is reported
// once, naming the statuses it was reached through.
func (c *comparer) stampIn(label, where string, fs []Finding) {
	for _, f := range fs {
		f.Operation = label
		if strings.Contains(f.Message, where) {
			c.out = append(c.out, f)
			continue
		}
		k := reachedKey{label, f.Rule, f.Pointer, f.Old, f.New}
		r, ok := c.reached[k]
		if !ok {
			r = &reached{at: len(c.out), message: f.Message}
			c.reached[k] = r
			c.out = append(c.out, f)
		}
		if !slices.Contains(r.where, where) {
			r.where = append(r.where, where)
		}
		if len(r.where) > 1 || strings.HasPrefix(where, "response ") || strings.HasPrefix(where, "callback response ") {
			c.out[r.at].Message = r.message + " (" + throughBodies(r.where) + ")"
		}
	}
}

// throughBodies names the bodies a finding was reached through:
// "response 201" or "responses 201, 202".
func throughBodies(where []string) string {
	if len(where) == 1 {
		return where[0]
	}
	prefix, _, _ := strings.Cut(where[0], " ")
	codes := make([]string, len(where))
	for i, w := range where {
		p, code, ok := strings.Cut(w, " ")
		if !ok || p != prefix || strings.Contains(code, " ") {
			return strings.Join(where, ", ")
		}
		codes[i] = code
	}
	return prefix + "s " + strings.Join(codes, ", ")
}
