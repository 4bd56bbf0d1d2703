package diff

import (
	"hash/maphash"
	"net/url"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
)

// sameTrees tells, before any schema is built, whether two subtrees of the
// two documents are equal once every $ref in them is followed. Equal
// subtrees have no findings, so the walk skips them without asking
// libopenapi to build their schemas, which is most of the cost of comparing
// large documents where few components change.
//
// Two subtrees are equal when their YAML (keys, values, tags, order) hashes
// the same and no $ref inside them points at a target that differs between
// the documents, directly or through further $refs. A target is judged over
// the whole reference graph at once, so recursive schemas are handled.
// Documents with a $ref into another file are never judged equal: only
// references local to the root document are followed here.
type sameTrees struct {
	ok      bool
	old     *treeHashes
	new     *treeHashes
	known   map[string]bool     // every $ref of either document
	changed map[string]bool     // local $refs whose target differs
	dirty   map[*yaml.Node]bool // old-side subtrees holding a changed $ref
}

// treeHashes memoizes the subtree hashes of one document.
type treeHashes struct {
	root   *yaml.Node
	s1, s2 maphash.Seed
	memo   map[*yaml.Node][2]uint64
	refs   map[string]bool
	other  bool // a $ref that is not local to the document
}

func newSameTrees(oldRoot, newRoot *yaml.Node) *sameTrees {
	st := &sameTrees{}
	if oldRoot == nil || newRoot == nil {
		return st
	}
	s1, s2 := maphash.MakeSeed(), maphash.MakeSeed()
	st.old = &treeHashes{root: oldRoot, s1: s1, s2: s2, memo: map[*yaml.Node][2]uint64{}, refs: map[string]bool{}}
	st.new = &treeHashes{root: newRoot, s1: s1, s2: s2, memo: map[*yaml.Node][2]uint64{}, refs: map[string]bool{}}
	// The documents are independent: hash them at once.
	done := make(chan struct{})
	go func() {
		defer close(done)
		st.new.hash(newRoot, 0)
	}()
	st.old.hash(oldRoot, 0)
	<-done
	if st.old.other || st.new.other {
		return st
	}
	st.changed = map[string]bool{}
	st.dirty = map[*yaml.Node]bool{}
	// Targets that differ in their own YAML, or are missing on a side.
	deps := map[string][]string{}
	var queue []string
	all := map[string]bool{}
	for r := range st.old.refs {
		all[r] = true
	}
	for r := range st.new.refs {
		all[r] = true
	}
	for r := range all {
		o, n := resolveLocal(oldRoot, r), resolveLocal(newRoot, r)
		if o == nil || n == nil || st.old.hash(o, 0) != st.new.hash(n, 0) {
			st.changed[r] = true
			queue = append(queue, r)
			continue
		}
		// Equal YAML: the same $refs on both sides.
		for _, d := range refsIn(o, nil, 0) {
			deps[d] = append(deps[d], r)
		}
	}
	// A target that refers to a changed target is changed.
	for len(queue) > 0 {
		r := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, up := range deps[r] {
			if !st.changed[up] {
				st.changed[up] = true
				queue = append(queue, up)
			}
		}
	}
	st.known = all
	st.ok = true
	return st
}

// equal reports whether two nodes, one from each document, are equal with
// every $ref followed. False means "maybe not".
func (st *sameTrees) equal(o, n *yaml.Node) bool {
	if st == nil || !st.ok || o == nil || n == nil {
		return false
	}
	return st.old.hash(o, 0) == st.new.hash(n, 0) && !st.hasChangedRef(o, 0)
}

// proxies is equal for two schema proxies.
func (st *sameTrees) proxies(o, n *base.SchemaProxy) bool {
	if st == nil || !st.ok || o == nil || n == nil || o.GoLow() == nil || n.GoLow() == nil {
		return false
	}
	return st.equal(o.GoLow().GetValueNode(), n.GoLow().GetValueNode())
}

