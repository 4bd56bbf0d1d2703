package diff

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/index"
	"github.com/pb33f/libopenapi/utils"
)

// A $ref that does not resolve is a load error (exit 2) at the file and
// line where the $ref is written: comparing a document with a hole in it
// would silently hide part of the contract.

// unresolved says why ref, written in the file at abs, resolves to
// nothing: a missing file, or nothing at the pointer.
func (r *reader) unresolved(abs, ref string) error {
	file, frag, _ := strings.Cut(ref, "#")
	if file == "" {
		return fmt.Errorf("$ref %q: nothing at #%s in this file", ref, frag)
	}
	if !strings.Contains(file, "://") {
		target := file
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(abs), file)
		}
		if _, err := os.Stat(target); err != nil {
			return fmt.Errorf("$ref %q: file %s not found", ref, r.display(target))
		}
	}
	return fmt.Errorf("$ref %q: nothing at #%s in %s", ref, frag, file)
}

// indexError returns the first $ref, by file and line, that libopenapi's
// index could not resolve, as a load error at that $ref; nil when there is
// none. Circular references are not errors: the reader keeps the cycles.
func (r *reader) indexError(rolodex *index.Rolodex) error {
	var errs []*LoadError
	for _, err := range rolodex.GetCaughtErrors() {
		var node *yaml.Node
		var ie *index.IndexingError
		var re *index.ResolvingError
		switch {
		case errors.As(err, &re) && re.CircularReference != nil:
			continue
		case errors.As(err, &re):
			node = re.Node
		case errors.As(err, &ie):
			node = ie.Node
		}
		le := &LoadError{File: r.rootFile, Err: err}
		abs := r.rootAbs
		if origin := rolodex.FindNodeOrigin(node); origin != nil {
			abs, le.Line = origin.AbsoluteLocation, origin.Line
			le.File = r.display(abs)
		} else if node != nil {
			le.Line = node.Line
		}
		if ref, ok := refOf(utils.NodeAlias(node)); ok {
			le.Line, le.Err = refLine(node), r.unresolved(abs, ref)
		}
		errs = append(errs, le)
	}
	if len(errs) == 0 {
		return nil
	}
	return slices.MinFunc(errs, func(a, b *LoadError) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}

// checkRefs resolves every $ref of the root document, also those the walk
// did not reach (in components no operation uses): a $ref that is a JSON
// pointer is looked up on the tree, any other is left to libopenapi's
// index, which checks it with every $ref of the files it loads. As in
// libopenapi's index, the value of an example or examples keyword is data,
// not references, unless the key is a name (a property called example).
func (r *reader) checkRefs() {
	checked := map[string]bool{}
	var walk func(n *yaml.Node, keys keyKind, depth int)
	walk = func(n *yaml.Node, keys keyKind, depth int) {
		if n == nil || depth > maxDepth || r.err != nil {
			return
		}
		switch n.Kind {
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, keywords, depth+1)
			}
		case yaml.MappingNode:
			if ref, ok := refOf(n); ok && !checked[ref] {
				checked[ref] = true
				switch {
				case !isPointer(ref):
					r.indexed()
				case r.pointer(ref) == nil:
					r.fail(place{ctx: context.Background()}, refLine(n), r.unresolved(r.rootAbs, ref))
				}
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, child := n.Content[i].Value, keywords
				switch {
				case keys == names:
				case keys == componentTypes || nameMaps[k]:
					child = names
				case k == "example" || k == "examples":
					continue
				case k == "components" && n == r.root:
					child = componentTypes
				}
				walk(n.Content[i+1], child, depth+1)
			}
		}
	}
	walk(r.root, keywords, 0)
}

// keyKind says what the keys of a mapping are: keywords, names, or the
// component types of components (each a map of names).
type keyKind int

const (
	keywords keyKind = iota
	names
	componentTypes
)

// nameMaps are the keywords whose value maps names (not keywords) to
// objects, after libopenapi's index.
var nameMaps = map[string]bool{
	"properties": true, "patternProperties": true, "definitions": true, "$defs": true,
	"dependentSchemas": true, "headers": true, "links": true, "callbacks": true,
	"encoding": true, "webhooks": true,
}

// maxDepth bounds the walk on documents nested beyond reason.
const maxDepth = 10000
