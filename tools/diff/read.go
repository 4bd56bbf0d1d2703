package diff

import (
	"context"
	"iter"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/index"
	"github.com/pb33f/libopenapi/utils"
)

// reader turns a document that libopenapi has parsed and indexed into the
// model of model.go. It reads the YAML tree directly, in one pass, instead
// of building libopenapi's high-level model: that model builds every schema
// it is asked for with all its keywords, node maps and hashes, which costs
// more than parsing the file. Every $ref is followed with libopenapi's own
// lookup (low.LocateRefNodeWithContext), so local, cross-file and nested
// relative references resolve exactly as they do in libopenapi's model.
type reader struct {
	// numericExclusive: from 3.1 on, exclusiveMaximum/Minimum are the
	// bounds themselves, before they are flags on maximum/minimum.
	numericExclusive bool
	// rootFile names the root document in errors, as the caller named it;
	// rootAbs is its absolute path, as libopenapi's index knows it.
	rootFile, rootAbs string
	// root is the root document's top mapping, where local $refs point.
	root *yaml.Node
	// index indexes the document with libopenapi's rolodex, on the first
	// $ref that is not a JSON pointer into the root document (refs.go).
	index   func() *index.Rolodex
	rolodex *index.Rolodex
	// schemas holds each schema node read, so that a component reached
	// from many places is read once and recursive schemas end.
	schemas map[*yaml.Node]*schema
	// targets holds where each $ref, as written in one file, leads.
	targets map[refKey]target
	// relFiles holds the path of each other file relative to the root
	// document's directory, as qualified $refs name it.
	relFiles map[string]string
	err      error
}

// refKey is a $ref as written in one file.
type refKey struct {
	idx       *index.SpecIndex
	file, ref string
}

// target is the node a $ref leads to, and where that node is.
type target struct {
	node *yaml.Node
	at   place
}

func newReader(rootFile, rootAbs string, numericExclusive bool, root *yaml.Node, index func() *index.Rolodex) *reader {
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	return &reader{
		numericExclusive: numericExclusive,
		rootFile:         rootFile,
		rootAbs:          rootAbs,
		root:             utils.NodeAlias(root),
		index:            index,
		schemas:          map[*yaml.Node]*schema{},
		targets:          map[refKey]target{},
		relFiles:         map[string]string{},
	}
}

// place is where a node was found: the index of its file, and libopenapi's
// lookup context, which carries the file that relative $refs start from. A
// nil index is the root document before (or without) libopenapi's index.
type place struct {
	idx *index.SpecIndex
	ctx context.Context
}

// fail records the first reason the document cannot be read; err may be
// a LoadError that knows its own file and line.
func (r *reader) fail(at place, line int, err error) {
	if r.err != nil {
		return
	}
	if le, ok := err.(*LoadError); ok {
		r.err = le
		return
	}
	r.err = &LoadError{File: r.fileOf(at), Line: line, Err: err}
}

// fileOf names the file a place is in.
func (r *reader) fileOf(at place) string {
	abs := ""
	if v, ok := at.ctx.Value(index.CurrentPathKey).(string); at.ctx != nil && ok && v != "" {
		abs = v
	} else if at.idx != nil {
		abs = at.idx.GetSpecAbsolutePath()
	}
	return r.display(abs)
}

// display names a file for a person: the root as the caller named it,
// another file relative to the root's directory.
func (r *reader) display(abs string) string {
	if abs == "" || abs == r.rootAbs {
		return r.rootFile
	}
	if rel, err := filepath.Rel(filepath.Dir(r.rootAbs), abs); err == nil {
		return filepath.Join(filepath.Dir(r.rootFile), rel)
	}
	return abs
}

// entries yields the keys and values of a mapping, with YAML aliases and
// merge keys (<<) resolved; anything else yields nothing.
func entries(n *yaml.Node) iter.Seq2[*yaml.Node, *yaml.Node] {
	return func(yield func(*yaml.Node, *yaml.Node) bool) {
		n = utils.NodeAlias(n)
		if n == nil || n.Kind != yaml.MappingNode {
			return
		}
		n = utils.ResolveMergeNodes(n)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !yield(utils.NodeAlias(n.Content[i]), utils.NodeAlias(n.Content[i+1])) {
				return
			}
		}
	}
}

