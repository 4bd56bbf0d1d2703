package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/gen/quotes"
)

// requestSchemas are the request body schemas of every service.
func requestSchemas(tb testing.TB) map[string]*openapi3.Schema {
	tb.Helper()
	out := map[string]*openapi3.Schema{}
	for _, get := range []func() (*openapi3.T, error){materials.GetSpec, quotes.GetSpec} {
		spec, err := get()
		if err != nil {
			tb.Fatal(err)
		}
		for _, name := range []string{"NewMaterial", "MaterialUpdate", "NewQuote", "QuoteLines"} {
			if ref := spec.Components.Schemas[name]; ref != nil {
				out[name] = ref.Value
			}
		}
	}
	if len(out) != 4 {
		tb.Fatalf("found %d of the 4 request schemas", len(out))
	}
	return out
}

var walkSeeds = append(slices.Clip(bodySeeds),
	`{"name":"a","quality":"b","thickness":1,"price":{"amount":-1,"currency":"eur"}}`,
	`{"name":"a","quality":"b","thickness":1,"price":{"amount":1}}`,
	`{"name":"a","quality":"b","thickness":1,"price":null}`,
	`{"name":"a","quality":"b","thickness":1,"price":[]}`,
	`{"lines":[{"material_id":1,"quantity":1,"width_mm":1,"height_mm":1}]}`,
	`{"lines":[{},{"material_id":0,"quantity":0,"width_mm":"1","x":1},null,3,[]],"y":2}`,
	`{"lines":{},"company_id":"7"}`,
	`{"lines":null}`,
	`{"company_id":7}`,
)

// pointers are the sorted pointers of kin-openapi's error for v.
func kinPointers(s *openapi3.Schema, v any) []string {
	err := s.VisitJSON(v, (&Contract{}).bodyOptions()...)
	if err == nil {
		return nil
	}
	var out []string
	for _, f := range appendFieldErrors(nil, "#", err) {
		if !slices.Contains(out, f.Pointer) {
			out = append(out, f.Pointer)
		}
	}
	slices.Sort(out)
	return out
}

// TestBodyWalkFindsWhatKinFinds holds the walk to kin-openapi's verdict
// on the whole body: the same invalid values, whatever order it finds
// them in, when there are no more than a problem lists.
func TestBodyWalkFindsWhatKinFinds(t *testing.T) {
	for name, s := range requestSchemas(t) {
		w := compileWalk(s)
		if w.whole {
			t.Errorf("%s: not split for walking", name)
		}
		for _, body := range walkSeeds {
			var v any
			if json.Unmarshal([]byte(body), &v) != nil {
				continue
			}
			want := kinPointers(s, v)
			var l fieldList
			w.walk(context.Background(), v, "#", (&Contract{}).bodyOptions(), &l)
			var got []string
			for _, f := range l.fields {
				got = append(got, f.Pointer)
			}
			slices.Sort(got)
			if len(want) <= MaxFieldErrors && !slices.Equal(got, want) {
				t.Errorf("%s %s: walk finds %q, kin-openapi %q", name, body, got, want)
			}
		}
	}
}

// walkCounted counts the calls of the x-walk-counted format validator.
var walkCounted atomic.Int64

func init() {
	openapi3.DefineStringFormatValidator("x-walk-counted", openapi3.NewCallbackValidator(func(string) error {
		walkCounted.Add(1)
		return nil
	}))
}

func TestBodyWalkWorkIsBoundedByTheCap(t *testing.T) {
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData([]byte(`
openapi: 3.0.3
info: {title: walk, version: "1"}
paths: {}
components:
  schemas:
    Body:
      type: object
      additionalProperties: false
      properties:
        items:
          type: array
          items:
            type: object
            properties:
              a: {type: string, format: x-walk-counted, maxLength: 0}
        named:
          type: object
          additionalProperties: {type: string, format: x-walk-counted, maxLength: 0}
`))
	if err != nil {
		t.Fatal(err)
	}
	w := compileWalk(spec.Components.Schemas["Body"].Value)
	const n = 10000
	cases := []struct {
		name string
		body func(b *strings.Builder)
	}{
		{"an array of invalid items", func(b *strings.Builder) {
			b.WriteString(`{"items":[`)
			for i := range n {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`{"a":"x"}`)
			}
			b.WriteString(`]}`)
		}},
		{"an object of invalid additional properties", func(b *strings.Builder) {
			b.WriteString(`{"named":{`)
			for i := range n {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(b, `"k%05d":"x"`, i)
			}
			b.WriteString(`}}`)
		}},
		{"an object of unknown properties", func(b *strings.Builder) {
			b.WriteString(`{"items":[]`)
			for i := range n {
				fmt.Fprintf(b, `,"k%05d":"x"`, i)
			}
			b.WriteString(`}`)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			tc.body(&b)
			var v any
			if err := json.Unmarshal([]byte(b.String()), &v); err != nil {
				t.Fatal(err)
			}
			walkCounted.Store(0)
			var l fieldList
			w.walk(context.Background(), v, "#", (&Contract{}).bodyOptions(), &l)
			if got := walkCounted.Load(); got > MaxFieldErrors+1 {
				t.Errorf("judged %d of %d values for a problem that lists %d", got, n, MaxFieldErrors)
			}
			if len(l.fields) != MaxFieldErrors || !l.full() {
				t.Errorf("%d fields, full %v; want %d and full", len(l.fields), l.full(), MaxFieldErrors)
			}
		})
	}
	t.Run("the first unknown properties by name", func(t *testing.T) {
		m := map[string]any{"items": []any{}}
		for i := range n {
			m[fmt.Sprintf("k%05d", n-1-i)] = 1
		}
		var l fieldList
		w.walk(context.Background(), m, "#", (&Contract{}).bodyOptions(), &l)
		for i, f := range l.fields {
			if want := fmt.Sprintf("#/k%05d", i); f.Pointer != want {
				t.Fatalf("field %d is %s, want %s", i, f.Pointer, want)
			}
		}
	})
	t.Run("a cancelled context judges nothing", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		walkCounted.Store(0)
		var l fieldList
		w.walk(ctx, map[string]any{"items": []any{map[string]any{"a": "x"}}}, "#", (&Contract{}).bodyOptions(), &l)
		if walkCounted.Load() != 0 || len(l.fields) != 0 {
			t.Errorf("judged %d values, listed %v", walkCounted.Load(), l.fields)
		}
	})
}
