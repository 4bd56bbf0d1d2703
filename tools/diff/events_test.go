package diff_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/charterhq/charter/tools/asyncapi"
	"github.com/charterhq/charter/tools/diff"
)

// TestSkippingEqualSubtreesChangesNothingInEvents is
// TestSkippingEqualSubtreesChangesNothing for the event contracts of the
// corpus.
func TestSkippingEqualSubtreesChangesNothingInEvents(t *testing.T) {
	n := 0
	for _, c := range corpus(t) {
		if !diff.IsEventContract(c.base) {
			continue
		}
		n++
		base, err := asyncapi.Load(c.base)
		if err != nil {
			t.Fatal(err)
		}
		next, err := asyncapi.Load(c.next)
		if err != nil {
			t.Fatal(err)
		}
		prev := diff.SetFullWalk(true)
		full, err := diff.CompareEvents(base, next, diff.Options{Now: corpusDay})
		diff.SetFullWalk(false)
		fast, err2 := diff.CompareEvents(base, next, diff.Options{Now: corpusDay})
		diff.SetFullWalk(prev)
		if err != nil || err2 != nil {
			t.Fatal(err, err2)
		}
		if !reflect.DeepEqual(full, fast) {
			t.Errorf("%s: skipping equal subtrees changed the findings\nfull: %v\nfast: %v", c.next, full, fast)
		}
	}
	if n == 0 {
		t.Fatal("the corpus has no event contracts")
	}
}

// The repository's event contracts compared with themselves: their payloads
// are read and walked, and nothing differs.
func TestRepoEventContractsAgainstThemselves(t *testing.T) {
	pairs, err := diff.PairDirs("../../api", "../../api")
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, p := range pairs {
		if !p.Events {
			continue
		}
		events = append(events, p.Name)
		res, err := diff.ComparePair(p, diff.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) != 0 {
			t.Errorf("%s against itself: %v", p.Name, res.Findings)
		}
	}
	if got, want := strings.Join(events, " "), "events/materials.yaml events/quotes.yaml"; got != want {
		t.Errorf("event contracts paired: %s, want %s", got, want)
	}
}

func TestEventPairDirs(t *testing.T) {
	base, next := t.TempDir(), t.TempDir()
	doc := []byte("asyncapi: 3.0.0\ninfo: {title: T, version: 1.0.0}\n")
	for _, f := range []struct{ dir, name string }{{base, "gone.yaml"}, {base, "kept.yaml"}, {next, "kept.yaml"}, {next, "new.yaml"}} {
		if err := os.MkdirAll(filepath.Join(f.dir, "events", "shared"), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(f.dir, "events"), f.name, doc)
	}
	// A file in events/shared is a part of the contracts, not one.
	write(t, filepath.Join(next, "events", "shared"), "cloudevents.yaml", doc)
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
	if got, want := join(rules), "events/gone.yaml:spec-removed events/new.yaml:spec-added"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
