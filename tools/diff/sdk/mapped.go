package sdk

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
)

// side is one version of a client: its source, and the source of each
// package that its spec's $refs into other files map to (import-mapping),
// by package path.
type side struct {
	client string
	mapped map[string]string
}

// generateSide generates the client of the spec at specPath and the
// packages it imports through cfg's import-mapping. A mapping's key is the
// file as the spec's $refs name it, relative to the spec; each version of
// the spec has its own (api/released/shared/components.yaml beside
// api/released/materials.yaml), so each version gets the types of its own.
//
// spec, when not nil, is the spec's text to generate from in place of the
// file's (the narrowed spec).
func generateSide(specPath string, spec []byte, cfg codegen.Configuration) (side, error) {
	src, err := generate(specPath, spec, cfg)
	if err != nil {
		return side{}, err
	}
	raw, err := os.ReadFile(specPath)
	if err != nil {
		return side{}, err
	}
	s := side{client: src, mapped: map[string]string{}}
	for ref, pkg := range cfg.ImportMapping {
		// "-" maps a file to the client's own package; a mapping the
		// client does not import, or whose file the spec's $refs do not
		// name (import-mapping keys are $refs' files as written), is for
		// another spec.
		if pkg == "-" || !clientUses(src, pkg) || !bytes.Contains(raw, []byte(ref)) {
			continue
		}
		if _, ok := s.mapped[pkg]; ok {
			return side{}, fmt.Errorf("%s: $refs into two files that import-mapping maps to one package, %s", specPath, pkg)
		}
		file := filepath.Join(filepath.Dir(specPath), filepath.FromSlash(ref))
		mapped, err := generateMapped(file, pkg, cfg)
		if err != nil {
			return side{}, err
		}
		s.mapped[pkg] = mapped
	}
	return s, nil
}

// clientUses reports whether the generated client src uses the package pkg.
// Unformatted, src imports every mapped package, under the name
// oapi-codegen gives it (externalRef0): the client uses it where that
// name qualifies something. Formatted, src imports only what it uses.
func clientUses(src, pkg string) bool {
	quoted := strconv.Quote(pkg)
	i := strings.Index(src, quoted)
	if i < 0 {
		return false
	}
	line := src[strings.LastIndexByte(src[:i], '\n')+1 : i]
	name := strings.TrimSpace(line)
	if name == "" || !token.IsIdentifier(name) {
		return true
	}
	return strings.Contains(src, name+".")
}

// generateMapped generates the models of file as package pkg, with the
// settings of cfg that shape models. Every component is kept: the file's
// components are there for other specs to use, and it may have no
// operations to reach them from. A mapped file whose own $refs point into
// further files is not supported.
func generateMapped(file, pkg string, cfg codegen.Configuration) (string, error) {
	spec, err := util.LoadSwagger(file)
	if err != nil {
		return "", fmt.Errorf("%s: %w", file, err)
	}
	cfg.PackageName = path.Base(pkg)
	if !token.IsIdentifier(cfg.PackageName) {
		cfg.PackageName = "mapped"
	}
	cfg.Generate = codegen.GenerateOptions{Models: true}
	cfg.OutputOptions.SkipPrune = true
	cfg.ImportMapping = nil
	generateMu.Lock()
	defer generateMu.Unlock()
	src, err := codegen.Generate(spec, cfg)
	if err != nil {
		return "", fmt.Errorf("%s: generating package %s: %w", file, pkg, err)
	}
	return src, nil
}

// parseMapped parses a side's mapped packages; dir keeps the two sides'
// files apart in positions.
func parseMapped(fset *token.FileSet, dir string, sources map[string]string) (map[string]*ast.File, error) {
	out := make(map[string]*ast.File, len(sources))
	for pkg, src := range sources {
		f, err := parseGenerated(fset, dir+"/"+pkg+"/mapped.gen.go", src)
		if err != nil {
			return nil, fmt.Errorf("generated package %s: %w", pkg, err)
		}
		out[pkg] = f
	}
	return out, nil
}

// sideImporter gives one side's client its own mapped packages,
// type-checked on first import, and everything else from the module.
type sideImporter struct {
	module importer
	fset   *token.FileSet
	files  map[string]*ast.File
	// done holds the mapped packages type-checked so far: the ones the
	// client imports.
	done     map[string]*types.Package
	checking map[string]bool
}

func newSideImporter(module importer, fset *token.FileSet, files map[string]*ast.File) *sideImporter {
	return &sideImporter{module: module, fset: fset, files: files, done: map[string]*types.Package{}, checking: map[string]bool{}}
}

func (s *sideImporter) Import(path string) (*types.Package, error) {
	if p, ok := s.done[path]; ok {
		return p, nil
	}
	f, ok := s.files[path]
	if !ok {
		return s.module.Import(path)
	}
	if s.checking[path] {
		return nil, fmt.Errorf("generated package %s imports itself", path)
	}
	s.checking[path] = true
	defer delete(s.checking, path)
	conf := types.Config{Importer: s, IgnoreFuncBodies: true}
	p, err := conf.Check(path, s.fset, []*ast.File{f}, nil)
	if err != nil {
		return nil, fmt.Errorf("type-checking generated package %s: %w", path, err)
	}
	s.done[path] = p
	return p, nil
}
