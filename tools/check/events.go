package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// EventsRecorded fails when the events a service recorded while serving a
// request are not what the operation's contract declares: a successful
// (2xx) write records exactly the event types its x-events extension
// lists, a refused request and an operation without x-events record
// none, and every payload is valid against its schema in the event
// contract. It runs with WithEvents, in-process, where the test can read
// what the service records.
const EventsRecorded = "events_recorded"

// EventsExtension is the operation extension that declares the event
// types a successful call records, in the order it records them:
//
//	x-events: [charter.materials.material.created]
const EventsExtension = "x-events"

// RecordedEvent is an event a service recorded (story.Event as the outbox
// keeps it): its type, its subject and its payload as JSON.
type RecordedEvent struct {
	Type, Subject string
	Data          []byte
}

// eventSource is what WithEvents configures.
type eventSource struct {
	recorded func() []RecordedEvent
	validate func(eventType string, data []byte) error
}

// WithEvents turns on the events_recorded check. recorded returns the
// events the service recorded since its previous call (the checker calls
// it after every response, and attributes what it returns to that
// request; requests are sent one at a time). validate checks a payload
// against the event contract: the Validate of the service's generated
// package in gen/events.
func WithEvents(recorded func() []RecordedEvent, validate func(eventType string, data []byte) error) Option {
	return func(c *config) { c.events = &eventSource{recorded: recorded, validate: validate} }
}

// drainEvents attaches to res the events recorded while it was served.
func (r *runner) drainEvents(res *response) {
	if r.cfg.events == nil {
		return
	}
	res.events, res.eventSource = r.cfg.events.recorded(), r.cfg.events
}

// declaredEvents returns the event types o declares with x-events.
func declaredEvents(op *openapi3.Operation) ([]string, error) {
	raw, ok := op.Extensions[EventsExtension]
	if !ok {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("%s is not a list of event types", EventsExtension)
	}
	out := make([]string, 0, len(list))
	for _, v := range list {
		s, ok := v.(string)
		if !ok || s == "" {
			return nil, fmt.Errorf("%s lists %v, not an event type", EventsExtension, v)
		}
		out = append(out, s)
	}
	return out, nil
}

// eventsVerdict judges the events recorded while o served res; ok is
// false when the run does not read events.
func (o *operation) eventsVerdict(res *response) (verdict, bool) {
	if res.eventSource == nil {
		return verdict{}, false
	}
	validate := res.eventSource.validate
	declared, err := declaredEvents(o.op)
	if err != nil {
		return fail(EventsRecorded, "%s: %v", o.id, err), true
	}
	var got []string
	for _, e := range res.events {
		got = append(got, e.Type)
	}
	success := res.status >= 200 && res.status < 300
	switch {
	case success && !slices.Equal(got, declared):
		return fail(EventsRecorded, "%s answered %d and recorded %s; its %s declares %s",
			o.id, res.status, typeList(got), EventsExtension, typeList(declared)), true
	case !success && len(got) > 0:
		return fail(EventsRecorded, "%s answered %d, refusing the request, and still recorded %s", o.id, res.status, typeList(got)), true
	}
	for _, e := range res.events {
		if e.Subject == "" {
			return fail(EventsRecorded, "%s recorded %s without a subject (the aggregate's id)", o.id, e.Type), true
		}
		if validate == nil {
			continue
		}
		if err := validate(e.Type, e.Data); err != nil {
			return fail(EventsRecorded, "%s recorded %s with a payload its contract refuses: %v\npayload: %s", o.id, e.Type, err, snippet(e.Data)), true
		}
	}
	return pass(EventsRecorded), true
}

func typeList(types []string) string {
	if len(types) == 0 {
		return "no event"
	}
	return strings.Join(types, ", ")
}
