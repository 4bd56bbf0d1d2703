// Package events carries the events services record to the services that
// consume them: each service commits its change and its events together
// (the transactional outbox, repositories/outbox), a Relay per service
// publishes the committed events to NATS JetStream, and each consuming
// service reads them from a durable consumer of its own (a Consumer) and
// handles each once (the inbox).
//
// The parts, in the order an event meets them:
//
//	Payloads     a story's event given its contract's payload, encoded once, checked
//	             against the contract as the service's checks.Policy says (FastValidate)
//	Envelope     CloudEvents 1.0 in structured JSON mode: the body of every message,
//	             its sequence (the extension) the outbox's order of the source's events
//	Broker       the embedded nats-server with JetStream, or an external one (NATS_URL)
//	Streams      one stream per publishing service (MATERIALS on charter.materials.>) and DLQ
//	Relay        outbox rows in order to the broker, at least once, then marked published;
//	             of a service's replicas, the one holding the outbox's lease
//	Handlers     typed handlers per event type (Handle), registered by a consuming service
//	Consumer     a durable consumer named after the service, shared by its replicas;
//	             the events waiting for a worker handled in one transaction with their
//	             inbox rows, each in a savepoint of its own, retries with backoff,
//	             dead letters to charter.dlq.<consumer>.<type> after the last attempt
//	DeadLetters  list and replay what the consumers gave up on
//
// The relay and the consumers survive their own restarts and the broker's:
// nothing is marked published before the broker acknowledged it, and
// nothing is acknowledged before its handler's transaction committed, so
// an event is delivered at least once, and the broker's de-duplication
// (Nats-Msg-Id, the event id) and the inbox make it count once.
package events
