package quotes

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	"github.com/charterhq/charter/services/platform/events"
	domain "github.com/charterhq/charter/stories/quotes"
)

// Handlers are quotes' handlers of the materials' events it consumes
// (quotesevents.Received): each turns the event into the change of a
// material and keeps it in quotes' copies through the KeepMaterialCopy
// story. A change the story refuses as invalid goes to the dead letters
// at once: delivering it again cannot mend it.
func Handlers(keep *domain.KeepMaterialCopy) *events.Handlers {
	h := events.NewHandlers()
	run := func(ctx context.Context, c domain.MaterialCopy) error {
		_, err := keep.Run(ctx, c)
		if errors.Is(err, domain.ErrInvalidMaterialChange) {
			return events.Permanent(err)
		}
		return err
	}
	events.Handle(h, materialsevents.MaterialCreated, func(ctx context.Context, env events.Envelope, m materialsevents.MaterialCreatedData) error {
		return run(ctx, copyOf(env, m))
	})
	events.Handle(h, materialsevents.MaterialUpdated, func(ctx context.Context, env events.Envelope, m materialsevents.MaterialUpdatedData) error {
		return run(ctx, copyOf(env, m))
	})
	events.Handle(h, materialsevents.MaterialDeleted, func(ctx context.Context, env events.Envelope, d materialsevents.MaterialDeletedData) error {
		// A deletion carries no time of its own: the event's is when it
		// was recorded, in the deleting story.
		return run(ctx, domain.MaterialCopy{ID: d.Id, CompanyID: d.CompanyId, Deleted: true,
			Sequence: env.SequenceNumber(), ChangedAt: env.Time})
	})
	return h
}

// copyOf is the change a created or updated event carries: the material
// as materials answers it, at the place of its event in the order
// materials committed its changes (the envelope's sequence), by which its
// copies are ordered; by the material's updated_at only for an event
// without one.
func copyOf(env events.Envelope, m materialsevents.MaterialCreatedData) domain.MaterialCopy {
	c := domain.MaterialCopy{ID: m.Id, CompanyID: m.CompanyId, Name: m.Name, Thickness: float64(m.Thickness),
		Active: m.IsActive, Sequence: env.SequenceNumber(), ChangedAt: m.UpdatedAt}
	if p := m.PricePerSquareMetre; p != nil {
		c.Price = &domain.Money{Amount: p.Amount, Currency: p.Currency}
	}
	return c
}

// RebuildCopies builds quotes' copies of materials again from the events:
// it clears copies and replays every event of the types quotes consumes
// that the materials stream still holds, in order, through the handlers
// the service runs (Handlers), and returns how many it replayed. Quotes may go
// on serving meanwhile: its consumer keeps applying new events beside the
// replay, which KeepMaterialCopy makes harmless (a change older than the
// copy changes nothing), and a submission that finds no copy asks the
// materials service. The replay reads the stream with an ephemeral
// consumer of its own: the service's durable consumer and its inbox are
// left as they are.
func RebuildCopies(ctx context.Context, js jetstream.JetStream, copies domain.MaterialCopies) (int, error) {
	keep, err := domain.NewKeepMaterialCopy(domain.KeepMaterialCopyDeps{Keep: copies.Keep})
	if err != nil {
		return 0, err
	}
	handlers := Handlers(keep)
	stream, err := js.Stream(ctx, events.StreamName("materials"))
	if err != nil {
		return 0, fmt.Errorf("the materials stream: %w", err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("the materials stream: %w", err)
	}
	if err := copies.Clear(ctx); err != nil {
		return 0, fmt.Errorf("clear the copies: %w", err)
	}
	last := info.State.LastSeq
	if info.State.Msgs == 0 {
		return 0, nil
	}
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: quotesevents.Received, DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return 0, fmt.Errorf("replay the materials stream: %w", err)
	}
	replayed := 0
	for {
		msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if errors.Is(err, jetstream.ErrNoMessages) || errors.Is(err, nats.ErrTimeout) {
			return replayed, nil // caught up: nothing more of ours up to last
		}
		if err != nil {
			return replayed, fmt.Errorf("replay the materials stream: %w", err)
		}
		md, err := msg.Metadata()
		if err != nil {
			return replayed, err
		}
		env, err := events.Decode(msg.Data())
		if err == nil {
			err = handlers.Run(ctx, env)
		}
		if err != nil && !events.IsPermanent(err) {
			return replayed, fmt.Errorf("replay event %d: %w", md.Sequence.Stream, err)
		}
		replayed++
		if md.Sequence.Stream >= last || md.NumPending == 0 {
			return replayed, nil
		}
	}
}
