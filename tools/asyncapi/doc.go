// Package asyncapi reads the AsyncAPI 3.0 documents of the event contracts
// (api/events/): the channels, whose address is the event type and the
// NATS subject, the messages and their payload schemas, and the send and
// receive operations.
//
// No Go AsyncAPI parser that reads version 3 is kept up (asyncapi/parser-go
// reads 2.x and is archived), so a document is read with YAML into a small
// typed model of what the generator, the docs and the breaking-change gate
// use. Load also bundles the document: every $ref into another file (a
// payload's schema in the HTTP contract, the shared CloudEvents trait, the
// channels of another service that a consumer receives) and every $ref a
// payload schema holds is replaced by what it points at, so that the
// bundle stands alone. Only the operations' $refs to their channel and
// messages stay, as AsyncAPI requires; they point into the bundle itself.
//
// Payloads are OpenAPI 3.0 schemas (schemaFormat
// application/vnd.oai.openapi;version=3.0.0), as they are the HTTP
// contract's components; Schema and Payload return them as decoded JSON.
package asyncapi
