package contract

import (
	"encoding/json"
	"testing"

	"github.com/charterhq/charter/gen/materials"
)

// BenchmarkBodySteps splits the cost of a JSON body into decoding it to
// the generic form kin-openapi validates and validating that form.
func BenchmarkBodySteps(b *testing.B) {
	spec, err := materials.GetSpec()
	if err != nil {
		b.Fatal(err)
	}
	c, err := New(spec, Options{Verify: nil})
	if err == nil || c != nil {
		b.Fatal("want an error without Verify")
	}
	schema := spec.Components.Schemas["NewMaterial"].Value
	data := []byte(`{"company_id":7,"name":"10 mm Steel","quality":"steel","thickness":10,"is_active":true}`)
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v any
			_ = json.Unmarshal(data, &v)
		}
	})
	var v any
	_ = json.Unmarshal(data, &v)
	opts := (&Contract{}).bodyOptions()
	b.Run("visit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := schema.VisitJSON(v, opts...); err != nil {
				b.Fatal(err)
			}
		}
	})
}
