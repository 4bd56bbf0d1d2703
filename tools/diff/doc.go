// Package diff is the breaking-change gate of the contract tools: it compares
// two versions of an OpenAPI 3.0/3.1 document from the point of view of a
// client that was written against the older one, and classifies every
// difference as an error (breaks that client), a warning (breaks strict
// clients or signals a coming break) or info (additive).
//
// # Why the engine walks operations itself
//
// Both documents are parsed, indexed and resolved with libopenapi (local and
// cross-file $refs included), and libopenapi's high-level model is what this
// package walks. It does not walk the change tree of libopenapi's
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
// libopenapi builds schemas lazily, and building them is most of the cost of
// a walk, so the walk avoids building what cannot differ:
//
//   - Before walking, both documents' YAML is hashed (same.go) and every
//     local $ref target is judged over the whole reference graph: a target
//     differs if its own YAML differs or it refers, at any depth, to a target
//     that differs. Two schemas whose subtrees hash equal and hold no
//     differing $ref are equal once resolved and have no findings; the walk
//     skips them without building them, and skips equal properties the same
//     way. Documents with $refs into other files are walked in full.
//   - A referenced schema is built once per side, however many operations
//     and directions reach it, and comparisons of shared components are
//     memoized per (old $ref, new $ref, direction).
//   - The two documents are parsed, indexed and hashed concurrently.
//
// TestSkippingEqualSubtreesChangesNothing walks every corpus pair with and
// without the skipping and requires the same findings.
//
// BenchmarkCompareLargeSpecs (two generated 1.9 MB specs, a third of their
// components changed) takes about 0.75 s on two cores. Its peak heap,
// about 400 MiB, is set by libopenapi holding both parsed documents (about
// 85 MiB live each: YAML nodes, index, path models) plus the collector's
// headroom; peak-live-MiB reports the live part.
package diff
