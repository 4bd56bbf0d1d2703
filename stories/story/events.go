package story

import "context"

// Event is one thing that happened in a story, recorded for other services
// to learn of it.
type Event struct {
	// Type is the event type, which is also its subject on the broker,
	// such as "charter.materials.material.created".
	Type string
	// Subject is the id of the aggregate the event is about: events of one
	// subject arrive in the order their stories committed.
	Subject string
	// Data is the payload, marshalled as JSON.
	Data any
}

// Events records events in the running story's transaction: they exist iff
// it commits. A story depends on it like on a repository, and records the
// events of a change in the step after the change.
type Events interface {
	Record(ctx context.Context, events ...Event) error
}
