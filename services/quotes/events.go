package quotes

import (
	"fmt"

	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	"github.com/charterhq/charter/services/platform/events"
	domain "github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// Events returns what the quote stories record their events through:
// next (the service's outbox), each event's payload made from the story's
// data as api/events/quotes.yaml has it, the quote as getQuote answers
// it, and checked against the contract as check says (every one in
// development and tests).
func Events(next story.Events, check events.PayloadCheck) story.Events {
	return events.Payloads(next, payload, validate, check)
}

// validate checks a payload against the contract, the fast way where it
// can (events.FastValidate).
var validate = events.FastValidate(quotesevents.Schema, quotesevents.Validate)

// payload is the contract's payload of e.
func payload(e story.Event) (any, error) {
	q, ok := e.Data.(domain.Quote)
	if !ok {
		return nil, fmt.Errorf("no payload for %T", e.Data)
	}
	return toAPI(q), nil
}