func (st *sameTrees) hasChangedRef(n *yaml.Node, depth int) bool {
	if n == nil || depth > maxTreeDepth {
		return true
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return false
	case yaml.AliasNode:
		return st.hasChangedRef(n.Alias, depth+1)
	}
	if d, ok := st.dirty[n]; ok {
		return d
	}
	d := false
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if r, ok := refValue(n.Content[i], n.Content[i+1]); ok && (st.changed[r] || !st.known[r]) {
				d = true
				break
			}
		}
	}
	for _, c := range n.Content {
		if d {
			break
		}
		d = st.hasChangedRef(c, depth+1)
	}
	st.dirty[n] = d
	return d
}

// maxTreeDepth bounds recursion on pathological (alias-cyclic) documents;
// deeper trees are treated as different.
const maxTreeDepth = 10000

// hash returns a 128-bit hash of the subtree at n and records the $refs met.
func (th *treeHashes) hash(n *yaml.Node, depth int) [2]uint64 {
	if n == nil {
		return [2]uint64{}
	}
	if depth > maxTreeDepth {
		th.other = true
		return [2]uint64{}
	}
	if n.Kind == yaml.AliasNode {
		return th.hash(n.Alias, depth+1)
	}
	memo := n.Kind != yaml.ScalarNode
	if memo {
		if h, ok := th.memo[n]; ok {
			return h
		}
	}
	var a, b maphash.Hash
	a.SetSeed(th.s1)
	b.SetSeed(th.s2)
	write := func(s string) {
		a.WriteString(s)
		b.WriteString(s)
		a.WriteByte(0)
		b.WriteByte(0)
	}
	a.WriteByte(byte(n.Kind))
	b.WriteByte(byte(n.Kind))
	write(n.Tag)
	write(n.Value)
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if r, ok := refValue(n.Content[i], n.Content[i+1]); ok {
				th.refs[r] = true
				if !strings.HasPrefix(r, "#") {
					th.other = true
				}
			}
		}
	}
	var buf [16]byte
	for _, c := range n.Content {
		h := th.hash(c, depth+1)
		putUint64(buf[:8], h[0])
		putUint64(buf[8:], h[1])
		a.Write(buf[:])
		b.Write(buf[:])
	}
	h := [2]uint64{a.Sum64(), b.Sum64()}
	if memo {
		th.memo[n] = h
	}
	return h
}

func putUint64(b []byte, v uint64) {
	for i := range 8 {
		b[i] = byte(v >> (8 * i))
	}
}

// refValue returns the target of a "$ref: target" mapping entry.
func refValue(k, v *yaml.Node) (string, bool) {
	if k.Kind == yaml.ScalarNode && k.Value == "$ref" && v.Kind == yaml.ScalarNode {
		return v.Value, true
	}
	return "", false
}

// refsIn lists the $refs in the subtree at n.
func refsIn(n *yaml.Node, out []string, depth int) []string {
	if n == nil || depth > maxTreeDepth {
		return out
	}
	if n.Kind == yaml.AliasNode {
		return refsIn(n.Alias, out, depth+1)
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if r, ok := refValue(n.Content[i], n.Content[i+1]); ok {
				out = append(out, r)
			}
		}
	}
	for _, c := range n.Content {
		out = refsIn(c, out, depth+1)
	}
	return out
}

// resolveLocal finds the node a local $ref ("#/a/b") points at, nil if none.
func resolveLocal(root *yaml.Node, ref string) *yaml.Node {
	if !strings.HasPrefix(ref, "#") {
		return nil
	}
	n := root
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	frag := ref[1:]
	if frag == "" {
		return n
	}
	if !strings.HasPrefix(frag, "/") {
		return nil
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
		for n != nil && n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n == nil {
			return nil
		}
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					next = n.Content[i+1]
				}
			}
			n = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
		default:
			return nil
		}
		if n == nil {
			return nil
		}
	}
	return n
}
