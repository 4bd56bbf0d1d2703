package sdk

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/charterhq/charter/tools/diff/benchspec"
)

// TestNarrowingChangesNothing compares every pair of the gate's corpus,
// the project's specs against their released versions and a large
// generated pair twice: once narrowed to what can generate different Go,
// once whole. The findings must be the same, in the same order.
func TestNarrowingChangesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and type-checks each client twice")
	}
	cfg, err := Config("../../../gen/oapi-codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	type pair struct{ name, base, next string }
	var pairs []pair
	dirs, err := filepath.Glob("../testdata/corpus/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		pairs = append(pairs, pair{filepath.Base(d), filepath.Join(d, "base.yaml"), filepath.Join(d, "next.yaml")})
	}
	for _, s := range []string{"materials", "quotes"} {
		pairs = append(pairs, pair{s, "../../../api/released/" + s + ".yaml", "../../../api/" + s + ".yaml"})
	}
	dir := t.TempDir()
	large := pair{"generated", filepath.Join(dir, "base.yaml"), filepath.Join(dir, "next.yaml")}
	// Smaller than the benchmark's pair, with the same kinds of edits.
	if err := os.WriteFile(large.base, benchspec.Spec(60, 40, 2, false), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(large.next, benchspec.Spec(60, 40, 2, true), 0o644); err != nil {
		t.Fatal(err)
	}
	pairs = append(pairs, large)
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			whole, errWhole := compare(p.base, p.next, "../../..", cfg, false)
			narrowed, errNarrowed := compare(p.base, p.next, "../../..", cfg, true)
			if (errWhole == nil) != (errNarrowed == nil) {
				t.Fatalf("whole: %v; narrowed: %v", errWhole, errNarrowed)
			}
			if !reflect.DeepEqual(whole, narrowed) {
				t.Errorf("whole:\n%v\nnarrowed:\n%v", whole, narrowed)
			}
		})
	}
}
