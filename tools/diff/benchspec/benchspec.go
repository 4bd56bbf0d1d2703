// Package benchspec writes the large specs the gate's benchmarks compare:
// about 2 MB each, the size of a large real-world API, with the edits a
// release makes between the two versions.
package benchspec

import (
	"fmt"
	"strings"
)

// Spec writes a spec the size of a large real-world API: paths
// resources with five operations each, and schemas nested depth levels deep
// that chain to each other by $ref. changed applies the edits a release
// might make: a narrowed request field, a removed response field, a new
// optional field and new paths.
func Spec(paths, schemas, depth int, changed bool) []byte {
	var b strings.Builder
	b.Grow(2 << 20)
	fmt.Fprintf(&b, "openapi: 3.0.3\ninfo:\n  title: Bench\n  version: 1.0.0\nsecurity:\n  - bearer: [read]\npaths:\n")
	n := paths
	if changed {
		n += 10
	}
	for i := 0; i < n; i++ {
		s := i % schemas
		fmt.Fprintf(&b, `  /r%[1]d:
    get:
      operationId: list%[1]d
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200":
          description: A page.
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/S%[2]d"}
        "400": {description: Bad request.}
    post:
      operationId: create%[1]d
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/S%[2]d"}
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/S%[2]d"}
  /r%[1]d/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
    get:
      operationId: get%[1]d
      responses:
        "200":
          description: One.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/S%[2]d"}
        "404": {description: Not found.}
    put:
      operationId: put%[1]d
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/S%[2]d"}
      responses:
        "204": {description: Done.}
    delete:
      operationId: delete%[1]d
      responses:
        "204": {description: Done.}
`, i, s)
	}
	b.WriteString("components:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer}\n  schemas:\n")
	for s := 0; s < schemas; s++ {
		fmt.Fprintf(&b, "    S%d:\n", s)
		nested(&b, 6, depth, s, changed)
		if s%10 != 9 && s+1 < schemas {
			fmt.Fprintf(&b, "%snext: {$ref: \"#/components/schemas/S%d\"}\n", strings.Repeat(" ", 8), s+1)
		}
	}
	return []byte(b.String())
}

func nested(b *strings.Builder, indent, depth, s int, changed bool) {
	pad := strings.Repeat(" ", indent)
	fmt.Fprintf(b, "%stype: object\n%srequired: [id, name]\n%sproperties:\n", pad, pad, pad)
	maxLen := 80
	if changed && s%7 == 0 {
		maxLen = 40
	}
	fmt.Fprintf(b, "%s  id: {type: integer, format: int64}\n%s  name: {type: string, maxLength: %d, description: \"A name, unique in its scope, shown to people.\"}\n", pad, pad, maxLen)
	fmt.Fprintf(b, "%s  status: {type: string, enum: [draft, active, retired]}\n%s  amount: {type: number, minimum: 0, maximum: 1000000}\n", pad, pad)
	if !(changed && s%11 == 0) {
		fmt.Fprintf(b, "%s  note: {type: string, nullable: true}\n", pad)
	}
	if changed && s%13 == 0 {
		fmt.Fprintf(b, "%s  color: {type: string}\n", pad)
	}
	fmt.Fprintf(b, "%s  tags: {type: array, items: {type: string, pattern: \"^[a-z]+$\"}, maxItems: 20}\n", pad)
	if depth > 0 {
		fmt.Fprintf(b, "%s  child:\n", pad)
		nested(b, indent+4, depth-1, s, changed)
	}
}
