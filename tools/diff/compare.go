package diff

import (
	"regexp"
	"strings"
	"time"
)

// Options tune a comparison.
type Options struct {
	// Now is the instant x-sunset dates are compared with; the zero value
	// means time.Now().
	Now time.Time
}

// comparer holds the state of one comparison: the memo of shared schema
// comparisons and the findings so far.
type comparer struct {
	old, new *Spec
	now      time.Time
	memo     map[memoKey][]Finding
	busy     map[memoKey]bool
	reached  map[reachedKey]*reached
	same     *sameSchemas
	out      []Finding
}

// Compare classifies every difference between old and new from the point of
// view of a client written against old. Findings come in document order of
// the old spec's paths, then the new spec's added paths.
func Compare(old, new *Spec, opts Options) []Finding {
	c := &comparer{
		old:     old,
		new:     new,
		now:     opts.Now,
		memo:    map[memoKey][]Finding{},
		busy:    map[memoKey]bool{},
		reached: map[reachedKey]*reached{},
		same:    newSameSchemas(),
	}
	if c.now.IsZero() {
		c.now = time.Now()
	}
	c.pathItems(paths, c.old.doc.paths, c.new.doc.paths)
	c.pathItems(webhooks, c.old.doc.webhooks, c.new.doc.webhooks)
	return c.out
}

// add records a finding with the rule's own severity.
func (c *comparer) add(op, rule, ptr, old, new, msg string) {
	c.out = append(c.out, newFinding(op, rule, ptr, old, new, msg))
}

func newFinding(op, rule, ptr, old, new, msg string) Finding {
	return Finding{Rule: rule, Severity: ruleSeverity[rule], Operation: op, Pointer: ptr, Old: old, New: new, Message: wording(msg)}
}

// pathTemplateParam matches one templated segment of a path.
var pathTemplateParam = regexp.MustCompile(`\{[^}]*\}`)

// normalizePath drops path parameter names: /a/{id} and /a/{key} are the same
// URL for a client.
func normalizePath(p string) string { return pathTemplateParam.ReplaceAllString(p, "{}") }

// itemSet is a set of path items compared together: the document's paths,
// its webhooks, or the callbacks of an operation. They differ in how items
// are matched, how findings are labelled, which rules removals and
// additions fall under, and who sends what (exchange).
type itemSet struct {
	base  string // the pointer of the map: "/paths", "/webhooks", ".../callbacks/<name>"
	what  string // "path", "webhook", "callback <name>"
	key   func(path string) string
	label func(method, path string) string
	// The rules for a whole item and for one of its operations removed
	// or added.
	removed, added, opRemoved, opAdded string
	x                                  exchange
}

// exchange says who sends what in an operation. In the API's operations
// the client sends the parameters and the body and the API answers; in a
// callback or a webhook the API sends the request and the client answers.
type exchange struct {
	params, body, answer direction
}

var (
	apiCall      = exchange{params: requestText, body: request, answer: response}
	callbackCall = exchange{params: callbackRequest, body: callbackRequest, answer: callbackResponse}
)

// paths is the set of the document's paths: /a/{id} and /a/{key} are the
// same URL for a client.
var paths = itemSet{
	base: "/paths", what: "path", key: normalizePath, label: opLabel,
	removed: RulePathRemoved, added: RulePathAdded, opRemoved: RuleOperationRemoved, opAdded: RuleOperationAdded,
	x: apiCall,
}

// webhooks is the set of a 3.1 document's webhooks, by name. A webhook is
// a request the API sends to the integrator's own endpoint: removing one
// silently stops events the integrator's system depends on.
var webhooks = itemSet{
	base: "/webhooks", what: "webhook", key: func(name string) string { return name },
	label:   func(method, name string) string { return opLabel(method, "webhook:"+name) },
	removed: RuleWebhookRemoved, added: RuleWebhookAdded, opRemoved: RuleWebhookRemoved, opAdded: RuleWebhookAdded,
	x: callbackCall,
}

// callbacks is the set of one callback of an operation, by runtime
// expression; findings are labelled with the operation that registers it.
func callbacks(label, ptr, name string) itemSet {
	return itemSet{
		base: pointer(ptr, "callbacks", name), what: "callback " + name, key: func(expr string) string { return expr },
		label:   func(string, string) string { return label },
		removed: RuleCallbackRemoved, added: RuleCallbackAdded, opRemoved: RuleCallbackRemoved, opAdded: RuleCallbackAdded,
		x: callbackCall,
	}
}

