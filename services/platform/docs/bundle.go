package docs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Bundle returns doc as one self-contained JSON document, the form in
// which a service's spec is served. A service's spec refers to the
// components every service shares (api/shared/components.yaml), and a
// reader of /openapi.json cannot follow a $ref into a file it does not
// have: each component that a $ref brings in from another file becomes a
// component of the document, under the name it has in its file (Problem,
// BadRequest, bearerAuth). Those are the names the specs had before the
// components moved, so the types that integrators' SDK generators name
// after them keep their names.
//
// pathToRawSpec is the generated PathToRawSpec of doc's package, or nil
// for a document loaded from its files with their $refs. oapi-codegen
// embeds a spec with its $refs into other files already internalized,
// under names made of the file's path and the component's name
// (shared_components_Problem, after openapi3.DefaultRefNameResolver);
// PathToRawSpec("") names those files, so that Bundle can give their
// components back their own names.
//
// Bundle rewrites doc: pass a document of its own, not the one the
// contract validates requests with. It fails when two different
// components would take the same name.
func Bundle(doc *openapi3.T, pathToRawSpec func(string) map[string]func() ([]byte, error)) ([]byte, error) {
	if doc == nil {
		return nil, errors.New("docs: no spec to bundle")
	}
	inlineComponentRefs(doc.Components)
	var clash error
	doc.InternalizeRefs(context.Background(), func(doc *openapi3.T, ref openapi3.ComponentRef) string {
		name := componentName(doc, ref)
		if clash == nil && nameTaken(doc, ref, name) {
			clash = fmt.Errorf("docs: %s and another of the spec's %s are both named %s", ref.RefString(), ref.CollectionName(), name)
		}
		return name
	})
	if clash != nil {
		return nil, clash
	}
	raw, err := doc.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("docs: spec to JSON: %w", err)
	}
	// The renaming below works on the JSON tree, where every $ref is one
	// string to look up, rather than on kin-openapi's types, which hold
	// $refs in a dozen kinds of fields. UseNumber keeps numbers as written.
	var tree map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("docs: spec from JSON: %w", err)
	}
	if pathToRawSpec != nil {
		var prefixes []string
		for file := range pathToRawSpec("") {
			prefixes = append(prefixes, internalizedPrefix(file))
		}
		if err := unprefix(tree, prefixes); err != nil {
			return nil, err
		}
	}
	if ref, ok := fileRef(tree); ok {
		return nil, fmt.Errorf("docs: the bundled spec still refers to another file: $ref %q", ref)
	}
	return json.Marshal(tree)
}

// inlineComponentRefs replaces each component that is only a $ref into
// another file (a service's bearerAuth naming the shared one) by the value
// the loader resolved it to. Internalized as it is, it would become a
// $ref to the component of its own name: itself.
func inlineComponentRefs(c *openapi3.Components) {
	if c == nil {
		return
	}
	for _, r := range c.Schemas {
		if r != nil && isFileRef(r.Ref) {
			r.Ref = ""
		}
	}
	for _, r := range c.Parameters {
		if r != nil && isFileRef(r.Ref) {
			r.Ref = ""
		}
	}
	for _, r := range c.Headers {
		if r != nil && isFileRef(r.Ref) {
			r.Ref = ""
		}
	}
	for _, r := range c.RequestBodies {
		if r != nil && isFileRef(r.Ref) {
			r.Ref = ""
		}
	}
	for _, r := range c.Responses {
		if r != nil && isFileRef(r.Ref) {
			r.Ref = ""
		}
	}
	for _, r := range c.SecuritySchemes {
		if r != nil && isFileRef(r.Ref) {
			r.Ref = ""
		}
	}
	for _, r := range c.Examples {
		if r != nil && isFileRef(r.Ref) {
			r.Ref = ""
		}
	}
	for _, r := range c.Links {
		if r != nil && isFileRef(r.Ref) {
			r.Ref = ""
		}
	}
	for _, r := range c.Callbacks {
		if r != nil && isFileRef(r.Ref) {
			r.Ref = ""
		}
	}
}

// isFileRef reports whether a $ref points into another file.
func isFileRef(ref string) bool { return ref != "" && !strings.HasPrefix(ref, "#") }

// componentName is the name a component brought in by ref takes: its name
// in its file, the last token of the $ref's JSON pointer. A $ref that does
// not end in a usable name (a whole file) gets kin-openapi's default.
func componentName(doc *openapi3.T, ref openapi3.ComponentRef) string {
	_, pointer, _ := strings.Cut(ref.RefString(), "#")
	name := pointer[strings.LastIndex(pointer, "/")+1:]
	name = strings.NewReplacer("~1", "/", "~0", "~").Replace(name)
	if name == "" || openapi3.InvalidIdentifierCharRegExp.MatchString(name) {
		return openapi3.DefaultRefNameResolver(doc, ref)
	}
	return name
}

