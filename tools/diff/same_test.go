package diff_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/charterhq/charter/tools/diff"
	"gopkg.in/yaml.v3"
)

// TestSkippingEqualSubtreesChangesNothing compares every corpus pair and a
// generated pair twice, walking every schema and skipping the subtrees that
// are equal on both sides: the findings must be the same, in the same order.
func TestSkippingEqualSubtreesChangesNothing(t *testing.T) {
	dirs, err := filepath.Glob("testdata/corpus/*")
	if err != nil {
		t.Fatal(err)
	}
	var pairs [][2]string
	for _, dir := range dirs {
		var tc corpusCase
		data, err := os.ReadFile(filepath.Join(dir, "expect.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, &tc); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		pairs = append(pairs, [2]string{filepath.Join(dir, "base.yaml"), filepath.Join(dir, tc.Next)})
	}
	gen := t.TempDir()
	pairs = append(pairs, [2]string{
		write(t, gen, "base.yaml", benchSpec(40, 30, 3, false)),
		write(t, gen, "next.yaml", benchSpec(40, 30, 3, true)),
	})
	for _, p := range pairs {
		base, err := diff.Load(p[0])
		if err != nil {
			t.Fatal(err)
		}
		next, err := diff.Load(p[1])
		if err != nil {
			t.Fatal(err)
		}
		prev := diff.SetFullWalk(true)
		full := diff.Compare(base, next, diff.Options{Now: corpusDay})
		diff.SetFullWalk(false)
		fast := diff.Compare(base, next, diff.Options{Now: corpusDay})
		diff.SetFullWalk(prev)
		if !reflect.DeepEqual(full, fast) {
			t.Errorf("%s: skipping equal subtrees changed the findings\nfull: %v\nfast: %v", p[1], full, fast)
		}
	}
}
