package gen_test

import (
	"sort"
	"testing"

	"github.com/charterhq/charter/tools/check/gen"
	"github.com/getkin/kin-openapi/openapi3"
	"pgregory.net/rapid"
)

// schemas loads the component schemas of the project's specs and of the
// checker's own test spec, so that generation is proven on real contracts.
func schemas(t *testing.T) map[string]*openapi3.Schema {
	t.Helper()
	out := map[string]*openapi3.Schema{}
	for _, path := range []string{"../../../api/materials.yaml", "../../../api/shared/components.yaml", "../testdata/plantedserver/widgets.yaml"} {
		// From the file: api/materials.yaml refers to shared/components.yaml.
		loader := openapi3.NewLoader()
		loader.IsExternalRefsAllowed = true
		doc, err := loader.LoadFromFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for name, ref := range doc.Components.Schemas {
			out[path+"#"+name] = ref.Value
		}
	}
	out["inline#combined"] = combined()
	return out
}

// combined covers what the specs above do not: allOf, oneOf, anyOf,
// nullable, formats, uniqueness and additionalProperties with a schema.
func combined() *openapi3.Schema {
	str := openapi3.NewStringSchema
	base := openapi3.NewObjectSchema().WithProperty("id", str().WithFormat("uuid")).WithRequired([]string{"id"})
	extra := openapi3.NewObjectSchema().WithProperty("at", str().WithFormat("date-time")).WithRequired([]string{"at"})
	all := openapi3.NewAllOfSchema(base, extra)
	one := openapi3.NewOneOfSchema(openapi3.NewIntegerSchema().WithMin(0).WithMax(9), str().WithPattern("^[a-z]{3}$"))
	anyOf := openapi3.NewAnyOfSchema(openapi3.NewBoolSchema(), str().WithFormat("email"))
	nullable := str().WithFormat("date").WithNullable()
	arr := openapi3.NewArraySchema().WithItems(openapi3.NewIntegerSchema().WithMin(1).WithMax(1000)).WithUniqueItems(true).WithMinItems(2).WithMaxItems(4)
	num := openapi3.NewFloat64Schema().WithMin(-5).WithMax(5).WithExclusiveMin(true)
	num.MultipleOf = openapi3.Float64Ptr(0.25)
	return openapi3.NewObjectSchema().
		WithProperty("all", all).WithProperty("one", one).WithProperty("any", anyOf).
		WithProperty("nullable", nullable).WithProperty("list", arr).WithProperty("num", num).
		WithProperty("uri", str().WithFormat("uri")).WithProperty("bytes", str().WithFormat("byte")).
		WithAdditionalProperties(openapi3.NewBoolSchema()).
		WithRequired([]string{"all", "one", "list", "num"})
}

func names(m map[string]*openapi3.Schema) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func TestValuesSatisfyTheirSchema(t *testing.T) {
	all := schemas(t)
	for _, name := range names(all) {
		s := all[name]
		t.Run(name, rapid.MakeCheck(func(t *rapid.T) {
			v := gen.Value(s).Draw(t, "value")
			if err := s.VisitJSON(v, openapi3.VisitAsRequest(), openapi3.DisableReadOnlyValidation()); err != nil {
				t.Fatalf("drawn value breaks its schema: %v", err)
			}
		}))
	}
}

func TestViolationsBreakTheirSchema(t *testing.T) {
	all := schemas(t)
	for _, name := range names(all) {
		s := all[name]
		vs := gen.Violations(s)
		if len(vs) == 0 {
			continue
		}
		t.Run(name, rapid.MakeCheck(func(t *rapid.T) {
			vio := vs[rapid.IntRange(0, len(vs)-1).Draw(t, "violation")]
			bad := vio.Apply(t, gen.Value(s).Draw(t, "value"))
			if gen.Valid(s, bad) {
				t.Fatalf("%s %s left the value valid: %#v", vio.Pointer(), vio.Rule, bad)
			}
		}))
	}
}
