package diff_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charterhq/charter/tools/diff"
)

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	dir := t.TempDir()
	bad := write(t, dir, "bad.yaml", []byte("openapi: 3.0.3\ninfo:\n  title: T\n  version: [1.0\npaths: {}\n"))
	_, err := diff.Load(bad)
	var le *diff.LoadError
	if !errors.As(err, &le) || le.Line == 0 || !strings.Contains(err.Error(), "bad.yaml:") {
		t.Fatalf("want a LoadError with file and line, got %v", err)
	}
}

// TestUnresolvableRefsNameFileAndLine: a $ref that resolves to nothing is
// a load error at the file and line where it is written, wherever it is.
func TestUnresolvableRefsNameFileAndLine(t *testing.T) {
	const head = "openapi: 3.0.3\ninfo: {title: T, version: 1.0.0}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n"
	const body = "          content:\n            application/json:\n              schema:\n                $ref: '%s'\n"
	for _, tc := range []struct {
		name, spec string
		file       string
		line       int
		message    string
	}{
		{"missing local pointer", head + fmt.Sprintf(body, "#/components/schemas/Nope"),
			"spec.yaml", 12, `$ref "#/components/schemas/Nope": nothing at #/components/schemas/Nope`},
		{"missing file", head + fmt.Sprintf(body, "./missing.yaml#/Thing"),
			"spec.yaml", 12, `$ref "./missing.yaml#/Thing": file `},
		{"missing pointer in another file", head + fmt.Sprintf(body, "./parts.yaml#/Nope"),
			"spec.yaml", 12, `$ref "./parts.yaml#/Nope": nothing at #/Nope in ./parts.yaml`},
		{"missing pointer inside another file", head + fmt.Sprintf(body, "./parts.yaml#/Other"),
			"parts.yaml", 4, "#/Missing"},
		{"in a component no operation uses", head + "components:\n  schemas:\n    Unused:\n      properties:\n        x:\n          $ref: '#/components/schemas/Nope'\n",
			"spec.yaml", 14, `$ref "#/components/schemas/Nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "parts.yaml", []byte("Thing:\n  type: string\nOther:\n  $ref: '#/Missing'\n"))
			_, err := diff.Load(write(t, dir, "spec.yaml", []byte(tc.spec)))
			var le *diff.LoadError
			if !errors.As(err, &le) || !strings.HasSuffix(le.File, tc.file) || le.Line != tc.line || !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("want a LoadError at %s:%d saying %q, got %v", tc.file, tc.line, tc.message, err)
			}
		})
	}
}

// TestRefsInExamplesAreData: as libopenapi's index does, the reader takes
// a $ref in example data for data, and a property called examples for a
// property.
func TestRefsInExamplesAreData(t *testing.T) {
	spec := "openapi: 3.0.3\ninfo: {title: T, version: 1.0.0}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      example: {$ref: 'nowhere.yaml'}\n      properties:\n        examples:\n          $ref: '#/components/schemas/%s'\n"
	dir := t.TempDir()
	if _, err := diff.Load(write(t, dir, "data.yaml", []byte(fmt.Sprintf(spec, "A")))); err != nil {
		t.Fatalf("a $ref in an example is data, got %v", err)
	}
	var le *diff.LoadError
	if _, err := diff.Load(write(t, dir, "name.yaml", []byte(fmt.Sprintf(spec, "Nope")))); !errors.As(err, &le) || le.Line != 11 {
		t.Fatalf("want the broken $ref of the property called examples at line 11, got %v", err)
	}
}

func TestRefChainThatLoopsIsALoadError(t *testing.T) {
	// libopenapi's lookup follows a chain of $refs that leads back to
	// itself until the stack overflows; the reader reports it instead.
	p := write(t, t.TempDir(), "loop.yaml", []byte(`openapi: 3.0.3
info: {title: T, version: 1.0.0}
paths:
  /a:
    get:
      responses:
        '200':
          $ref: '#/components/responses/R'
components:
  responses:
    R:
      $ref: '#/components/responses/S'
    S:
      $ref: '#/components/responses/R'
`))
	_, err := diff.Load(p)
	var le *diff.LoadError
	if !errors.As(err, &le) || le.Line != 8 || !strings.Contains(err.Error(), "loop.yaml:8:") {
		t.Fatalf("want a LoadError at loop.yaml:8, got %v", err)
	}
}

func TestIgnoreFileNeedsReason(t *testing.T) {
	p := write(t, t.TempDir(), "ignore.yaml", []byte("ignore:\n  - rule: response-property-removed\n    location: GET /a\n"))
	if _, err := diff.LoadIgnore(p); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("want an error about the missing reason, got %v", err)
	}
}

func TestMajorBumped(t *testing.T) {
	for _, tc := range []struct {
		base, next string
		want       bool
	}{
		{"1.0.0", "2.0.0", true},
		{"1.4.2", "1.5.0", false},
		{"v1", "v2.0.0", true},
		{"2.0.0", "1.9.0", false},
		{"", "2.0.0", false},
	} {
		if got := diff.MajorBumped(tc.base, tc.next); got != tc.want {
			t.Errorf("MajorBumped(%q, %q) = %v, want %v", tc.base, tc.next, got, tc.want)
		}
	}
}
