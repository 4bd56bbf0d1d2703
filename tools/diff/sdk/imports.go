package sdk

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"
	"os/exec"
	"strconv"
	"strings"
	"sync"

	"github.com/charterhq/charter/tools/diff/sdk/internal/builtin"
	"golang.org/x/tools/go/packages"
)

// The generated code imports the standard library and oapi-codegen's
// runtime. Their types are built into the command (builtin.zip, written by
// internal/writebuiltin), so that comparing two clients needs neither the
// go command nor a Go module, and costs no go list. A client that imports
// anything else, a package a spec names in x-go-type-import, has all its
// imports loaded by the go command from the module at the directory
// Compare is given, as one set, so that a type two of them name is one
// type.

//go:generate go run ./internal/writebuiltin builtin.zip

//go:embed builtin.zip
var builtinArchive []byte

var builtinPackages = sync.OnceValues(func() (map[string]*types.Package, error) {
	return builtin.Read(builtinArchive)
})

// importer serves the type-checked dependencies of the generated code.
type importer map[string]*types.Package

func (m importer) Import(path string) (*types.Package, error) {
	if p, ok := m[path]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("package %s not loaded", path)
}

// newImporter serves the packages the generated files import, except the
// ones generated here (skip): from the built-in export data where it has
// them all, else from export data the go command builds in dir. The
// generated code is only type-checked, never written to disk.
func newImporter(dir string, skip map[string]bool, files ...*ast.File) (importer, error) {
	seen := map[string]bool{}
	var paths []string
	for _, f := range files {
		for _, spec := range f.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err == nil && !seen[p] && !skip[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	built, err := builtinPackages()
	if err != nil {
		return nil, fmt.Errorf("the built-in packages: %w", err)
	}
	imp := importer{}
	var missing []string
	for _, p := range paths {
		if pkg, ok := built[p]; ok {
			imp[p] = pkg
		} else {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return imp, nil
	}
	return load(dir, paths, missing)
}

// load loads paths with the go command, from the module at dir; missing
// are the ones that are not built in, for the error.
func load(dir string, paths, missing []string) (importer, error) {
	what := strings.Join(missing, ", ")
	if _, err := exec.LookPath("go"); err != nil {
		return nil, fmt.Errorf("%w: the generated client imports %s, which the go command loads, and it is not on PATH", ErrUnavailable, what)
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes, Dir: dir}
	pkgs, err := packages.Load(cfg, paths...)
	if err == nil {
		for _, p := range pkgs {
			if len(p.Errors) > 0 {
				err = fmt.Errorf("loading %s: %v", p.PkgPath, p.Errors[0])
				break
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not in a Go module that provides the generated client's imports (%s): %v", ErrUnavailable, orDot(dir), what, err)
	}
	imp := importer{}
	for _, p := range pkgs {
		imp[p.PkgPath] = p.Types
	}
	return imp, nil
}
