// Package sdk is the SDK-level half of the breaking-change gate: it generates
// the Go client of two versions of a spec with oapi-codegen, type-checks both
// in memory and compares their exported API with golang.org/x/exp/apidiff.
// A renamed type, field, method or enum constant breaks code that uses the
// generated client even when nothing changes on the wire.
//
// Each finding names its cause (causes.go: operationIds added or changed,
// schemas renamed, properties made optional...) and, where the spec can
// keep the old Go API, the change that does (an operationId, x-go-name,
// x-enum-varnames, x-go-type-skip-optional-pointer); reports group them
// by cause. Methods added to the generated interfaces are one info finding
// per interface (interfaces.go): callers are not affected.
package sdk

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/charterhq/charter/tools/diff"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/util"
	"gopkg.in/yaml.v3"
)

// packageName is the name the client is generated under; both versions use
// the same one so that apidiff compares like with like.
const packageName = "client"

// ErrUnavailable is wrapped by the errors of Compare that come from where
// it runs rather than from the specs. The packages oapi-codegen's
// templates import are built in (imports.go); a client that imports
// another (a type named by x-go-type-import) needs the go command on PATH
// and a directory in a Go module that provides that package. The wire
// comparison needs neither.
var ErrUnavailable = errors.New("the generated Go clients cannot be compared here")

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

