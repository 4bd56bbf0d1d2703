package quotes

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/services/platform/host"
	domain "github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
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

// RebuildCopies builds quotes' copies of materials again from the events,
// in one transaction of copies' database (tx; nil for a store that needs
// none): it clears copies and replays every event of the types quotes
// consumes that the materials stream holds, from the first, in order,
// through the handlers the service runs (Handlers), and returns how many
// it replayed. Readers see the old copies until it commits and the
// rebuilt ones after, never an empty table. An event the handlers refuse
// for good (one that does not decode, or that no material can have
// made), which the running consumer sets aside as a dead letter, is
// logged and skipped; any other failure rolls everything back.
//
// Quotes may go on serving meanwhile: its consumer goes on applying new
// events, which KeepMaterialCopy makes harmless in either order (a change
// older than the copy changes nothing). The replay's end is taken after
// the copies are cleared, so that every event the consumer applied
// before is replayed, and those it applies after are kept over the
// replay's. The replay reads the stream with an ephemeral consumer of its
// own: the service's durable consumer and its inbox are left as they are.
func RebuildCopies(ctx context.Context, js jetstream.JetStream, copies domain.MaterialCopies, tx story.Middleware, logger *slog.Logger) (int, error) {
	if logger == nil {
		logger = slog.Default()
	}
	keep, err := domain.NewKeepMaterialCopy(domain.KeepMaterialCopyDeps{Keep: copies.Keep})
	if err != nil {
		return 0, err
	}
	handlers := Handlers(keep)
	name := events.StreamName("materials")
	stream, err := js.Stream(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("the %s stream: %w", name, err)
	}
	if tx == nil {
		tx = func(ctx context.Context, _ string, next func(context.Context) error) error { return next(ctx) }
	}
	replayed := 0
	err = tx(ctx, "RebuildCopies", func(ctx context.Context) error {
		replayed = 0
		if err := copies.Clear(ctx); err != nil {
			return fmt.Errorf("clear the copies: %w", err)
		}
		cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
			FilterSubjects: quotesevents.Received, DeliverPolicy: jetstream.DeliverAllPolicy,
		})
		if err != nil {
			return fmt.Errorf("replay the %s stream: %w", name, err)
		}
		info, err := cons.Info(ctx)
		if err != nil {
			return fmt.Errorf("replay the %s stream: %w", name, err)
		}
		for pending := info.NumPending; pending > 0; {
			// A generous wait: the messages are there, and a stall is
			// an error rather than the end of the replay.
			msg, err := cons.Next(jetstream.FetchMaxWait(time.Minute))
			if err != nil {
				return fmt.Errorf("replay the %s stream after %d events: %w", name, replayed, err)
			}
			md, err := msg.Metadata()
			if err != nil {
				return err
			}
			pending = md.NumPending
			env, err := events.Decode(msg.Data())
			if err == nil {
				err = handlers.Run(ctx, env)
			} else {
				err = events.Permanent(err)
			}
			switch {
			case err == nil:
				replayed++
			case events.IsPermanent(err):
				logger.Warn("a material event is skipped: it cannot change a copy", "stream_sequence", md.Sequence.Stream, "error", err)
			default:
				return fmt.Errorf("replay event %d of %s: %w", md.Sequence.Stream, name, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return replayed, nil
}

// rebuildCopies is the read model of the copies, rebuilt from materials'
// events in the database the host opened.
func rebuildCopies(ctx context.Context, env host.Env, js jetstream.JetStream) (int, error) {
	if env.DB == nil {
		return 0, errors.New("the copies live in the memory of the process that serves quotes: there is nothing to rebuild")
	}
	return RebuildCopies(ctx, js, sqldb.NewMaterialCopies(env.DB), sqldb.Transaction(env.DB), env.Logger)
}
