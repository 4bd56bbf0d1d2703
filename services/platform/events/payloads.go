package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/services/platform/checks"
	"github.com/charterhq/charter/services/platform/contract"
	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/stories/story"
)

// PayloadCheck says which payloads Payloads checks against the event
// contract and where it reports a violation it lets through.
type PayloadCheck struct {
	// Policy decides which payloads are checked: the one that decides
	// for the service's responses (CHARTER_RESPONSE_CHECK), strict in
	// development and tests, sampled in production. The zero value
	// checks nothing.
	Policy checks.Policy
	// Logger receives the violations a Sampled policy finds; slog.Default
	// when nil.
	Logger *slog.Logger
}

// Payloads returns the story.Events a service's stories record through:
// stories record their events with domain values as data, since they
// never import gen/, and Payloads gives each event its payload as the
// service's event contract has it (payload, from the generated types of
// gen/events/<service>), encodes it as JSON once, checks those bytes
// against the contract's schema when check.Policy takes it (validate, the
// generated Validate) and records them through next, whose outbox keeps
// them as they are. An event whose payload cannot be made or encoded is an
// error that fails the story recording it, and so, under a Strict policy,
// is a payload that breaks the contract: nothing the contract does not
// describe is published from development or tests. Under a Sampled policy
// a violation is logged and the event recorded as it was made, as a
// sampled response goes out as it was written.
func Payloads(next story.Events, payload func(story.Event) (any, error), validate func(eventType string, data []byte) error, check PayloadCheck) story.Events {
	if next == nil || payload == nil || validate == nil {
		panic("events: Payloads needs the events to record through, a payload and a validation")
	}
	if err := check.Policy.Validate(); err != nil {
		panic(err.Error())
	}
	if check.Logger == nil {
		check.Logger = slog.Default()
	}
	return payloads{next: next, payload: payload, validate: validate, check: check}
}

type payloads struct {
	next     story.Events
	payload  func(story.Event) (any, error)
	validate func(string, []byte) error
	check    PayloadCheck
}

func (p payloads) Record(ctx context.Context, events ...story.Event) error {
	out := make([]story.Event, len(events))
	for i, e := range events {
		data, err := p.payload(e)
		if err != nil {
			return fmt.Errorf("events: the payload of %s: %w", e.Type, err)
		}
		raw, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("events: the payload of %s does not encode: %w", e.Type, err)
		}
		if p.check.Policy.Take() {
			if err := p.validate(e.Type, raw); err != nil {
				if p.check.Policy.Fails() {
					return fmt.Errorf("events: %w", err)
				}
				p.report(ctx, e, err)
			}
		}
		e.Data = json.RawMessage(raw)
		out[i] = e
	}
	return p.next.Record(ctx, out...)
}

// report logs a violation let through. Only where the payload breaks its
// schema and why are logged, never a value of it: it may be personal
// data.
func (p payloads) report(ctx context.Context, e story.Event, err error) {
	p.check.Logger.LogAttrs(ctx, slog.LevelError, "event payload breaks the contract",
		slog.String("type", e.Type), slog.String("subject", e.Subject),
		slog.String("violation", describe(err)))
}

// describe is each schema error of err as "pointer: reason", worded as
// a request's problem words them, without the value or the schema that
// kin-openapi's text carries. An error that is not about the payload's
// values (an unknown type, bytes that are not JSON) is its own text.
func describe(err error) string {
	var multi openapi3.MultiError
	var se *openapi3.SchemaError
	var fields []problem.FieldError
	switch {
	case errors.As(err, &multi):
		fields = contract.FieldErrors(multi)
	case errors.As(err, &se):
		fields = contract.FieldErrors(se)
	default:
		return err.Error()
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Pointer + ": " + f.Detail
	}
	return strings.Join(parts, "; ")
}