// generate returns the Go client source of the spec at path, or of data
// read as if it were there (its $refs into other files resolve from
// path's directory) when data is not nil.
func generate(path string, data []byte, cfg codegen.Configuration) (string, error) {
	var spec *openapi3.T
	var err error
	if data == nil {
		spec, err = util.LoadSwagger(path)
	} else {
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = true
		loader.ReadFromURIFunc = openapi3.ReadFromFile
		var abs string
		if abs, err = filepath.Abs(path); err == nil {
			spec, err = loader.LoadFromDataWithPath(data, &url.URL{Path: filepath.ToSlash(abs)})
		}
	}
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
// returns one sdk-incompatible finding per incompatible change. dir is
// where the packages the client imports that are not built in are loaded
// from: a directory inside a module that requires them.
//
// A spec whose $refs point into a file that cfg's import-mapping maps to a
// Go package (shared/components.yaml to gen/shared) gets its client's
// types from that package. Each version's package is generated here from
// the file beside that version of the spec, not loaded from the module:
// the base version's shared types are the base version's. A type that
// moved from the client into such a package without changing is one
// sdk-type-moved warning, not a removal and a changed type for every
// field and method that uses it; the packages themselves are compared too,
// so that a change to a shared type is reported for each client using it.
//
// Where the comparison cannot run (a client that imports a package that
// is not built in, with no go command or dir not in a module that
// provides it), the error wraps ErrUnavailable.
func Compare(oldPath, newPath, dir string, cfg codegen.Configuration) ([]diff.Finding, error) {
	return compare(oldPath, newPath, dir, cfg, true)
}

// compare is Compare, with the specs narrowed to what can generate
// different Go (narrow.go) when narrowing is true.
//
// The clients are generated unformatted (raw.go): goimports, which
// oapi-codegen runs on what it generates to format it and drop the
// imports it does not use, took more time than generating. Formatting
// changes nothing the type-checker sees, and unused imports are dropped
// here by goimports' rule. Where the raw code does not type-check (a
// user template that counts on goimports to add an import), the clients
// are generated again, formatted, and compared as they were.
func compare(oldPath, newPath, dir string, cfg codegen.Configuration, narrowing bool) ([]diff.Finding, error) {
	var oldSpec, newSpec []byte
	if narrowing {
		var ok bool
		if oldSpec, newSpec, ok = narrow(oldPath, newPath); ok {
			cfg.OutputOptions.SkipPrune = true
		}
	}
	if !cfg.OutputOptions.SkipFmt {
		raw := cfg
		raw.OutputOptions.SkipFmt = true
		out, err := compareGenerated(oldPath, oldSpec, newPath, newSpec, dir, raw)
		if !errors.Is(err, errTypeCheck) {
			return out, err
		}
	}
	return compareGenerated(oldPath, oldSpec, newPath, newSpec, dir, cfg)
}

// compareGenerated generates both sides, at once (only oapi-codegen's own
// step is serialized: it keeps its options in package-level state), and
// compares them.
func compareGenerated(oldPath string, oldSpec []byte, newPath string, newSpec []byte, dir string, cfg codegen.Configuration) ([]diff.Finding, error) {
	fset := token.NewFileSet()
	// Each side is parsed as soon as it is generated, while the other
	// side's generation runs.
	generateAndParse := func(specPath string, spec []byte, name string) (parsedSide, error) {
		s, err := generateSide(specPath, spec, cfg)
		if err != nil {
			return parsedSide{}, err
		}
		return parseSide(fset, name, s)
	}
	var old, new parsedSide
	var oldErr, newErr error
	var wg sync.WaitGroup
	wg.Go(func() { old, oldErr = generateAndParse(oldPath, oldSpec, "old") })
	new, newErr = generateAndParse(newPath, newSpec, "new")
	wg.Wait()
	if err := errors.Join(oldErr, newErr); err != nil {
		return nil, err
	}
	return compareParsed(fset, old, new, dir)
}

// CompareSources compares two generated client sources.
func CompareSources(oldSrc, newSrc, dir string) ([]diff.Finding, error) {
	return compareSides(side{client: oldSrc}, side{client: newSrc}, dir)
}

// errTypeCheck is wrapped by the errors of compareSides that come from
// type-checking the generated code.
var errTypeCheck = errors.New("type-checking")

// compareSides type-checks two versions of a client, each with the
// packages its import-mapping gives it, and compares them. The two are
// parsed and type-checked at once; they share only the file set and the
// imported packages, which neither changes.
func compareSides(old, new side, dir string) ([]diff.Finding, error) {
	fset := token.NewFileSet()
	var oldFiles, newFiles parsedSide
	var oldErr, newErr error
	var wg sync.WaitGroup
	wg.Go(func() { oldFiles, oldErr = parseSide(fset, "old", old) })
	newFiles, newErr = parseSide(fset, "new", new)
	wg.Wait()
	if err := errors.Join(oldErr, newErr); err != nil {
		return nil, err
	}
	return compareParsed(fset, oldFiles, newFiles, dir)
}

// compareParsed is compareSides once both sides are parsed.
func compareParsed(fset *token.FileSet, oldFiles, newFiles parsedSide, dir string) ([]diff.Finding, error) {
	files := []*ast.File{oldFiles.client, newFiles.client}
	mapped := map[string]bool{}
	for _, m := range []map[string]*ast.File{oldFiles.mapped, newFiles.mapped} {
		for p, f := range m {
			mapped[p] = true
			files = append(files, f)
		}
	}
	imp, err := newImporter(dir, mapped, files...)
	if err != nil {
		return nil, err
	}
	oldImp, newImp := newSideImporter(imp, fset, oldFiles.mapped), newSideImporter(imp, fset, newFiles.mapped)
	var oldPkg, newPkg *types.Package
	var oldErr, newErr error
	var wg sync.WaitGroup
	wg.Go(func() { oldPkg, oldErr = check(fset, oldImp, oldFiles.client) })
	newPkg, newErr = check(fset, newImp, newFiles.client)
	wg.Wait()
	if oldErr != nil {
		return nil, fmt.Errorf("%w the base client: %w", errTypeCheck, oldErr)
	}
	if newErr != nil {
		return nil, fmt.Errorf("%w the new client: %w", errTypeCheck, newErr)
	}
	out := clientChanges(oldPkg, newPkg, mapped)
	for _, p := range slices.Sorted(maps.Keys(oldImp.done)) {
		if n, ok := newImp.done[p]; ok {
			out = append(out, packageChanges(oldImp.done[p], n)...)
		}
	}
	return out, nil
}

// parsedSide is one side's client and mapped packages, parsed.
type parsedSide struct {
	client *ast.File
	mapped map[string]*ast.File
}

// parseSide parses one side's files, under dir in positions so that the
// two sides' files stay apart, without the imports they do not use.
func parseSide(fset *token.FileSet, dir string, s side) (parsedSide, error) {
	client, err := parseGenerated(fset, dir+"/client.gen.go", s.client)
	if err != nil {
		return parsedSide{}, err
	}
	mapped, err := parseMapped(fset, dir, s.mapped)
	if err != nil {
		return parsedSide{}, err
	}
	return parsedSide{client: client, mapped: mapped}, nil
}

// check type-checks a client's declarations. Function bodies are left
// out: they are no part of the API that is compared, and they are half
// the work.
func check(fset *token.FileSet, imp types.Importer, f *ast.File) (*types.Package, error) {
	conf := types.Config{Importer: imp, IgnoreFuncBodies: true}
	return conf.Check(packageName, fset, []*ast.File{f}, nil)
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

func orDot(dir string) string {
	if dir == "." || dir == "" {
		return "the working directory"
	}
	return dir
}
