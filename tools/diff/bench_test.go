package diff_test

import (
	"fmt"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charterhq/charter/tools/diff"
)

// benchSpec writes a spec the size of a large real-world API: paths
// resources with five operations each, and schemas nested depth levels deep
// that chain to each other by $ref. changed applies the edits a release
// might make: a narrowed request field, a removed response field, a new
// optional field and new paths.
func benchSpec(paths, schemas, depth int, changed bool) []byte {
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

// BenchmarkCompareLargeSpecs loads and compares two ~2 MB specs, the whole
// wire-level job of the gate for one spec; it reports the peak heap.
func BenchmarkCompareLargeSpecs(b *testing.B) {
	dir := b.TempDir()
	spec := benchSpec(600, 400, 4, false)
	base := write(b, dir, "base.yaml", spec)
	next := write(b, dir, "next.yaml", benchSpec(600, 400, 4, true))

	var peak, peakLive atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		// The heap in use (live objects, garbage not yet swept and free
		// slots in in-use spans), as runtime.MemStats.HeapInuse, read
		// without stopping the world.
		samples := []metrics.Sample{
			{Name: "/memory/classes/heap/objects:bytes"},
			{Name: "/memory/classes/heap/unused:bytes"},
			{Name: "/gc/heap/live:bytes"},
		}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			if v := samples[0].Value.Uint64() + samples[1].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			if v := samples[2].Value.Uint64(); v > peakLive.Load() {
				peakLive.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	var findings int
	b.ResetTimer()
	for b.Loop() {
		res, err := diff.ComparePair(diff.Pair{Name: "bench.yaml", Base: base, Next: next}, diff.Options{})
		if err != nil {
			b.Fatal(err)
		}
		findings = len(res.Findings)
	}
	b.StopTimer()
	close(done)
	<-stopped
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	// The largest heap a collection found live: the part of the peak that
	// the collector's headroom (GOGC) does not explain.
	b.ReportMetric(float64(peakLive.Load())/(1<<20), "peak-live-MiB")
	b.ReportMetric(float64(findings), "findings")
	b.ReportMetric(float64(len(spec))/(1<<20), "spec-MiB")
}
