package diff

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/low"
	"github.com/pb33f/libopenapi/index"
	"github.com/pb33f/libopenapi/utils"
)

// How the reader follows a $ref. Most $refs are JSON pointers into the root
// document ("#/components/schemas/Part"): the reader walks the YAML tree it
// holds to their target. Everything else (a $ref into another file, a $ref
// inside another file, a JSON Schema anchor or $id) goes to libopenapi's
// rolodex, which loads and indexes the files $refs point into, and to its
// lookup, low.LocateRefNodeWithContext. The rolodex is built on the first
// such $ref only: for a document without one, indexing it would cost a
// sixth of the load time and a third of its memory, to resolve what a
// pointer walk resolves.

// deref follows the $ref at n, if there is one, and returns the node it
// resolves to, where that node is, and the $ref as the root document would
// write it (qualified). It returns a nil node, and records the error, when
// the reference does not resolve.
func (r *reader) deref(n *yaml.Node, at place) (*yaml.Node, place, string) {
	n = utils.NodeAlias(n)
	first, ok := refOf(n)
	if !ok {
		return n, at, ""
	}
	file, _ := at.ctx.Value(index.CurrentPathKey).(string)
	key := refKey{at.idx, file, first}
	if t, ok := r.targets[key]; ok {
		return t.node, t.at, r.qualified(file, first)
	}
	t, ok := r.follow(n, at)
	if !ok {
		return nil, at, first
	}
	// A JSON Schema $id in scope can make the same $ref mean another
	// schema elsewhere in the file: only plain lookups are remembered.
	if index.GetSchemaIdScope(at.ctx) == nil {
		r.targets[key] = t
	}
	return t.node, t.at, r.qualified(file, first)
}

// qualified rewrites a $ref written in file relative to the root
// document: "#/components/schemas/Problem" written in shared/components.yaml
// is "shared/components.yaml#/components/schemas/Problem". The $ref names
// where a finding is (refPointer), and a reviewer of the root document
// looks for "#/components/schemas/Problem" in it, not in the other file.
func (r *reader) qualified(file, ref string) string {
	if file == "" || file == r.rootAbs || strings.Contains(ref, "://") {
		return ref
	}
	rel, ok := r.relFiles[file]
	if !ok {
		p, err := filepath.Rel(filepath.Dir(r.rootAbs), file)
		if err != nil {
			p = file
		}
		rel = filepath.ToSlash(p)
		r.relFiles[file] = rel
	}
	target, fragment, hasFragment := strings.Cut(ref, "#")
	switch {
	case target == "":
		target = rel
	case !path.IsAbs(target):
		target = path.Join(path.Dir(rel), target)
	}
	if !hasFragment {
		return target
	}
	return target + "#" + fragment
}

// follow resolves the chain of $refs that starts at n.
func (r *reader) follow(n *yaml.Node, at place) (target, bool) {
	start := n
	var seen map[*yaml.Node]bool
	for {
		ref, ok := refOf(n)
		if !ok {
			return target{n, at}, true
		}
		if seen[n] {
			first, _ := refOf(start)
			r.fail(at, refLine(start), fmt.Errorf("$ref %q leads, through other $refs, back to itself", first))
			return target{}, false
		}
		if seen == nil {
			seen = map[*yaml.Node]bool{}
		}
		seen[n] = true
		if at.idx == nil && isPointer(ref) {
			next := r.pointer(ref)
			if next == nil {
				r.fail(at, refLine(n), r.unresolved(r.rootAbs, ref))
				return target{}, false
			}
			n = next
			continue
		}
		return r.lookup(n, ref, at)
	}
}

