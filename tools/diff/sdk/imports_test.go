package sdk

import (
	"go/types"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/charterhq/charter/tools/diff"
	"github.com/charterhq/charter/tools/diff/sdk/internal/builtin"
)

// TestBuiltinPackagesAreCurrent compares the built-in packages with the
// ones the go command loads from this module now: oapi-codegen's runtime,
// whose version go.mod sets, must declare the same; the standard library
// at least what was built in (a later release only adds).
func TestBuiltinPackagesAreCurrent(t *testing.T) {
	built, err := builtinPackages()
	if err != nil {
		t.Fatal(err)
	}
	archive, err := builtin.Write("../../..")
	if err != nil {
		t.Fatal(err)
	}
	now, err := builtin.Read(archive)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Sorted(maps.Keys(built)), slices.Sorted(maps.Keys(now)); !slices.Equal(got, want) {
		t.Fatalf("built in: %q; builtin.Packages: %q: run go generate ./tools/diff/sdk", got, want)
	}
	for path, old := range built {
		std := !strings.Contains(strings.Split(path, "/")[0], ".")
		was, is := declarations(old), declarations(now[path])
		for name, decl := range was {
			if is[name] != decl {
				t.Errorf("%s.%s: built in %q, now %q: run go generate ./tools/diff/sdk", path, name, decl, is[name])
			}
		}
		if std {
			continue
		}
		for name, decl := range is {
			if _, ok := was[name]; !ok {
				t.Errorf("%s.%s: %q is not built in: run go generate ./tools/diff/sdk", path, name, decl)
			}
		}
	}
}

// declarations spells each exported declaration of p, with its methods.
func declarations(p *types.Package) map[string]string {
	out := map[string]string{}
	q := types.RelativeTo(p)
	for _, name := range p.Scope().Names() {
		obj := p.Scope().Lookup(name)
		if !obj.Exported() {
			continue
		}
		out[name] = types.ObjectString(obj, q)
		if tn, ok := obj.(*types.TypeName); ok && !tn.IsAlias() {
			out[name] += " " + definition(obj, q)
		}
	}
	return out
}

// TestImportNotBuiltInIsLoaded compares clients that import a package
// that is not built in, a type named by x-go-type-import: the go command
// loads the clients' imports from the module.
func TestImportNotBuiltInIsLoaded(t *testing.T) {
	dir := "testdata/x-go-type-import"
	base, next := filepath.Join(dir, "base.yaml"), filepath.Join(dir, "next.yaml")
	cfg, err := Config("")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := Compare(base, next, "../../..", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(fs, func(f diff.Finding) bool {
		return f.Pointer == "go:Part.Id" && strings.Contains(f.Message, "changed from github.com/google/uuid.UUID to github.com/google/uuid.NullUUID")
	}) {
		t.Fatalf("want Part.Id changed from uuid.UUID to uuid.NullUUID, got %+v", fs)
	}
}
