package diff_test

import (
	"testing"

	"github.com/charterhq/charter/tools/diff"
)

// TestRepoSpecs runs the gate on this repository's specs against their
// released baselines, as .ci/breaking does: with the findings that
// api/.breaking-ignore.yaml accepts left out.
func TestRepoSpecs(t *testing.T) {
	pairs, err := diff.PairDirs("../../api/released", "../../api")
	if err != nil {
		t.Fatal(err)
	}
	ignore, err := diff.LoadIgnore("../../api/.breaking-ignore.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) == 0 {
		t.Fatal("no specs found in api/")
	}
	report := &diff.Report{FailOn: diff.Error}
	for _, p := range pairs {
		if p.Base == "" {
			t.Errorf("%s has no released baseline: run make release-spec", p.Name)
			continue
		}
		res, err := diff.ComparePair(p, diff.Options{})
		if err != nil {
			t.Fatal(err)
		}
		res.Accept()
		ignore.Apply(res.Spec, res.Findings)
		report.Results = append(report.Results, res)
	}
	if report.Failed() {
		for _, res := range report.Results {
			for _, f := range res.Findings {
				if f.Counts() && f.Severity == diff.Error {
					t.Errorf("%s: %s %s: %s", res.Spec, f.Rule, f.Location(), f.Message)
				}
			}
		}
	}
}

func TestPairDirs(t *testing.T) {
	base, next := t.TempDir(), t.TempDir()
	spec := []byte("openapi: 3.0.3\ninfo: {title: T, version: 1.0.0}\npaths: {}\n")
	write(t, base, "gone.yaml", spec)
	write(t, base, "kept.yaml", spec)
	write(t, next, "kept.yaml", spec)
	write(t, next, "new.yaml", spec)
	write(t, next, "fragment.yaml", []byte("Thing:\n  type: string\n"))
	pairs, err := diff.PairDirs(base, next)
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, p := range pairs {
		res, err := diff.ComparePair(p, diff.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Findings {
			rules = append(rules, p.Name+":"+f.Rule)
		}
	}
	want := "gone.yaml:spec-removed new.yaml:spec-added"
	if got := join(rules); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
