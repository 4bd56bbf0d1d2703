package events

import (
	"context"
	"fmt"

	"github.com/charterhq/charter/stories/story"
)

// Payloads returns the story.Events a service's stories record through:
// stories record their events with domain values as data, since they
// never import gen/, and Payloads gives each event its payload as the
// service's event contract has it (payload, from the generated types of
// gen/events/<service>), checks it against the contract's schema
// (validate, the generated ValidateValue) and records it through next.
// An event whose payload cannot be made or breaks the contract is an
// error, which fails the story that records it: nothing the contract does
// not describe is ever published.
func Payloads(next story.Events, payload func(story.Event) (any, error), validate func(eventType string, payload any) error) story.Events {
	if next == nil || payload == nil || validate == nil {
		panic("events: Payloads needs the events to record through, a payload and a validation")
	}
	return payloads{next: next, payload: payload, validate: validate}
}

type payloads struct {
	next     story.Events
	payload  func(story.Event) (any, error)
	validate func(string, any) error
}

func (p payloads) Record(ctx context.Context, events ...story.Event) error {
	out := make([]story.Event, len(events))
	for i, e := range events {
		data, err := p.payload(e)
		if err != nil {
			return fmt.Errorf("events: the payload of %s: %w", e.Type, err)
		}
		if err := p.validate(e.Type, data); err != nil {
			return fmt.Errorf("events: %w", err)
		}
		e.Data = data
		out[i] = e
	}
	return p.next.Record(ctx, out...)
}