func (set itemSet) index(items []*pathItem) (order []string, byKey map[string]*pathItem) {
	byKey = map[string]*pathItem{}
	for _, item := range items {
		k := set.key(item.path)
		order = append(order, k)
		byKey[k] = item
	}
	return order, byKey
}

// describe names one operation of an item in messages.
func (set itemSet) describe(method, path string) string {
	if set.what == "path" {
		return opLabel(method, path)
	}
	return set.what + " " + path + " (" + strings.ToUpper(method) + ")"
}

func (c *comparer) pathItems(set itemSet, o, n []*pathItem) {
	oldOrder, oldItems := set.index(o)
	newOrder, newItems := set.index(n)
	for _, k := range oldOrder {
		oi := oldItems[k]
		ni, ok := newItems[k]
		if !ok {
			for _, op := range oi.ops {
				c.removal(set.label(op.method, oi.path), set.removed, pointer(set.base, oi.path, op.method), op.deprecated, op.sunset,
					set.what+" "+oi.path+" removed")
			}
			continue
		}
		c.pathItem(set, oi, ni)
	}
	for _, k := range newOrder {
		if _, ok := oldItems[k]; ok {
			continue
		}
		ni := newItems[k]
		for _, op := range ni.ops {
			c.add(set.label(op.method, ni.path), set.added, pointer(set.base, ni.path, op.method), "", "", "new "+set.what+" "+ni.path)
		}
	}
}

func opLabel(method, path string) string { return strings.ToUpper(method) + " " + path }

// findOp returns the operation of a path item with the given method.
func findOp(item *pathItem, method string) *operation {
	for _, op := range item.ops {
		if op.method == method {
			return op
		}
	}
	return nil
}

func (c *comparer) pathItem(set itemSet, o, n *pathItem) {
	for _, oop := range o.ops {
		nop := findOp(n, oop.method)
		if nop == nil {
			c.removal(set.label(oop.method, o.path), set.opRemoved, pointer(set.base, o.path, oop.method), oop.deprecated,
				oop.sunset, "operation "+set.describe(oop.method, o.path)+" removed")
			continue
		}
		c.operation(set, o, n, oop, nop)
	}
	for _, nop := range n.ops {
		if findOp(o, nop.method) == nil {
			c.add(set.label(nop.method, n.path), set.opAdded, pointer(set.base, n.path, nop.method), "", "",
				"new operation "+set.describe(nop.method, n.path))
		}
	}
}

func (c *comparer) operation(set itemSet, o, n *pathItem, oop, nop *operation) {
	label := set.label(nop.method, n.path)
	ptr := pointer(set.base, n.path, nop.method)
	if oop.id != nop.id && oop.id != "" {
		c.add(label, RuleOperationIDChanged, ptr+"/operationId", oop.id, nop.id,
			"operationId changed from "+oop.id+" to "+orNone(nop.id))
	}
	if !oop.deprecated && nop.deprecated {
		c.deprecation(label, ptr, nop.sunset, "operation "+set.describe(nop.method, n.path))
	}
	c.parameters(set, label, o, n, oop, nop)
	c.requestBody(set.x.body, label, ptr+"/requestBody", oop.body, nop.body)
	c.responses(set.x.answer, label, ptr+"/responses", oop.responses, nop.responses)
	if set.x == apiCall {
		// The API authenticates the client; how the API authenticates
		// itself to a callback's receiver is not in the document.
		c.security(label, ptr+"/security", oop, nop)
		c.callbacks(label, ptr, oop.callbacks, nop.callbacks)
	}
}

// callbacks compares the callbacks an operation registers, by name.
func (c *comparer) callbacks(label, ptr string, o, n []*callback) {
	find := func(list []*callback, name string) *callback {
		for _, cb := range list {
			if cb.name == name {
				return cb
			}
		}
		return nil
	}
	for _, ocb := range o {
		ncb := find(n, ocb.name)
		if ncb == nil {
			ncb = &callback{name: ocb.name}
		}
		c.pathItems(callbacks(label, ptr, ocb.name), ocb.paths, ncb.paths)
	}
	for _, ncb := range n {
		if find(o, ncb.name) == nil {
			c.pathItems(callbacks(label, ptr, ncb.name), nil, ncb.paths)
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// fullWalk turns off the skipping of schemas that are the same on both
// sides (tests compare both walks).
var fullWalk bool
