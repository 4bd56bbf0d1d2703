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
	same     *sameSchemas
	out      []Finding
}

// Compare classifies every difference between old and new from the point of
// view of a client written against old. Findings come in document order of
// the old spec's paths, then the new spec's added paths.
func Compare(old, new *Spec, opts Options) []Finding {
	c := &comparer{
		old:  old,
		new:  new,
		now:  opts.Now,
		memo: map[memoKey][]Finding{},
		busy: map[memoKey]bool{},
		same: newSameSchemas(),
	}
	if c.now.IsZero() {
		c.now = time.Now()
	}
	c.paths()
	return c.out
}

// add records a finding with the rule's own severity.
func (c *comparer) add(op, rule, ptr, old, new, msg string) {
	c.out = append(c.out, newFinding(op, rule, ptr, old, new, msg))
}

func newFinding(op, rule, ptr, old, new, msg string) Finding {
	return Finding{Rule: rule, Severity: ruleSeverity[rule], Operation: op, Pointer: ptr, Old: old, New: new, Message: msg}
}

// pathTemplateParam matches one templated segment of a path.
var pathTemplateParam = regexp.MustCompile(`\{[^}]*\}`)

// normalizePath drops path parameter names: /a/{id} and /a/{key} are the same
// URL for a client.
func normalizePath(p string) string { return pathTemplateParam.ReplaceAllString(p, "{}") }

func indexPaths(items []*pathItem) (order []string, byKey map[string]*pathItem) {
	byKey = map[string]*pathItem{}
	for _, item := range items {
		k := normalizePath(item.path)
		order = append(order, k)
		byKey[k] = item
	}
	return order, byKey
}

func (c *comparer) paths() {
	oldOrder, oldPaths := indexPaths(c.old.doc.paths)
	newOrder, newPaths := indexPaths(c.new.doc.paths)
	for _, k := range oldOrder {
		o := oldPaths[k]
		n, ok := newPaths[k]
		if !ok {
			for _, op := range o.ops {
				label := opLabel(op.method, o.path)
				c.removal(label, RulePathRemoved, pointer("/paths", o.path, op.method), op.deprecated, op.sunset,
					"path "+o.path+" removed")
			}
			continue
		}
		c.pathItem(o, n)
	}
	for _, k := range newOrder {
		if _, ok := oldPaths[k]; ok {
			continue
		}
		n := newPaths[k]
		for _, op := range n.ops {
			c.add(opLabel(op.method, n.path), RulePathAdded, pointer("/paths", n.path, op.method), "", "", "new path "+n.path)
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

func (c *comparer) pathItem(o, n *pathItem) {
	for _, oop := range o.ops {
		nop := findOp(n, oop.method)
		if nop == nil {
			c.removal(opLabel(oop.method, o.path), RuleOperationRemoved, pointer("/paths", o.path, oop.method), oop.deprecated,
				oop.sunset, "operation "+opLabel(oop.method, o.path)+" removed")
			continue
		}
		c.operation(o, n, oop, nop)
	}
	for _, nop := range n.ops {
		if findOp(o, nop.method) == nil {
			c.add(opLabel(nop.method, n.path), RuleOperationAdded, pointer("/paths", n.path, nop.method), "", "",
				"new operation "+opLabel(nop.method, n.path))
		}
	}
}

func (c *comparer) operation(o, n *pathItem, oop, nop *operation) {
	label := opLabel(nop.method, n.path)
	ptr := pointer("/paths", n.path, nop.method)
	if oop.id != nop.id && oop.id != "" {
		c.add(label, RuleOperationIDChanged, ptr+"/operationId", oop.id, nop.id,
			"operationId changed from "+oop.id+" to "+orNone(nop.id))
	}
	if !oop.deprecated && nop.deprecated {
		c.deprecation(label, ptr, nop.sunset, "operation "+label)
	}
	c.parameters(label, o, n, oop, nop)
	c.requestBody(label, ptr+"/requestBody", oop.body, nop.body)
	c.responses(label, ptr+"/responses", oop.responses, nop.responses)
	c.security(label, ptr+"/security", oop, nop)
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