// elements yields the elements of a sequence, aliases resolved.
func elements(n *yaml.Node) iter.Seq[*yaml.Node] {
	return func(yield func(*yaml.Node) bool) {
		n = utils.NodeAlias(n)
		if n == nil || n.Kind != yaml.SequenceNode {
			return
		}
		for _, c := range n.Content {
			if !yield(utils.NodeAlias(c)) {
				return
			}
		}
	}
}

// isExtension reports whether a key is a specification extension, which
// libopenapi keeps out of paths and response codes.
func isExtension(k string) bool {
	return len(k) >= 2 && (k[0] == 'x' || k[0] == 'X') && k[1] == '-'
}

func boolValue(n *yaml.Node) bool {
	b, _ := strconv.ParseBool(n.Value)
	return b
}

func numberValue(n *yaml.Node) *float64 {
	f, err := strconv.ParseFloat(n.Value, 64)
	if err != nil {
		return nil
	}
	return &f
}

func (r *reader) document() *document {
	d := &document{}
	at := place{ctx: context.Background()}
	for k, v := range entries(r.root) {
		switch k.Value {
		case "info":
			for ik, iv := range entries(v) {
				if ik.Value == "version" {
					d.version = iv.Value
				}
			}
		case "security":
			d.security = readSecurity(v)
		case "paths":
			d.paths = r.pathItems(v, at)
		case "webhooks":
			d.webhooks = r.pathItems(v, at)
		}
	}
	return d
}

// pathItems reads a map of path items: paths, webhooks, or the runtime
// expressions of a callback.
func (r *reader) pathItems(n *yaml.Node, at place) []*pathItem {
	var out []*pathItem
	for k, v := range entries(n) {
		if isExtension(k.Value) {
			continue
		}
		if item := r.pathItem(k.Value, v, at); item != nil {
			out = append(out, item)
		}
	}
	return out
}

// methods are the fixed operations of a path item, in the order libopenapi
// lists operations declared on the same line.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"}

func (r *reader) pathItem(path string, n *yaml.Node, at place) *pathItem {
	n, at, _ = r.deref(n, at)
	if n == nil {
		return nil
	}
	item := &pathItem{path: path}
	type lined struct {
		op   *operation
		line int
	}
	var fixed [9]*lined
	var extra []lined
	for k, v := range entries(n) {
		switch k.Value {
		case "parameters":
			item.params = r.parameters(v, at)
		case "additionalOperations":
			for ak, av := range entries(v) {
				extra = append(extra, lined{r.operation(ak.Value, av, at), ak.Line})
			}
		default:
			if i := slices.Index(methods, k.Value); i >= 0 && fixed[i] == nil {
				fixed[i] = &lined{r.operation(k.Value, v, at), k.Line}
			}
		}
	}
	// libopenapi lists operations by the line of their key, the fixed
	// order breaking ties, and so do the findings.
	var ops []lined
	for _, l := range fixed {
		if l != nil {
			ops = append(ops, *l)
		}
	}
	ops = append(ops, extra...)
	slices.SortStableFunc(ops, func(a, b lined) int { return a.line - b.line })
	for _, l := range ops {
		item.ops = append(item.ops, l.op)
	}
	return item
}

func (r *reader) operation(method string, n *yaml.Node, at place) *operation {
	n, at, _ = r.deref(n, at)
	op := &operation{method: method}
	for k, v := range entries(n) {
		switch k.Value {
		case "operationId":
			op.id = v.Value
		case "deprecated":
			op.deprecated = boolValue(v)
		case sunsetKey:
			op.sunset = v.Value
		case "parameters":
			op.params = r.parameters(v, at)
		case "requestBody":
			op.body = r.requestBody(v, at)
		case "responses":
			op.responses = r.responses(v, at)
		case "security":
			op.security = readSecurity(v)
			op.declaresSecurity = true
		case "callbacks":
			op.callbacks = r.callbacks(v, at)
		}
	}
	return op
}

