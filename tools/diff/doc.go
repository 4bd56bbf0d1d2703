// Package diff is the breaking-change gate of the contract tools: it compares
// two versions of an OpenAPI 3.0/3.1 document from the point of view of a
// client that was written against the older one, and classifies every
// difference as an error (breaks that client), a warning (breaks strict
// clients or signals a coming break) or info (additive).
//
// # Why the engine walks operations itself
//
// Both documents are parsed, indexed and resolved with libopenapi (local and
// cross-file $refs included), and read into a small model of what the rules
// compare (model.go, read.go); the walk compares those models. It does not
// walk the change tree of libopenapi's
// what-changed package, for three reasons found in its source
// (what-changed/model/schema.go, v0.42):
//
//   - A local $ref that points at the same component on both sides is not
//     followed ("local reference doesn't need following"), so a change to
//     components/schemas/Material shows up only under components, never under
//     the operations that send or receive it. A client is broken per
//     operation, so the gate must know which operations reach a schema.
//   - Its breaking flags are per property kind, not per direction: a wider
//     maximum is flagged the same whether the schema is a request body (harmless)
//     or a response (breaks a client that validates). Here every schema is
//     compared once per direction it is reached in, and a schema reached from
//     both requests and responses is judged both ways.
//   - Parameters declared on a path item are reported on the path item; the
//     gate has to count them for every operation under it.
//
// Walking the resolved model gives one place where each rule lives, stable
// rule ids, JSON pointers into the new document and per-operation grouping.
//
// # Cost
//
// libopenapi holds a parsed document as its YAML node tree, an index and a
// rolodex of files: about 57 MiB live for a 1.9 MB spec. Its high-level
// model adds 25 MiB more, and building the schemas of that model costs more
// than parsing the file. So a document is not built into that model: once
// libopenapi has parsed and indexed it, the reader (read.go) walks the YAML
// tree once, follows each $ref with libopenapi's own lookup, and keeps only
// what the rules compare (model.go, a few MiB); then nothing of libopenapi's
// is referenced any more. The two documents are loaded one after the other,
// so only one libopenapi document is ever live: loading them at once is
// faster on two cores, but holds both (peak heap about 180 MiB instead of
// 150 when the second is parsed while the first is indexed, about 400 when
// both are parsed at once).
//
// The walk then compares the two models. A pair of schemas that hold the
// same keywords with the same $refs (same.go) has no findings and is
// skipped; shared components are compared once per direction (memoKey).
// TestSkippingEqualSubtreesChangesNothing walks every corpus pair with and
// without the skipping and requires the same findings, and
// TestReaderAgreesWithLibopenapi requires the reader to read every corpus
// and repository spec as libopenapi's high-level model does.
//
// BenchmarkCompareLargeSpecs loads and compares two generated 1.9 MB specs
// (600 resources, 400 components five levels deep, a third of them
// changed):
//
//	go test -run '^$' -bench CompareLargeSpecs -benchmem -benchtime 5x ./tools/diff/
//
// On two cores it takes about 0.8 s (0.7 to 0.95 s over runs), with a peak
// heap of 140 to 155 MiB and a peak live heap of 75 to 85 MiB (one
// libopenapi document and the first model); before the reader, 0.75 to
// 0.85 s and 405 to 475 MiB.
// Parsing the YAML (go-yaml, in libopenapi) is over half of the time,
// indexing a sixth, the reader and the walk a sixth together.
package diff
