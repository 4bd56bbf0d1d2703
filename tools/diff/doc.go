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
// rolodex of files: about 57 MiB live for a 1.9 MB spec, and its
// high-level model would add 25 MiB more, plus every schema it is asked to
// build. So each document is read into the model as soon as it is indexed,
// straight from the YAML tree with $refs followed by libopenapi's own
// lookup, and libopenapi's document is dropped; the two documents are loaded
// one after the other, so that only one of them is ever live. The models
// are a few MiB each.
//
// BenchmarkCompareLargeSpecs (two generated 1.9 MB specs, a third of their
// components changed):
//
//	go test -run '^$' -bench CompareLargeSpecs -benchmem -benchtime 5x ./tools/diff/
//
// takes about 0.85 s on two cores, with a peak heap about 160 MiB (peak
// live heap 85 MiB, one libopenapi document). Parsing the YAML is most of
// the time.
package diff
