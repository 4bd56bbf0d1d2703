package check_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charterhq/charter/tools/check"
)

func TestLoadSpecFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("shared/components.yaml", `openapi: 3.0.3
info: {title: Shared, version: 1.0.0}
paths: {}
components:
  schemas:
    Problem:
      type: object
      required: [title]
      properties:
        title: {type: string}
`)
	spec := func(ref string) string {
		return `openapi: 3.0.3
info: {title: Things, version: 1.0.0}
paths:
  /things:
    get:
      responses:
        "400":
          description: A problem.
          content:
            application/problem+json:
              schema: {$ref: "` + ref + `"}
`
	}
	local := write("things.yaml", spec("shared/components.yaml#/components/schemas/Problem"))

	t.Run("a $ref into a file beside the spec resolves", func(t *testing.T) {
		doc, err := check.LoadSpecFile(local)
		if err != nil {
			t.Fatal(err)
		}
		s := doc.Paths.Value("/things").Get.Responses.Value("400").Value.Content["application/problem+json"].Schema
		if s.Value == nil || s.Value.Properties["title"] == nil {
			t.Errorf("the shared Problem is not resolved: %+v", s)
		}
	})
	t.Run("the same spec given as bytes is refused", func(t *testing.T) {
		data, _ := os.ReadFile(local)
		if _, err := check.LoadSpec(data); err == nil {
			t.Error("LoadSpec followed a $ref into another file")
		}
	})
	t.Run("a $ref to a URL is not fetched", func(t *testing.T) {
		remote := write("remote.yaml", spec("http://127.0.0.1:1/components.yaml#/components/schemas/Problem"))
		// Refused as a URI the loader may not read, before any attempt
		// to connect (nothing listens on port 1 either).
		if _, err := check.LoadSpecFile(remote); err == nil || !strings.Contains(err.Error(), "remote.yaml") || !strings.Contains(err.Error(), "unsupported URI") {
			t.Errorf("LoadSpecFile = %v, want the spec named and the URI refused", err)
		}
	})
}
