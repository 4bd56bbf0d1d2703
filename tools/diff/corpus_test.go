package diff_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/tools/diff"
	"github.com/charterhq/charter/tools/diff/sdk"
	"gopkg.in/yaml.v3"
)

// corpusCase is testdata/corpus/<name>/expect.yaml.
type corpusCase struct {
	About string `yaml:"about"`
	// Oasdiff records what oasdiff says about the pair and, where it
	// disagrees, why this gate decides otherwise.
	Oasdiff string `yaml:"oasdiff"`
	// SDK turns on the generated-client comparison for the pair.
	SDK bool `yaml:"sdk"`
	// ImportMapping is the generator's import-mapping for a pair whose
	// specs refer to other files, as gen/oapi-codegen.yaml maps
	// shared/components.yaml to gen/shared.
	ImportMapping map[string]string `yaml:"import-mapping"`
	Next          string            `yaml:"next"`
	// Findings are "severity rule operation pointer", in report order.
	Findings []string `yaml:"findings"`
	// Messages, when given, are the findings' messages in report order.
	Messages []string `yaml:"messages"`
}

// corpusDay is the date x-sunset dates are compared with.
var corpusDay = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// corpusDir is one pair of the corpus with its expectations.
type corpusDir struct {
	corpusCase
	dir, base, next string
}

// corpus reads every testdata/corpus/<name>/expect.yaml.
func corpus(t *testing.T) []corpusDir {
	t.Helper()
	dirs, err := filepath.Glob("testdata/corpus/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusDir
	for _, dir := range dirs {
		var tc corpusCase
		data, err := os.ReadFile(filepath.Join(dir, "expect.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &tc); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		out = append(out, corpusDir{tc, dir, filepath.Join(dir, "base.yaml"), filepath.Join(dir, tc.Next)})
	}
	return out
}

func TestCorpus(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range corpus(t) {
		tc, base, next := c.corpusCase, c.base, c.next
		t.Run(filepath.Base(c.dir), func(t *testing.T) {
			res, err := diff.ComparePair(diff.Pair{Name: "spec", Base: base, Next: next}, diff.Options{Now: corpusDay})
			if err != nil {
				t.Fatal(err)
			}
			if tc.SDK {
				cfg, err := sdk.Config("")
				if err != nil {
					t.Fatal(err)
				}
				cfg.ImportMapping = tc.ImportMapping
				fs, err := sdk.Compare(base, next, ".", cfg)
				if err != nil {
					t.Fatal(err)
				}
				res.Findings = append(res.Findings, fs...)
			}
			var got, messages []string
			for _, f := range res.Findings {
				messages = append(messages, f.Message)
				covered[f.Rule] = true
				op := f.Operation
				if op == "" {
					op = "-"
				}
				got = append(got, strings.Join([]string{string(f.Severity), f.Rule, op, f.Pointer}, " "))
				if f.Message == "" || strings.Contains(f.Message, "\n") {
					t.Errorf("%s: message must be one non-empty line: %q", f.Rule, f.Message)
				}
			}
			if !slices.Equal(got, tc.Findings) {
				t.Errorf("%s\n got: %s\nwant: %s", tc.About, strings.Join(got, "\n      "), strings.Join(tc.Findings, "\n      "))
			}
			if tc.Messages != nil && !slices.Equal(messages, tc.Messages) {
				t.Errorf("messages\n got: %s\nwant: %s", strings.Join(messages, "\n      "), strings.Join(tc.Messages, "\n      "))
			}
		})
	}
	// Every rule that a pair of spec files can trigger has a pair.
	for _, r := range diff.Rules {
		if r.ID == diff.RuleSpecAdded || r.ID == diff.RuleSpecRemoved {
			continue // whole files: TestPairDirs
		}
		if !covered[r.ID] {
			t.Errorf("rule %s has no pair in testdata/corpus", r.ID)
		}
	}
}
