package diff

import (
	"regexp"
	"strings"
	"time"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
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
	same     *sameTrees
	// built caches each side's schemas by local $ref: a component reached
	// in both directions or from many places is built once.
	oldBuilt, newBuilt map[string]*base.Schema
	busy               map[memoKey]bool
	out                []Finding
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
		same: &sameTrees{},

		oldBuilt: map[string]*base.Schema{},
		newBuilt: map[string]*base.Schema{},
	}
	if !fullWalk {
		c.same = newSameTrees(rootNode(old), rootNode(new))
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

type pathEntry struct {
	raw  string
	item *v3.PathItem
}

func indexPaths(doc *v3.Document) (order []string, byKey map[string]pathEntry) {
	byKey = map[string]pathEntry{}
	if doc.Paths == nil {
		return nil, byKey
	}
	for raw, item := range doc.Paths.PathItems.FromOldest() {
		k := normalizePath(raw)
		order = append(order, k)
		byKey[k] = pathEntry{raw: raw, item: item}
	}
	return order, byKey
}

func (c *comparer) paths() {
	oldOrder, oldPaths := indexPaths(c.old.Model)
	newOrder, newPaths := indexPaths(c.new.Model)
	for _, k := range oldOrder {
		o := oldPaths[k]
		n, ok := newPaths[k]
		if !ok {
			for method, op := range o.item.GetOperations().FromOldest() {
				label := opLabel(method, o.raw)
				c.removal(label, RulePathRemoved, pointer("/paths", o.raw, method), isTrue(op.Deprecated), op.Extensions,
					"path "+o.raw+" removed")
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
		for method := range n.item.GetOperations().KeysFromOldest() {
			c.add(opLabel(method, n.raw), RulePathAdded, pointer("/paths", n.raw, method), "", "", "new path "+n.raw)
		}
	}
}

func opLabel(method, path string) string { return strings.ToUpper(method) + " " + path }

func (c *comparer) pathItem(o, n pathEntry) {
	oldOps := o.item.GetOperations()
	newOps := n.item.GetOperations()
	for method, oop := range oldOps.FromOldest() {
		nop, ok := get(newOps, method)
		if !ok {
			c.removal(opLabel(method, o.raw), RuleOperationRemoved, pointer("/paths", o.raw, method), isTrue(oop.Deprecated),
				oop.Extensions, "operation "+opLabel(method, o.raw)+" removed")
			continue
		}
		c.operation(method, o, n, oop, nop)
	}
	for method := range newOps.KeysFromOldest() {
		if _, ok := get(oldOps, method); !ok {
			c.add(opLabel(method, n.raw), RuleOperationAdded, pointer("/paths", n.raw, method), "", "",
				"new operation "+opLabel(method, n.raw))
		}
	}
}

func (c *comparer) operation(method string, o, n pathEntry, oop, nop *v3.Operation) {
	label := opLabel(method, n.raw)
	ptr := pointer("/paths", n.raw, method)
	if oop.OperationId != nop.OperationId && oop.OperationId != "" {
		c.add(label, RuleOperationIDChanged, ptr+"/operationId", oop.OperationId, nop.OperationId,
			"operationId changed from "+oop.OperationId+" to "+orNone(nop.OperationId))
	}
	if !isTrue(oop.Deprecated) && isTrue(nop.Deprecated) {
		c.deprecation(label, ptr, nop.Extensions, "operation "+label)
	}
	c.parameters(label, o, n, oop, nop)
	c.requestBody(label, ptr+"/requestBody", oop.RequestBody, nop.RequestBody)
	c.responses(label, ptr+"/responses", oop.Responses, nop.Responses)
	c.security(label, ptr+"/security", oop, nop)
}

// get reads a key from a possibly nil ordered map.
func get[K comparable, V any](m *orderedmap.Map[K, V], k K) (V, bool) {
	if m == nil {
		var zero V
		return zero, false
	}
	return m.Get(k)
}

func isTrue(b *bool) bool { return b != nil && *b }

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// fullWalk turns off the skipping of equal subtrees (tests compare both).
var fullWalk bool

// rootNode is the parsed YAML of a spec's root document, nil if unknown.
func rootNode(s *Spec) *yaml.Node {
	if s == nil || s.Model == nil || s.Model.Index == nil {
		return nil
	}
	return s.Model.Index.GetRootNode()
}

// built returns the schema of a proxy, built once per local $ref and side.
func (c *comparer) built(cache map[string]*base.Schema, p *base.SchemaProxy) *base.Schema {
	if !c.same.ok || !p.IsReference() || !strings.HasPrefix(p.GetReference(), "#") {
		return p.Schema()
	}
	ref := p.GetReference()
	if s, ok := cache[ref]; ok {
		return s
	}
	s := p.Schema()
	cache[ref] = s
	return s
}