// lookup resolves a $ref with libopenapi, which follows the rest of the
// chain itself.
func (r *reader) lookup(n *yaml.Node, ref string, at place) (target, bool) {
	if at.idx == nil {
		rolodex := r.indexed()
		if rolodex == nil {
			return target{}, false
		}
		at.idx = rolodex.GetRootIndex()
	}
	if refChainCycle(at, ref) {
		r.fail(at, refLine(n), fmt.Errorf("$ref %q leads, through other $refs, back to itself", ref))
		return target{}, false
	}
	found, idx, _, ctx := low.LocateRefNodeWithContext(at.ctx, n, at.idx)
	if found == nil {
		abs := r.rootAbs
		if at.idx != nil {
			abs = at.idx.GetSpecAbsolutePath()
		}
		if file, ok := at.ctx.Value(index.CurrentPathKey).(string); ok && file != "" {
			abs = file
		}
		r.fail(at, refLine(n), r.unresolved(abs, ref))
		return target{}, false
	}
	// A non-nil error with a node is a circular reference: the model
	// keeps the cycle and the comparison stops on it.
	if idx == nil {
		idx = at.idx
	}
	if ctx == nil {
		ctx = at.ctx
	}
	return target{utils.NodeAlias(found), place{idx: idx, ctx: ctx}}, true
}

// indexed returns libopenapi's rolodex of the document, building it on
// the first call. It returns nil, and records the error, when the index
// found a $ref that does not resolve.
func (r *reader) indexed() *index.Rolodex {
	if r.rolodex == nil {
		r.rolodex = r.index()
		if err := r.indexError(r.rolodex); err != nil {
			r.fail(place{ctx: context.Background()}, 0, err)
		}
	}
	if r.err != nil {
		return nil
	}
	return r.rolodex
}

// isPointer reports whether a $ref is a JSON pointer into its own file.
func isPointer(ref string) bool { return ref == "#" || strings.HasPrefix(ref, "#/") }

// refOf returns the $ref of a mapping that has one.
func refOf(n *yaml.Node) (string, bool) {
	if n == nil || n.Kind != yaml.MappingNode {
		return "", false
	}
	isRef, _, ref := utils.IsNodeRefValue(n)
	return ref, isRef
}

// refLine is the line of the $ref value in a mapping.
func refLine(n *yaml.Node) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "$ref" {
			return n.Content[i+1].Line
		}
	}
	return n.Line
}

// pointer finds the node a JSON pointer $ref ("#/a/b", RFC 6901 in a URI
// fragment) points at in the root document, nil if it is not such a $ref
// or points at nothing.
func (r *reader) pointer(ref string) *yaml.Node {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok || frag != "" && !strings.HasPrefix(frag, "/") {
		return nil
	}
	n := r.root
	if frag == "" {
		return n
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		if strings.Contains(tok, "%") {
			u, err := url.PathUnescape(tok)
			if err != nil {
				return nil
			}
			tok = u
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		n = child(n, tok)
		if n == nil {
			return nil
		}
	}
	return n
}

// child is the value of key tok in a mapping, or element tok of a sequence.
func child(n *yaml.Node, tok string) *yaml.Node {
	n = utils.NodeAlias(n)
	if n != nil && n.Kind == yaml.SequenceNode {
		i, err := strconv.Atoi(tok)
		if err != nil || i < 0 || i >= len(n.Content) {
			return nil
		}
		return utils.NodeAlias(n.Content[i])
	}
	for k, v := range entries(n) {
		if k.Value == tok {
			return v
		}
	}
	return nil
}

// refChainCycle reports whether a $ref leads to a $ref, and so on, back to
// one already followed: libopenapi's lookup follows such a chain until the
// stack overflows, so the reader walks it first, one $ref at a time.
func refChainCycle(at place, ref string) bool {
	var seen map[*yaml.Node]bool
	ctx, idx := at.ctx, at.idx
	for idx != nil {
		found, nextIdx, nextCtx := idx.SearchIndexForReferenceWithContext(ctx, ref)
		if found == nil || found.Node == nil {
			return false
		}
		isRef, _, next := utils.IsNodeRefValue(found.Node)
		if !isRef {
			return false
		}
		if seen[found.Node] {
			return true
		}
		if seen == nil {
			seen = map[*yaml.Node]bool{}
		}
		seen[found.Node] = true
		ctx, idx, ref = nextCtx, nextIdx, next
	}
	return false
}
