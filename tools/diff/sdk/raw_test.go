package sdk

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestUnusedImportsAreDroppedAsGoimportsDoes generates the project's
// clients, and the shared package one of them imports, unformatted and
// formatted: the imports left once the unused ones are dropped must be
// the ones goimports leaves.
func TestUnusedImportsAreDroppedAsGoimportsDoes(t *testing.T) {
	cfg, err := Config("../../../gen/oapi-codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw := cfg
	raw.OutputOptions.SkipFmt = true
	for _, spec := range []string{"materials", "quotes"} {
		path := filepath.Join("../../../api", spec+".yaml")
		formatted, err := generateSide(path, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		unformatted, err := generateSide(path, nil, raw)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slices.Sorted(maps.Keys(unformatted.mapped)), slices.Sorted(maps.Keys(formatted.mapped)); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: mapped packages %q unformatted, %q formatted", spec, got, want)
		}
		if len(formatted.mapped) == 0 && spec == "materials" {
			t.Fatalf("%s: want the shared package, which it imports", spec)
		}
		fset := token.NewFileSet()
		check := func(name, rawSrc, formattedSrc string) {
			t.Helper()
			got, err := parseGenerated(fset, name, rawSrc)
			if err != nil {
				t.Fatal(err)
			}
			want, err := parser.ParseFile(fset, name, formattedSrc, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := importSet(got), importSet(want); !reflect.DeepEqual(g, w) {
				t.Errorf("%s: imports %q, goimports leaves %q", name, g, w)
			}
		}
		check(spec, unformatted.client, formatted.client)
		if len(formatted.client) == 0 || !strings.Contains(formatted.client, "net/http") {
			t.Fatalf("%s: the client imports nothing", spec)
		}
		for pkg, src := range formatted.mapped {
			check(spec+" "+pkg, unformatted.mapped[pkg], src)
		}
	}
}

func importSet(f *ast.File) []string {
	var out []string
	for _, spec := range f.Imports {
		name := ""
		if spec.Name != nil {
			name = spec.Name.Name + " "
		}
		out = append(out, name+spec.Path.Value)
	}
	slices.Sort(out)
	return out
}

func TestDropUnusedImports(t *testing.T) {
	const src = `package client

import (
	"bytes"
	"net/url"
	"path"
	"strings"
	_ "embed"
	yaml "go.yaml.in/yaml/v3"
	"github.com/oapi-codegen/nullable"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

type Thing struct {
	Day  openapi_types.Date
	Name nullable.Nullable[string]
}

func f(path string) string {
	url := struct{ Path string }{path}
	return strings.ToUpper(url.Path) + path
}
`
	f, err := parseGenerated(token.NewFileSet(), "client.go", src)
	if err != nil {
		t.Fatal(err)
	}
	// url and path name variables where they are used.
	want := []string{`"github.com/oapi-codegen/nullable"`, `"strings"`, `_ "embed"`, `openapi_types "github.com/oapi-codegen/runtime/types"`}
	if got := importSet(f); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	var specs int
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			specs += len(g.Specs)
		}
	}
	if specs != len(want) {
		t.Errorf("the import declaration holds %d imports, want %d", specs, len(want))
	}
}

func TestAssumedName(t *testing.T) {
	for path, want := range map[string]string{
		"net/http":                               "http",
		"go.yaml.in/yaml/v3":                     "yaml",
		"github.com/mattn/go-isatty":             "isatty",
		"github.com/getkin/kin-openapi/openapi3": "openapi3",
		"example.com/v2":                         "example",
		"gopkg.in/yaml.v3":                       "yaml",
	} {
		if got := assumedName(path); got != want {
			t.Errorf("assumedName(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestUnformattedCodeThatDoesNotTypeCheckIsFormatted runs the check with a
// user template that uses a package the templates do not import, which
// goimports adds: the unformatted clients do not type-check, and the
// check gives the findings of the formatted ones.
func TestUnformattedCodeThatDoesNotTypeCheckIsFormatted(t *testing.T) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/oapi-codegen/oapi-codegen/v2").Output()
	if err != nil {
		t.Fatal(err)
	}
	client, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "pkg/codegen/templates/client.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Config("../../../gen/oapi-codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.OutputOptions.UserTemplates["client.tmpl"] = string(client) + "\n// Version is the API's version.\nvar Version = strconv.Itoa(1)\n"
	corpus := "../testdata/corpus/sdk-type-renamed"
	base, next := filepath.Join(corpus, "base.yaml"), filepath.Join(corpus, "next.yaml")

	raw := cfg
	raw.OutputOptions.SkipFmt = true
	if _, err := compareGenerated(base, nil, next, nil, "../../..", raw); !errors.Is(err, errTypeCheck) {
		t.Fatalf("the unformatted clients must not type-check, got %v", err)
	}
	want, err := compareGenerated(base, nil, next, nil, "../../..", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("want findings to compare")
	}
	got, err := compare(base, next, "../../..", cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}
