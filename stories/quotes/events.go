package quotes

import (
	"context"
	"strconv"

	"github.com/charterhq/charter/stories/story"
)

// The events the quote stories record, named as the quotes event contract
// (api/events/quotes.yaml) names them: the service's wiring checks that
// they are the contract's, and gives each its payload as the contract has
// it. The data of each is the Quote as the change left it.
const (
	// EventSubmitted: a draft was submitted, its lines priced.
	EventSubmitted = "charter.quotes.quote.submitted"
	// EventAccepted: staff accepted a submitted quote.
	EventAccepted = "charter.quotes.quote.accepted"
	// EventRejected: staff rejected a submitted quote.
	EventRejected = "charter.quotes.quote.rejected"
	// EventExpired: a submitted quote reached its ValidUntil undecided.
	EventExpired = "charter.quotes.quote.expired"
)

// recordQuote records one event of eventType about q through events, in
// the running story's transaction.
func recordQuote(ctx context.Context, events story.Events, eventType string, qs ...Quote) error {
	if len(qs) == 0 {
		return nil
	}
	out := make([]story.Event, len(qs))
	for i, q := range qs {
		out[i] = story.Event{Type: eventType, Subject: strconv.FormatInt(q.ID, 10), Data: q}
	}
	return events.Record(ctx, out...)
}
