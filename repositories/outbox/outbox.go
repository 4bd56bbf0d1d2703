// Package outbox declares how a service keeps the events its stories
// record until they are published (the transactional outbox), and which
// events its consumers have handled (the inbox): the rows and the stores
// that repositories/sqldb and repositories/memory implement, and that the
// relay and the consumers of services/platform/events use. It sits at the
// storage layer so that repositories never import the platform.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/charterhq/charter/stories/story"
)

// Event is one row of the outbox: an event a story recorded.
type Event struct {
	// Seq orders the outbox: a later commit has a greater Seq for every
	// subject.
	Seq int64
	// ID is the event's unique id, its CloudEvents id and the broker's
	// de-duplication id.
	ID string
	// Type is the event type, also its subject on the broker.
	Type string
	// Subject is the aggregate's id.
	Subject string
	// Time is when the story recorded the event.
	Time time.Time
	// Data is the payload as JSON.
	Data json.RawMessage
}

// Store is a service's outbox. Record writes in the story's transaction;
// the rest is for the relay and the tools that watch it.
type Store interface {
	story.Events
	// Unpublished returns at most limit events not marked published, in
	// Seq order.
	Unpublished(ctx context.Context, limit int) ([]Event, error)
	// MarkPublished marks the events of seqs published at.
	MarkPublished(ctx context.Context, seqs []int64, at time.Time) error
	// Backlog counts the events not marked published.
	Backlog(ctx context.Context) (int64, error)
	// Purge deletes the events marked published before, and returns how
	// many it deleted.
	Purge(ctx context.Context, before time.Time) (int64, error)
	// Lease gives holder the outbox's relay lease until until, and
	// reports whether it did: when nobody holds it, the holder's lease
	// expired by now, or holder holds it already (which renews it).
	Lease(ctx context.Context, holder string, now, until time.Time) (bool, error)
	// Release ends holder's lease, if it holds it, so that another relay
	// takes over without waiting for it to expire.
	Release(ctx context.Context, holder string) error
}

// Inbox records which events each consumer has handled.
type Inbox interface {
	// Begin starts a batch of deliveries to consumer: one transaction of
	// the consuming service's database, in which each event runs in a
	// savepoint of its own (Batch.Once), so that the batch costs one
	// commit however many events it holds, and an event that fails costs
	// the others nothing. ids are the events the batch is for: their
	// inbox rows may be written at once, in one statement, rather than
	// one by one. The transaction lasts as long as ctx.
	Begin(ctx context.Context, consumer string, ids []string) (Batch, error)
}

// Batch is one transaction of deliveries to a consumer, begun by
// Inbox.Begin and ended by Commit or Rollback. It is used by one
// goroutine at a time.
type Batch interface {
	// Once runs fn once per consumer and event id: with the inbox row
	// (consumer, id) in a savepoint of the batch's transaction, so that
	// fn's writes on the same database, which it makes with the ctx it is
	// given, are kept with the row or not at all. When the row exists
	// already, committed or written earlier in the batch, fn does not run
	// and Once returns false. An error of fn rolls back the row and fn's
	// writes, and nothing else, and is returned. An error that wraps
	// ErrBatchFailed says the transaction itself failed: the batch then
	// commits nothing, and its events must be handled again.
	Once(ctx context.Context, id string, fn func(ctx context.Context) error) (ran bool, err error)
	// Commit commits the events whose fn succeeded; an event of ids that
	// never came to Once is not handled.
	Commit() error
	// Rollback discards the whole batch; after Commit it does nothing.
	Rollback() error
}

// ErrBatchFailed is wrapped by Batch.Once when the batch's transaction
// failed, rather than the event's handler.
var ErrBatchFailed = errors.New("outbox: the inbox batch's transaction failed")

// Once runs fn once per consumer and event id, as Batch.Once does, in a
// batch of its own that it commits: false when the event was handled
// before, and fn's error, or the commit's, rolls everything back.
func Once(ctx context.Context, in Inbox, consumer, id string, fn func(ctx context.Context) error) (ran bool, err error) {
	b, err := in.Begin(ctx, consumer, []string{id})
	if err != nil {
		return false, err
	}
	defer b.Rollback()
	ran, err = b.Once(ctx, id, fn)
	if err != nil {
		return false, err
	}
	if err := b.Commit(); err != nil {
		return false, err
	}
	return ran, nil
}

// New makes the outbox rows of events recorded at now: each gets a new id
// and its data marshalled (see encode). It refuses an event without a valid type, or
// whose data does not marshal.
func New(now time.Time, events ...story.Event) ([]Event, error) {
	out := make([]Event, 0, len(events))
	for _, e := range events {
		if err := ValidType(e.Type); err != nil {
			return nil, err
		}
		data, err := encode(e.Data)
		if err != nil {
			return nil, fmt.Errorf("outbox: event %s: the data does not marshal: %w", e.Type, err)
		}
		id, err := uuid.NewV7()
		if err != nil {
			return nil, fmt.Errorf("outbox: event id: %w", err)
		}
		out = append(out, Event{ID: id.String(), Type: e.Type, Subject: e.Subject, Time: now.UTC(), Data: data})
	}
	return out, nil
}

// encode is data as JSON. Data already encoded (a json.RawMessage, as
// events.Payloads records) is kept as it is once it is known to be JSON,
// rather than encoded again.
func encode(data any) (json.RawMessage, error) {
	if raw, ok := data.(json.RawMessage); ok && raw != nil {
		if !json.Valid(raw) {
			return nil, errors.New("the data is not JSON")
		}
		return raw, nil
	}
	return json.Marshal(data)
}

// ValidType reports why t cannot be an event type, which is also a
// subject on the broker: dot-separated tokens without wildcards or
// white space.
func ValidType(t string) error {
	if t == "" {
		return errors.New("outbox: an event needs a type")
	}
	for _, token := range strings.Split(t, ".") {
		if token == "" || token == "*" || token == ">" || strings.ContainsAny(token, " \t\r\n*>") {
			return fmt.Errorf("outbox: %q is not an event type (dot-separated tokens, no wildcards or spaces)", t)
		}
	}
	return nil
}
