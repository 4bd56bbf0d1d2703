package sdk

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"strconv"
	"strings"
	"unicode"
)

// oapi-codegen writes every import its templates might need and leaves it
// to goimports to drop the ones the code does not use, formatting the code
// on the way. Formatting changes nothing the type-checker sees, and on a
// large client goimports took more time than generating; so the clients
// are generated unformatted and parseGenerated drops the unused imports by
// goimports' own rule. An import that must go is one the type-checker
// would have to load: the templates import packages (a YAML library,
// kin-openapi) that a module using the client need not provide.

// parseGenerated parses generated code and drops the imports it does not
// use.
func parseGenerated(fset *token.FileSet, name, src string) (*ast.File, error) {
	// Object resolution tells a package name from a variable of the same
	// name, as goimports does.
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		return nil, err
	}
	dropUnusedImports(f)
	return f, nil
}

// dropUnusedImports removes from f the imports whose name no selector
// uses, as goimports does: a selector whose left side the parser does not
// resolve to a declaration, with an exported name on the right. An import
// with no name is taken to be named as goimports assumes when it cannot
// load the package; where the package's name is another, the code does
// not type-check and is generated again, formatted.
func dropUnusedImports(f *ast.File) {
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && x.Obj == nil && ast.IsExported(sel.Sel.Name) {
				used[x.Name] = true
			}
		}
		return true
	})
	keep := func(spec *ast.ImportSpec) bool {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			return true
		}
		name := assumedName(p)
		if spec.Name != nil {
			name = spec.Name.Name
		}
		return name == "_" || name == "." || used[name]
	}
	var imports []*ast.ImportSpec
	for _, spec := range f.Imports {
		if keep(spec) {
			imports = append(imports, spec)
		}
	}
	f.Imports = imports
	decls := f.Decls[:0]
	for _, d := range f.Decls {
		gen, ok := d.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			decls = append(decls, d)
			continue
		}
		specs := gen.Specs[:0]
		for _, s := range gen.Specs {
			if keep(s.(*ast.ImportSpec)) {
				specs = append(specs, s)
			}
		}
		if gen.Specs = specs; len(specs) > 0 {
			decls = append(decls, d)
		}
	}
	f.Decls = decls
}

// assumedName is the name goimports assumes a package has when it cannot
// load it: the last element of its path that is not a major version, less
// a go- prefix, up to its first character that cannot be in a name.
func assumedName(importPath string) string {
	base := path.Base(importPath)
	if strings.HasPrefix(base, "v") {
		if _, err := strconv.Atoi(base[1:]); err == nil {
			if dir := path.Dir(importPath); dir != "." {
				base = path.Base(dir)
			}
		}
	}
	base = strings.TrimPrefix(base, "go-")
	if i := strings.IndexFunc(base, func(r rune) bool {
		return !unicode.IsLetter(r) && r != '_' && !unicode.IsDigit(r)
	}); i >= 0 {
		base = base[:i]
	}
	return base
}
