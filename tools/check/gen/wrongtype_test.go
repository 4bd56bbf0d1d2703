package gen_test

import (
	"fmt"
	"testing"

	"github.com/charterhq/charter/tools/check/gen"
	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// TestWrongTypesAreEveryOtherType checks that a property's wrong type is
// drawn from every other JSON type, and that null is a violation only of
// a property that is not nullable: a service that takes "1" for a number
// may still crash on an object.
func TestWrongTypesAreEveryOtherType(t *testing.T) {
	s := openapi3.NewObjectSchema().
		WithProperty("n", openapi3.NewIntegerSchema()).
		WithProperty("maybe", openapi3.NewStringSchema().WithNullable())
	seen := map[string]bool{}
	nullable := false
	rapid.Check(t, func(rt *rapid.T) {
		for _, vio := range gen.Violations(s) {
			bad, ok := vio.Apply(rt, map[string]any{"n": int64(1), "maybe": "x"}).(map[string]any)
			if !ok {
				continue // the whole value broken: null or another type
			}
			switch {
			case vio.Pointer() == "/n" && vio.Rule == "type":
				seen[fmt.Sprintf("%T", bad["n"])] = true
			case vio.Pointer() == "/maybe" && vio.Rule == "null":
				nullable = true
			}
		}
	})
	for _, want := range []string{"string", "bool", "[]interface {}", "map[string]interface {}"} {
		if !seen[want] {
			t.Errorf("no wrong value of Go type %s drawn for an integer; saw %v", want, seen)
		}
	}
	if nullable {
		t.Error("null was drawn as a violation of a nullable property")
	}
	var null bool
	for _, vio := range gen.Violations(s) {
		null = null || vio.Pointer() == "/n" && vio.Rule == "null"
	}
	if !null {
		t.Error("null is not a violation of a property that is not nullable")
	}
}
