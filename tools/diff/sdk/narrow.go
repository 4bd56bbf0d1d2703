package sdk

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The generated client of a large spec is megabytes of Go: generating,
// formatting and type-checking two of them took about twenty seconds of
// CPU for a pair of 2 MB specs, where comparing them on the wire takes
// under one. Most of that code is the same on both sides and can only give
// the same types. narrow cuts both specs down, the same way, to what can
// generate different Go, before either is generated:
//
//   - the components whose text differs between the two (or that only one
//     has): their own types;
//   - the components whose shape follows from a differing one: one that
//     takes it by allOf (its fields are merged in), and, one level up, one
//     that names it (a field is a pointer or not, nullable or not, by what
//     it names);
//   - the path items whose text differs or that name such a component;
//   - and everything those name, on each side, so that both still compile.
//
// A component or path item left out is the same text on both sides and
// names nothing that changed, so its Go is the same on both sides and
// would only add identical declarations. Specs whose $refs reach into
// other files that differ between the two are not narrowed: what those
// files change is not visible from the specs' own text.

// narrow returns the two specs cut down as described above, as JSON, or
// ok false when they are not narrowed (then each is generated whole). The
// narrowed specs are generated without oapi-codegen's pruning, which cut
// has done as it would on the whole specs.
func narrow(oldPath, newPath string) (oldSpec, newSpec []byte, ok bool) {
	oldRaw, err := os.ReadFile(oldPath)
	if err != nil {
		return nil, nil, false
	}
	newRaw, err := os.ReadFile(newPath)
	if err != nil {
		return nil, nil, false
	}
	var oldDoc, newDoc map[string]any
	var oldErr, newErr error
	var wg sync.WaitGroup
	wg.Go(func() { oldErr = yaml.Unmarshal(oldRaw, &oldDoc) })
	newErr = yaml.Unmarshal(newRaw, &newDoc)
	wg.Wait()
	if oldErr != nil || newErr != nil {
		return nil, nil, false
	}
	if !sameExternalFiles(oldDoc, oldPath, newDoc, newPath) {
		return nil, nil, false
	}
	changed := map[string]bool{}
	for _, kind := range allKinds(oldDoc, newDoc) {
		o, n := components(oldDoc, kind), components(newDoc, kind)
		for _, name := range unionKeys(o, n) {
			if !reflect.DeepEqual(o[name], n[name]) {
				changed[localRef(kind, name)] = true
			}
		}
	}
	// shape: what changed, and what takes a changed component by allOf,
	// to a fixed point.
	shape := copySet(changed)
	for grew := true; grew; {
		grew = false
		for _, doc := range []map[string]any{oldDoc, newDoc} {
			for _, kind := range allKinds(doc) {
				for name, node := range components(doc, kind) {
					ref := localRef(kind, name)
					if shape[ref] {
						continue
					}
					if anyIn(refsOf(node, true), shape) {
						shape[ref], grew = true, true
					}
				}
			}
		}
	}
	keep := copySet(shape)
	for _, doc := range []map[string]any{oldDoc, newDoc} {
		for _, kind := range allKinds(doc) {
			for name, node := range components(doc, kind) {
				if anyIn(refsOf(node, false), shape) {
					keep[localRef(kind, name)] = true
				}
			}
		}
	}
	oldPaths, newPaths := asMap(oldDoc["paths"]), asMap(newDoc["paths"])
	paths := map[string]bool{}
	var witness string
	for _, p := range unionKeys(oldPaths, newPaths) {
		if !reflect.DeepEqual(oldPaths[p], newPaths[p]) || anyIn(refsOf(oldPaths[p], false), shape) || anyIn(refsOf(newPaths[p], false), shape) {
			paths[p] = true
		} else if witness == "" || p < witness {
			witness = p
		}
	}
	// One path item the same on both sides stays, so that the client
	// interfaces of neither side are empty: an empty interface is
	// implemented by every type, and one that gained a method would read
	// as every type no longer implementing it.
	if witness != "" {
		paths[witness] = true
	}
	wg.Go(func() { oldSpec, oldErr = json.Marshal(cut(oldDoc, paths, keep)) })
	newSpec, newErr = json.Marshal(cut(newDoc, paths, keep))
	wg.Wait()
	if oldErr != nil || newErr != nil {
		return nil, nil, false
	}
	return oldSpec, newSpec, true
}

