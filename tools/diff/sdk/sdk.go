// Package sdk is the SDK-level half of the breaking-change gate: it generates
// the Go client of two versions of a spec with oapi-codegen, type-checks both
// in memory and compares their exported API with golang.org/x/exp/apidiff.
// A renamed type, field, method or enum constant breaks code that uses the
// generated client even when nothing changes on the wire.
package sdk

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/charterhq/charter/tools/diff"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
	"golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/packages"
	"gopkg.in/yaml.v3"
)

// packageName is the name the client is generated under; both versions use
// the same one so that apidiff compares like with like.
const packageName = "client"

// generateMu serializes code generation: oapi-codegen keeps its options in
// package-level state.
var generateMu sync.Mutex

// Config returns the generator settings of the project file at path (such as
// gen/oapi-codegen.yaml) restricted to what a client user imports: models and
// the client. A missing file gives oapi-codegen's defaults.
func Config(path string) (codegen.Configuration, error) {
	var cfg codegen.Configuration
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			return cfg, err
		}
		if err == nil {
			if err := yaml.Unmarshal(data, &cfg); err != nil {
				return cfg, fmt.Errorf("%s: %w", path, err)
			}
			if err := inlineUserTemplates(path, cfg.OutputOptions.UserTemplates); err != nil {
				return cfg, err
			}
		}
	}
	cfg.PackageName = packageName
	cfg.Generate = codegen.GenerateOptions{Models: true, Client: true}
	return cfg.UpdateDefaults(), nil
}

// inlineUserTemplates replaces the relative file paths of a configuration's
// user templates with the templates' text. The paths are relative to where
// make generate runs, the repository root, which oapi-codegen takes to be
// the working directory; the gate runs from anywhere, so each path is
// looked up from the configuration's directory upwards.
func inlineUserTemplates(configPath string, templates map[string]string) error {
	for name, ref := range templates {
		if strings.Contains(ref, "\n") || strings.Contains(ref, "://") || filepath.IsAbs(ref) {
			continue // inline text, a URL, or a path that needs no base
		}
		dir, err := filepath.Abs(filepath.Dir(configPath))
		if err != nil {
			return err
		}
		for {
			if text, err := os.ReadFile(filepath.Join(dir, ref)); err == nil {
				templates[name] = string(text)
				break
			}
			up := filepath.Dir(dir)
			if up == dir {
				return fmt.Errorf("%s: user template %s: %s not found from the configuration's directory up", configPath, name, ref)
			}
			dir = up
		}
	}
	return nil
}

// Generate returns the Go client source of the spec at path.
func Generate(path string, cfg codegen.Configuration) (string, error) {
	spec, err := util.LoadSwagger(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	generateMu.Lock()
	defer generateMu.Unlock()
	src, err := codegen.Generate(spec, cfg)
	if err != nil {
		return "", fmt.Errorf("%s: generating the client: %w", path, err)
	}
	return src, nil
}

// Compare generates, type-checks and compares the clients of two specs, and
// returns one sdk-incompatible finding per incompatible change. dir is a
// directory inside a module that requires the generated code's imports
// (oapi-codegen's runtime); the repository root does.
func Compare(oldPath, newPath, dir string, cfg codegen.Configuration) ([]diff.Finding, error) {
	oldSrc, err := Generate(oldPath, cfg)
	if err != nil {
		return nil, err
	}
	newSrc, err := Generate(newPath, cfg)
	if err != nil {
		return nil, err
	}
	return CompareSources(oldSrc, newSrc, dir)
}

// CompareSources compares two generated client sources.
func CompareSources(oldSrc, newSrc, dir string) ([]diff.Finding, error) {
	fset := token.NewFileSet()
	oldFile, err := parser.ParseFile(fset, "old/client.gen.go", oldSrc, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	newFile, err := parser.ParseFile(fset, "new/client.gen.go", newSrc, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	imp, err := newImporter(dir, oldFile, newFile)
	if err != nil {
		return nil, err
	}
	oldPkg, err := check(fset, imp, oldFile)
	if err != nil {
		return nil, fmt.Errorf("type-checking the base client: %w", err)
	}
	newPkg, err := check(fset, imp, newFile)
	if err != nil {
		return nil, fmt.Errorf("type-checking the new client: %w", err)
	}
	var out []diff.Finding
	for _, c := range apidiff.Changes(oldPkg, newPkg).Changes {
		if c.Compatible || consequence(c.Message) {
			continue
		}
		ident, _, _ := strings.Cut(c.Message, ":")
		out = append(out, diff.Finding{
			Rule:     diff.RuleSDKIncompatible,
			Severity: diff.Error,
			Pointer:  "go:" + ident,
			Message:  "generated Go client: " + c.Message,
		})
	}
	return out, nil
}

func check(fset *token.FileSet, imp types.Importer, f *ast.File) (*types.Package, error) {
	conf := types.Config{Importer: imp}
	return conf.Check(packageName, fset, []*ast.File{f}, nil)
}

// importer serves the type-checked dependencies of the generated code.
type importer map[string]*types.Package

func (m importer) Import(path string) (*types.Package, error) {
	if p, ok := m[path]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("package %s not loaded", path)
}

// newImporter loads, from export data built by the go command, the packages
// the generated files import. The generated code is only type-checked, never
// written to disk.
func newImporter(dir string, files ...*ast.File) (importer, error) {
	seen := map[string]bool{}
	var paths []string
	for _, f := range files {
		for _, spec := range f.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err == nil && !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes, Dir: dir}
	pkgs, err := packages.Load(cfg, paths...)
	if err != nil {
		return nil, err
	}
	imp := importer{}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			return nil, fmt.Errorf("loading %s: %v", p.PkgPath, p.Errors[0])
		}
		imp[p.PkgPath] = p.Types
	}
	return imp, nil
}

// consequence reports a change whose old and new spelling are the same, such
// as a method whose parameter type was renamed: the rename itself is its own
// finding, so these only repeat it.
func consequence(msg string) bool {
	_, rest, ok := strings.Cut(msg, ": changed from ")
	if !ok {
		return false
	}
	old, new, ok := strings.Cut(rest, " to ")
	return ok && old == new
}
