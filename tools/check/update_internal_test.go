package check

import (
	"strings"
	"testing"
)

// TestUpdateDiffs holds what an update promises about the item read back
// after it, for a PATCH and for a PUT.
func TestUpdateDiffs(t *testing.T) {
	doc, err := LoadSpec([]byte(`
openapi: 3.0.3
info: {title: notes, version: "1"}
paths:
  /notes/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    put:
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Edit"}}}}
      responses: {"200": {description: ok}}
    patch:
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/Edit"}}}}
      responses: {"200": {description: ok}}
components:
  schemas:
    Edit:
      type: object
      properties:
        title: {type: string}
        due: {type: string, format: date-time}
        price: {type: object, properties: {amount: {type: integer}, currency: {type: string}}}
        tags: {type: array, items: {type: string}}
    Note:
      type: object
      properties:
        id: {type: integer, readOnly: true}
        title: {type: string}
        due: {type: string, format: date-time}
        price: {type: object, properties: {amount: {type: integer}, currency: {type: string}, shown: {type: string, readOnly: true}}}
        tags: {type: array, items: {type: string}}
        owner: {type: string}
        updated_at: {type: string, format: date-time}
`))
	if err != nil {
		t.Fatal(err)
	}
	var put, patch *operation
	for _, o := range operations(doc) {
		switch o.method {
		case "PUT":
			put = o
		case "PATCH":
			patch = o
		}
	}
	note := doc.Components.Schemas["Note"].Value
	obj := func(s string) map[string]any {
		m, ok := decodeObject([]byte(s))
		if !ok {
			t.Fatalf("not an object: %s", s)
		}
		return m
	}
	before := obj(`{"id": 1, "title": "a", "due": "2026-01-01T10:00:00Z", "price": {"amount": 5, "currency": "EUR", "shown": "€5"}, "tags": ["x"], "owner": "ann", "updated_at": "2026-01-01T10:00:00Z"}`)
	for _, tc := range []struct {
		name      string
		o         *operation
		sent, got string
		want      []string // a substring of each diff, in order
	}{
		{"a patch read back as sent", patch, `{"title": "b", "price": {"amount": 7}}`,
			`{"id": 1, "title": "b", "due": "2026-01-01T10:00:00Z", "price": {"amount": 7, "currency": "EUR", "shown": "€7"}, "tags": ["x"], "owner": "ann", "updated_at": "2026-02-01T00:00:00Z"}`, nil},
		{"a date-time read back in another zone and precision", patch, `{"due": "2026-03-01T12:00:00+02:00"}`,
			`{"id": 1, "title": "a", "due": "2026-03-01T10:00:00.000Z", "price": {"amount": 5, "currency": "EUR", "shown": "€5"}, "tags": ["x"], "owner": "ann"}`, nil},
		{"a number read back as a float", patch, `{"price": {"amount": 7}}`,
			`{"id": 1, "title": "a", "due": "2026-01-01T10:00:00Z", "price": {"amount": 7.0, "currency": "EUR"}, "tags": ["x"], "owner": "ann"}`, nil},
		{"a patch not stored", patch, `{"title": "b"}`,
			`{"id": 1, "title": "a", "due": "2026-01-01T10:00:00Z", "price": {"amount": 5, "currency": "EUR"}, "tags": ["x"], "owner": "ann"}`,
			[]string{`title: sent "b", GET shows "a"`}},
		{"a patch that clears what it did not send", patch, `{"title": "b"}`,
			`{"id": 1, "title": "b", "due": "2026-01-01T10:00:00Z", "price": {"amount": 5, "currency": "EUR"}, "owner": "ann"}`,
			[]string{`tags: not sent, was ["x"], GET shows absent`}},
		{"a patch that changes what no update sets", patch, `{"title": "b"}`,
			`{"id": 1, "title": "b", "due": "2026-01-01T10:00:00Z", "price": {"amount": 5, "currency": "EUR"}, "tags": ["x"], "owner": "bob"}`,
			[]string{`owner: not sent, was "ann", GET shows "bob"`}},
		{"a null sent clears the field", patch, `{"tags": null}`,
			`{"id": 1, "title": "a", "due": "2026-01-01T10:00:00Z", "price": {"amount": 5, "currency": "EUR"}, "owner": "ann"}`, nil},
		{"a put may replace what it did not send", put, `{"title": "b"}`,
			`{"id": 1, "title": "b", "owner": "ann"}`, nil},
		{"a put must keep what its body cannot hold", put, `{"title": "b"}`,
			`{"id": 1, "title": "b"}`, []string{`owner: not sent, was "ann", GET shows absent`}},
		{"an array read back in another order", put, `{"title": "a", "tags": ["x", "y"]}`,
			`{"id": 1, "title": "a", "tags": ["y", "x"], "owner": "ann"}`, []string{`tags: sent ["x","y"], GET shows ["y","x"]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diffs := updateDiffs(tc.o, note, obj(tc.sent), before, obj(tc.got))
			if len(diffs) != len(tc.want) {
				t.Fatalf("diffs %q, want %d", diffs, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(diffs[i], w) {
					t.Errorf("diff %q does not say %q", diffs[i], w)
				}
			}
		})
	}
}