// cut returns doc with only the paths and components kept, and the
// components those name, transitively, so that the client compiles. A
// component the generator would prune from the whole doc (see survivors)
// is left out even when kept, so that the narrowed doc, generated without
// pruning, has the types the whole one has.
func cut(doc map[string]any, paths, keep map[string]bool) map[string]any {
	alive := survivors(doc)
	need := map[string]bool{}
	var reach func(node any)
	reach = func(node any) {
		for ref := range refsOf(node, false) {
			if need[ref] {
				continue
			}
			need[ref] = true
			kind, name := splitRef(ref)
			reach(components(doc, kind)[name])
		}
	}
	allPaths := asMap(doc["paths"])
	outPaths := map[string]any{}
	for p, item := range allPaths {
		if paths[p] {
			outPaths[p] = item
			reach(item)
		}
	}
	for _, kind := range allKinds(doc) {
		for name, node := range components(doc, kind) {
			if ref := localRef(kind, name); keep[ref] && (alive[ref] || !generatorPrunes(kind)) {
				need[ref] = true
				reach(node)
			}
		}
	}
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	out["paths"] = outPaths
	comps := map[string]any{}
	for kind, v := range asMap(doc["components"]) {
		if !pruned(kind) {
			comps[kind] = v
			continue
		}
		kept := map[string]any{}
		for name, node := range asMap(v) {
			if need[localRef(kind, name)] {
				kept[name] = node
			}
		}
		comps[kind] = kept
	}
	out["components"] = comps
	return out
}

func pruned(kind string) bool {
	return generatorPrunes(kind)
}

// generatorPrunes reports whether oapi-codegen leaves out the components
// of kind that nothing refers to: all kinds but security schemes.
func generatorPrunes(kind string) bool { return kind != "securitySchemes" }

// survivors returns the components of doc that oapi-codegen's pruning
// keeps: it removes, until none is left, every component that neither a
// path item nor a remaining component refers to.
func survivors(doc map[string]any) map[string]bool {
	alive := map[string]bool{}
	for _, kind := range allKinds(doc) {
		for name := range components(doc, kind) {
			alive[localRef(kind, name)] = true
		}
	}
	for {
		refs := refsOf(doc["paths"], false)
		for _, kind := range allKinds(doc) {
			for name, node := range components(doc, kind) {
				if alive[localRef(kind, name)] {
					for r := range refsOf(node, false) {
						refs[r] = true
					}
				}
			}
		}
		removed := 0
		for _, kind := range allKinds(doc) {
			for name := range components(doc, kind) {
				if ref := localRef(kind, name); alive[ref] && generatorPrunes(kind) && !refs[ref] {
					delete(alive, ref)
					removed++
				}
			}
		}
		if removed == 0 {
			return alive
		}
	}
}

// refsOf returns the local component $refs under node; with allOfOnly,
// only those inside an allOf.
func refsOf(node any, allOfOnly bool) map[string]bool {
	out := map[string]bool{}
	var walk func(n any, inAllOf bool)
	walk = func(n any, inAllOf bool) {
		switch x := n.(type) {
		case map[string]any:
			for k, v := range x {
				if s, ok := v.(string); ok && k == "$ref" && strings.HasPrefix(s, "#/components/") && (inAllOf || !allOfOnly) {
					out[s] = true
				}
				walk(v, inAllOf || k == "allOf")
			}
		case []any:
			for _, v := range x {
				walk(v, inAllOf)
			}
		}
	}
	walk(node, false)
	return out
}

// sameExternalFiles reports whether every file the specs' $refs name
// outside themselves has the same bytes beside each spec.
func sameExternalFiles(oldDoc map[string]any, oldPath string, newDoc map[string]any, newPath string) bool {
	files := map[string]bool{}
	for _, doc := range []map[string]any{oldDoc, newDoc} {
		var walk func(n any)
		walk = func(n any) {
			switch x := n.(type) {
			case map[string]any:
				for k, v := range x {
					if s, ok := v.(string); ok && k == "$ref" && !strings.HasPrefix(s, "#") {
						files[strings.SplitN(s, "#", 2)[0]] = true
					}
					walk(v)
				}
			case []any:
				for _, v := range x {
					walk(v)
				}
			}
		}
		walk(doc)
	}
	for f := range files {
		if strings.Contains(f, "://") {
			return false
		}
		a, errA := os.ReadFile(filepath.Join(filepath.Dir(oldPath), filepath.FromSlash(f)))
		b, errB := os.ReadFile(filepath.Join(filepath.Dir(newPath), filepath.FromSlash(f)))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			return false
		}
	}
	return true
}

func localRef(kind, name string) string {
	return "#/components/" + kind + "/" + strings.ReplaceAll(strings.ReplaceAll(name, "~", "~0"), "/", "~1")
}

func splitRef(ref string) (kind, name string) {
	kind, name, _ = strings.Cut(strings.TrimPrefix(ref, "#/components/"), "/")
	return kind, strings.ReplaceAll(strings.ReplaceAll(name, "~1", "/"), "~0", "~")
}

func components(doc map[string]any, kind string) map[string]any {
	return asMap(asMap(doc["components"])[kind])
}

func allKinds(docs ...map[string]any) []string {
	var maps []map[string]any
	for _, d := range docs {
		maps = append(maps, asMap(d["components"]))
	}
	return unionKeys(maps...)
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func unionKeys(ms ...map[string]any) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

func copySet(s map[string]bool) map[string]bool {
	out := make(map[string]bool, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

func anyIn(refs, set map[string]bool) bool {
	for r := range refs {
		if set[r] {
			return true
		}
	}
	return false
}
