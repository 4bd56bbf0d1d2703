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
// # Callbacks and webhooks
//
// A callback (registered by an operation) or a webhook (3.1) is a request
// the API sends to an endpoint the integrator runs, so the roles are
// reversed: the API writes the request's parameters and body and the
// integrator reads them, and the integrator writes the answer that the API
// reads. Each value is judged from its reader's side, like a response when
// the API writes it and like a request when the integrator does. So a
// required property added to a webhook's payload is only more for the
// integrator to read (response-property-added, info), while a property or
// a header it read that is removed breaks it (response-property-removed,
// callback-parameter-removed); a property made required in the answer the
// API expects refuses the answers integrators send (error). Removing a
// webhook or a callback silently stops calls the integrator relies on
// (webhook-removed, callback-removed). The request-* and response-* rules
// are about values the client writes and values the API writes.
//
// # Event contracts
//
// An AsyncAPI 3 document (api/events/) is compared from the side of a
// service that consumes its events (events.go): its send operations'
// channels are the event types, paired by channel id; a type no longer
// sent or sent at another address breaks consumers; each payload, made
// self-contained by package asyncapi, is read into the same schema model
// and walked in the response direction, as a response body a client reads.
//
// # Cost
//
// libopenapi holds a parsed document as its YAML node tree (about 35 MiB
// live for a 1.9 MB spec), its index and rolodex of files (20 MiB more) and
// its high-level model (25 MiB more, plus every schema it is asked to
// build; building schemas costs more than parsing the file). So a document
// is not built into that model: once libopenapi has parsed it, the reader
// (read.go) walks the YAML tree once and keeps only what the rules compare
// (model.go, about 12 MiB for that spec); then nothing of libopenapi's is
// referenced any more. $refs that are JSON pointers into the document are
// followed on the tree, and every other $ref is checked (ref_errors.go);
// libopenapi's index is built only for a document with $refs of another
// kind (refs.go). The two documents are loaded one after the other, so
// only one YAML tree is ever live: loading them at once is faster on two
// cores, but holds both (the peak heap was about 400 MiB with both parsed,
// indexed and built at once, and about 180 MiB with the second parsed
// while the first was indexed). The collector runs with its defaults.
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
// On two cores it takes 0.55 to 0.65 s, with a peak heap of 95 to 125 MiB
// and a peak live heap of 50 to 70 MiB (one YAML tree and the first
// model); before the reader, 0.65 to 1 s and 335 to 480 MiB. Parsing the
// YAML (go-yaml, in libopenapi) is two thirds of the time.
package diff
