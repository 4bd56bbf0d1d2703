package diff_test

import (
	"errors"
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
	missing := write(t, dir, "ref.yaml", []byte("openapi: 3.0.3\ninfo: {title: T, version: 1.0.0}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Nope'\n"))
	if _, err := diff.Load(missing); err == nil || !strings.Contains(err.Error(), "ref.yaml") {
		t.Fatalf("want an error naming ref.yaml, got %v", err)
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
