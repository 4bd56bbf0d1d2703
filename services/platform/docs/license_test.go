package docs

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Every contract the docs show names its license in info.license, and the
// repository's LICENSE is that license: what an integrator reads in the
// docs is what the code is distributed under.
func TestEveryContractNamesTheLicenseOfTheRepository(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	text, err := os.ReadFile(filepath.Join(root, "LICENSE"))
	if err != nil {
		t.Fatalf("the repository has no LICENSE: %v", err)
	}
	first, _, _ := bytes.Cut(text, []byte("\n"))
	licence := strings.TrimSuffix(strings.TrimSpace(string(first)), " License")

	var specs []string
	for _, pattern := range []string{"api/*.yaml", "api/shared/*.yaml", "api/events/*.yaml", "api/events/shared/*.yaml"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, m...)
	}
	if len(specs) == 0 {
		t.Fatal("no contracts found under api/")
	}
	for _, spec := range specs {
		raw, err := os.ReadFile(spec)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			OpenAPI  string `yaml:"openapi"`
			AsyncAPI string `yaml:"asyncapi"`
			Info     struct {
				License *struct {
					Name string `yaml:"name"`
				} `yaml:"license"`
			} `yaml:"info"`
		}
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		rel, _ := filepath.Rel(root, spec)
		if doc.OpenAPI == "" && doc.AsyncAPI == "" {
			continue // not a contract, such as api/.breaking-ignore.yaml
		}
		switch {
		case doc.Info.License == nil:
			t.Errorf("%s has no info.license; LICENSE is %s", rel, licence)
		case doc.Info.License.Name != licence:
			t.Errorf("%s names the license %q; LICENSE is %s", rel, doc.Info.License.Name, licence)
		}
	}
}