func (r *reader) callbacks(n *yaml.Node, at place) []*callback {
	var out []*callback
	for k, v := range entries(n) {
		if isExtension(k.Value) {
			continue
		}
		cn, cat, _ := r.deref(v, at)
		if cn == nil {
			continue
		}
		out = append(out, &callback{name: k.Value, paths: r.pathItems(cn, cat)})
	}
	return out
}

func (r *reader) parameters(n *yaml.Node, at place) []*parameter {
	var out []*parameter
	for v := range elements(n) {
		if p := r.parameter(v, at); p != nil {
			out = append(out, p)
		}
	}
	return out
}

func (r *reader) parameter(n *yaml.Node, at place) *parameter {
	n, at, _ = r.deref(n, at)
	if n == nil {
		return nil
	}
	p := &parameter{}
	var content []namedSchema
	for k, v := range entries(n) {
		switch k.Value {
		case "name":
			p.name = v.Value
		case "in":
			p.in = v.Value
		case "required":
			p.required = boolValue(v)
		case "deprecated":
			p.deprecated = boolValue(v)
		case sunsetKey:
			p.sunset = v.Value
		case "schema":
			p.schema = r.schemaRef(v, at)
			p.schemaAt = "/schema"
		case "content":
			content = r.content(v, at)
		case "style":
			p.style = v.Value
		case "explode":
			b := boolValue(v)
			p.explode = &b
		case "allowReserved":
			p.allowReserved = boolValue(v)
		}
	}
	// A parameter has a schema or a content map of one media type.
	if p.schemaAt == "" && len(content) > 0 {
		p.schema = content[0].schema
		p.schemaAt = pointer("/content", content[0].name) + "/schema"
		p.mediaType = content[0].name
	}
	return p
}

func (r *reader) requestBody(n *yaml.Node, at place) *requestBody {
	n, at, _ = r.deref(n, at)
	if n == nil {
		return nil
	}
	b := &requestBody{}
	for k, v := range entries(n) {
		switch k.Value {
		case "required":
			b.required = boolValue(v)
		case "content":
			b.content = r.content(v, at)
		}
	}
	return b
}

func (r *reader) content(n *yaml.Node, at place) []namedSchema {
	var out []namedSchema
	for k, v := range entries(n) {
		m := namedSchema{name: k.Value}
		mn, mat, _ := r.deref(v, at)
		for mk, mv := range entries(mn) {
			if mk.Value == "schema" {
				m.schema = r.schemaRef(mv, mat)
			}
		}
		out = append(out, m)
	}
	return out
}

func (r *reader) responses(n *yaml.Node, at place) *responses {
	n, at, _ = r.deref(n, at)
	rs := &responses{}
	var def *statusResponse
	for k, v := range entries(n) {
		if isExtension(k.Value) {
			continue
		}
		resp := r.response(k.Value, v, at)
		if k.Value == "default" {
			def = resp
			continue
		}
		rs.codes = append(rs.codes, resp)
	}
	if def != nil {
		rs.codes = append(rs.codes, def)
	}
	return rs
}

func (r *reader) response(code string, n *yaml.Node, at place) *statusResponse {
	n, at, _ = r.deref(n, at)
	resp := &statusResponse{code: code}
	for k, v := range entries(n) {
		switch k.Value {
		case "headers":
			for hk, hv := range entries(v) {
				h := namedSchema{name: hk.Value}
				hn, hat, _ := r.deref(hv, at)
				for sk, sv := range entries(hn) {
					switch sk.Value {
					case "schema":
						h.schema = r.schemaRef(sv, hat)
					case "required":
						if boolValue(sv) {
							resp.requiredHeaders = append(resp.requiredHeaders, hk.Value)
						}
					}
				}
				resp.headers = append(resp.headers, h)
			}
		case "content":
			resp.content = r.content(v, at)
		}
	}
	return resp
}

// readSecurity reads a list of security requirement objects.
func readSecurity(n *yaml.Node) []alternative {
	alts := []alternative{}
	for req := range elements(n) {
		a := alternative{}
		for k, v := range entries(req) {
			var scopes []string
			for s := range elements(v) {
				scopes = append(scopes, s.Value)
			}
			a[k.Value] = scopes
		}
		alts = append(alts, a)
	}
	return alts
}