// nameTaken reports whether doc already has another component of ref's
// kind under name. The loader resolves every $ref to a component to the
// same value, so a component brought in again by another $ref is not
// another one.
func nameTaken(doc *openapi3.T, ref openapi3.ComponentRef, name string) bool {
	c := doc.Components
	if c == nil {
		return false
	}
	switch r := ref.(type) {
	case *openapi3.SchemaRef:
		h, ok := c.Schemas[name]
		return ok && (h == nil || h.Value != r.Value)
	case *openapi3.ParameterRef:
		h, ok := c.Parameters[name]
		return ok && (h == nil || h.Value != r.Value)
	case *openapi3.HeaderRef:
		h, ok := c.Headers[name]
		return ok && (h == nil || h.Value != r.Value)
	case *openapi3.RequestBodyRef:
		h, ok := c.RequestBodies[name]
		return ok && (h == nil || h.Value != r.Value)
	case *openapi3.ResponseRef:
		h, ok := c.Responses[name]
		return ok && (h == nil || h.Value != r.Value)
	case *openapi3.SecuritySchemeRef:
		h, ok := c.SecuritySchemes[name]
		return ok && (h == nil || h.Value != r.Value)
	case *openapi3.ExampleRef:
		h, ok := c.Examples[name]
		return ok && (h == nil || h.Value != r.Value)
	case *openapi3.LinkRef:
		h, ok := c.Links[name]
		return ok && (h == nil || h.Value != r.Value)
	case *openapi3.CallbackRef:
		h, ok := c.Callbacks[name]
		return ok && (h == nil || h.Value != r.Value)
	}
	return false
}

// internalizedPrefix is what openapi3.DefaultRefNameResolver puts before
// the name of a component of file, the path of a file as the spec's $refs
// name it: "shared_components_" for shared/components.yaml.
func internalizedPrefix(file string) string {
	const probe = "Probe"
	ref := &openapi3.SchemaRef{Ref: file + "#/components/schemas/" + probe}
	name := openapi3.DefaultRefNameResolver(&openapi3.T{}, probeRef{ref, file})
	return strings.TrimSuffix(name, probe)
}

// probeRef gives DefaultRefNameResolver the path it reads, which a
// SchemaRef only has once a loader has resolved it.
type probeRef struct {
	*openapi3.SchemaRef
	file string
}

func (p probeRef) RefPath() *url.URL {
	return &url.URL{Path: p.file, Fragment: strings.TrimPrefix(p.Ref[len(p.file):], "#")}
}

// unprefix gives the components that oapi-codegen internalized from the
// files with these name prefixes their own names back, and points every
// $ref at them. A service's component that was only a $ref to one of them
// (bearerAuth) is replaced by it.
func unprefix(tree map[string]any, prefixes []string) error {
	components, _ := tree["components"].(map[string]any)
	renames := map[string]string{}
	for section, v := range components {
		entries, _ := v.(map[string]any)
		moves := map[string]string{}
		for name := range entries {
			for _, prefix := range prefixes {
				if plain, ok := strings.CutPrefix(name, prefix); ok && plain != "" {
					moves[name] = plain
					break
				}
			}
		}
		for name, plain := range moves {
			from, to := "#/components/"+section+"/"+name, "#/components/"+section+"/"+plain
			if held, ok := entries[plain]; ok && refOf(held) != from {
				return fmt.Errorf("docs: %s %s of another file and the spec's own %s would share a name", section, plain, plain)
			}
			entries[plain] = entries[name]
			delete(entries, name)
			renames[from] = to
		}
	}
	rewriteRefs(tree, renames)
	return nil
}

// refOf is the $ref of a JSON object that is only a $ref, or "".
func refOf(v any) string {
	m, _ := v.(map[string]any)
	ref, _ := m["$ref"].(string)
	if len(m) != 1 {
		return ""
	}
	return ref
}

// rewriteRefs replaces every $ref, and every discriminator mapping's
// target, found in renames.
func rewriteRefs(v any, renames map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if s, ok := child.(string); ok && k == "$ref" {
				if to, ok := renames[s]; ok {
					v[k] = to
				}
				continue
			}
			if k == "mapping" {
				if m, ok := child.(map[string]any); ok {
					for mk, target := range m {
						if s, ok := target.(string); ok {
							if to, ok := renames[s]; ok {
								m[mk] = to
							}
						}
					}
				}
			}
			rewriteRefs(child, renames)
		}
	case []any:
		for _, child := range v {
			rewriteRefs(child, renames)
		}
	}
}

// fileRef finds a $ref into another file left in the tree.
func fileRef(v any) (string, bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if s, ok := child.(string); ok && k == "$ref" && isFileRef(s) {
				return s, true
			}
			if ref, ok := fileRef(child); ok {
				return ref, true
			}
		}
	case []any:
		for _, child := range v {
			if ref, ok := fileRef(child); ok {
				return ref, true
			}
		}
	}
	return "", false
}

// Bundled returns the function that gives the JSON a service serves at
// /openapi.json, of the kind host.Service's SpecJSON takes: load is the
// generated package's GetSwagger, which returns a new document on each
// call, so that bundling never touches the one the contract validates
// with; pathToRawSpec is its PathToRawSpec.
func Bundled(load func() (*openapi3.T, error), pathToRawSpec func(string) map[string]func() ([]byte, error)) func() ([]byte, error) {
	return func() ([]byte, error) {
		doc, err := load()
		if err != nil {
			return nil, err
		}
		return Bundle(doc, pathToRawSpec)
	}
}
