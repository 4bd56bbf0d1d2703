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
	// The corpus pairs that change what the narrowing decides on: paths
	// and operations coming and going, components renamed, extracted,
	// merged by allOf, shared or made optional or nullable. Each costs
	// four generations and type-checks; the rest of the corpus changes
	// nothing more for narrowing.
	for _, name := range []string{"allof-refactor", "operation-added", "operation-id-changed", "operation-removed",
		"path-added", "path-removed", "path-item-parameter", "ref-extracted", "reordered", "response-property-became-nullable",
		"response-property-became-optional", "request-property-became-required", "sdk-type-renamed", "shared-components-moved",
		"shared-schema-both-directions", "response-enum-value-replaced", "multi-file"} {
		d := filepath.Join("../testdata/corpus", name)
		pairs = append(pairs, pair{name, filepath.Join(d, "base.yaml"), filepath.Join(d, "next.yaml")})
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
