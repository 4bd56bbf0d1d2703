package diff_test

import (
	"reflect"
	"testing"

	"github.com/charterhq/charter/tools/diff"
	"github.com/charterhq/charter/tools/diff/benchspec"
)

// TestSkippingEqualSubtreesChangesNothing compares every corpus pair and a
// generated pair twice, walking every schema and skipping the schemas that
// are the same on both sides (same.go): the findings must be the same, in
// the same order.
func TestSkippingEqualSubtreesChangesNothing(t *testing.T) {
	var pairs [][2]string
	for _, c := range corpus(t) {
		if diff.IsEventContract(c.base) {
			continue // TestSkippingEqualSubtreesChangesNothingInEvents
		}
		pairs = append(pairs, [2]string{c.base, c.next})
	}
	gen := t.TempDir()
	pairs = append(pairs, [2]string{
		write(t, gen, "base.yaml", benchspec.Spec(40, 30, 3, false)),
		write(t, gen, "next.yaml", benchspec.Spec(40, 30, 3, true)),
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
