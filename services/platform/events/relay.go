package events

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/stories/story"
)

// RelayOptions configure a Relay.
type RelayOptions struct {
	// Service is the service whose outbox is relayed, which names the
	// stream and the events' source.
	Service string
	// Outbox is the service's outbox.
	Outbox outbox.Store
	// Conn is the broker's connection.
	Conn *nats.Conn
	// Streams configure the service's stream, which the relay creates.
	Streams StreamOptions
	// Batch is the most events published before their acknowledgements
	// are awaited and their rows marked (1000 when 0).
	Batch int
	// Poll is how often the relay looks at the outbox when no commit
	// woke it (1s when 0): a story whose commit did not wake it, or one
	// of another process on the same database, waits at most that long.
	Poll time.Duration
	// AckTimeout bounds the wait for the broker's acknowledgement of a
	// message (10s when 0).
	AckTimeout time.Duration
	// Retention is how long published rows stay in the outbox (24h when
	// 0), for the operators who look at it; the stream keeps the events.
	Retention time.Duration
	// Lease is how long a relay keeps the outbox's lease (see Run)
	// without renewing it (15s when 0): how long the relays of the other
	// replicas wait to take over from one that died.
	Lease   time.Duration
	Metrics *Metrics
	Logger  *slog.Logger
}

// Relay publishes the events of a service's outbox in order, at least
// once: a batch of rows is published asynchronously on one connection,
// which keeps their order, and the rows are marked published once the
// broker acknowledged them. A crash between the two publishes them again,
// and the broker drops the copies by their Nats-Msg-Id (the event id)
// within its de-duplication window; past it, the consumers' inboxes do.
//
// Order: the outbox is read in seq order. On SQLite, whose writers take
// turns, that is commit order. On PostgreSQL a transaction can take a
// smaller seq and commit after a larger one was published; it is then
// published after it, which keeps the order of each subject as long as
// the stories of one aggregate take its row's lock before recording (an
// update or delete does), as the second one waits for the first to
// commit.
//
// Replicas: each replica of a service runs a relay over the service's
// one outbox, and the relay that holds the outbox's lease publishes
// while the others stand by, asking for it every Poll; a relay renews it
// while it runs and gives it up when it stops, and a relay that died
// loses it after Lease. Should two ever publish at once (one stalled
// past its lease, or a Publish of its own besides Run), order holds
// still: each publishes the rows it read in seq order on one connection,
// so a relay's copy of an event reaches the broker after its copies of
// every event before it, and the broker keeps the first copy of each
// event; the first copy of an event is thus preceded by a copy of every
// event before it that either relay read, and the later copies are
// dropped by the broker within its window and by the inboxes past it.
type Relay struct {
	o    RelayOptions
	js   jetstream.JetStream
	wake chan struct{}
	// holder names this relay in the outbox's lease; heldUntil is when
	// the lease it holds ends (zero when it holds none), and nextTry when
	// a relay that stands by asks for it again.
	holder             string
	heldUntil, nextTry time.Time
	// beforeMark, when set, runs after the broker acknowledged a batch and
	// before its rows are marked: the tests' crash point.
	beforeMark func(events []outbox.Event) error
}

// NewRelay returns the relay of o.Service; Run runs it.
func NewRelay(o RelayOptions) (*Relay, error) {
	if o.Service == "" || o.Outbox == nil || o.Conn == nil {
		return nil, errors.New("events: a relay needs a service, its outbox and a broker connection")
	}
	if o.Batch <= 0 {
		o.Batch = 1000
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = 10 * time.Second
	}
	if o.Retention <= 0 {
		o.Retention = 24 * time.Hour
	}
	if o.Lease <= 0 {
		o.Lease = 15 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	js, err := newJetStream(o.Conn,
		jetstream.WithPublishAsyncMaxPending(2*o.Batch),
		jetstream.WithPublishAsyncTimeout(o.AckTimeout))
	if err != nil {
		return nil, err
	}
	if err := o.Metrics.backlog(o.Service, o.Outbox.Backlog); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%s/%d/%s", host, os.Getpid(), uuid.NewString())
	return &Relay{o: o, js: js, wake: make(chan struct{}, 1), holder: holder}, nil
}

// Wake makes the relay look at the outbox now.
func (r *Relay) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run publishes until ctx ends, waking when a story that recorded events
// ends (see Events and Middleware) and every Poll otherwise, while it
// holds the outbox's lease. Failures, the broker's absence included, are
// logged and retried with backoff; Run returns only when ctx ends, and
// gives the lease up.
func (r *Relay) Run(ctx context.Context) error {
	defer r.release()
	var streamReady bool
	var failures int
	lastPurge := time.Time{}
	for ctx.Err() == nil {
		var n int
		err := func() error {
			if !streamReady {
				if err := EnsureStream(ctx, r.js, r.o.Service, r.o.Streams); err != nil {
					return err
				}
				streamReady = true
			}
			held, err := r.hold(ctx)
			if err != nil || !held {
				return err
			}
			n, err = r.Publish(ctx)
			return err
		}()
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			failures++
			r.o.Metrics.publishFailed(r.o.Service)
			if failures == 1 || failures%20 == 0 {
				r.o.Logger.Warn("the relay could not publish; retrying", "service", r.o.Service, "failures", failures, "error", err)
			}
			wait(ctx, backoff(failures, 50*time.Millisecond, 5*time.Second))
			continue
		}
		if failures > 0 {
			r.o.Logger.Info("the relay publishes again", "service", r.o.Service, "after_failures", failures)
			failures = 0
		}
		if n == r.o.Batch {
			continue
		}
		if !r.heldUntil.IsZero() && time.Since(lastPurge) > time.Hour {
			lastPurge = time.Now()
			if _, err := r.o.Outbox.Purge(ctx, time.Now().Add(-r.o.Retention)); err != nil && ctx.Err() == nil {
				r.o.Logger.Warn("the relay could not purge the outbox", "service", r.o.Service, "error", err)
			}
		}
		select {
		case <-ctx.Done():
		case <-r.wake:
		case <-time.After(r.o.Poll):
		}
	}
	return nil
}

// hold reports whether the relay holds the outbox's lease, asking for it
// or renewing it when due: a third of the way through the lease, so that
// a renewal that fails once leaves time for another; and for a relay
// that stands by, every Poll, however often commits wake it.
func (r *Relay) hold(ctx context.Context) (bool, error) {
	now := time.Now()
	if r.heldUntil.Sub(now) > 2*r.o.Lease/3 {
		return true, nil
	}
	if r.heldUntil.IsZero() && now.Before(r.nextTry) {
		return false, nil
	}
	held, err := r.o.Outbox.Lease(ctx, r.holder, now, now.Add(r.o.Lease))
	switch {
	case err != nil:
		// Unknown: publishing stops until the lease is known to be ours.
		r.heldUntil = time.Time{}
		return false, err
	case !held:
		if !r.heldUntil.IsZero() {
			r.o.Logger.Warn("another relay took the outbox's lease over", "service", r.o.Service)
		}
		r.heldUntil, r.nextTry = time.Time{}, now.Add(r.o.Poll)
		return false, nil
	}
	if r.heldUntil.IsZero() {
		r.o.Logger.Info("the relay holds the outbox's lease and publishes", "service", r.o.Service, "holder", r.holder)
	}
	r.heldUntil = now.Add(r.o.Lease)
	return true, nil
}

// release gives the lease up, if the relay holds it, so that another
// replica's relay takes over at once.
func (r *Relay) release() {
	if r.heldUntil.IsZero() {
		return
	}
	r.heldUntil = time.Time{}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.o.Outbox.Release(ctx, r.holder); err != nil {
		r.o.Logger.Warn("the relay could not give the outbox's lease up; it expires", "service", r.o.Service, "error", err)
	}
}

// Publish publishes one batch of unpublished events and marks those the
// broker acknowledged, the longest acknowledged prefix of the batch, so
// that a failure never marks an event after one that is not. It returns
// how many it marked.
func (r *Relay) Publish(ctx context.Context) (int, error) {
	batch, err := r.o.Outbox.Unpublished(ctx, r.o.Batch)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	futures := make([]jetstream.PubAckFuture, 0, len(batch))
	acked := 0
	var failed error
	for i, e := range batch {
		msg, err := Message(r.o.Service, e)
		if err != nil {
			// A row that cannot be an envelope never will: publishing
			// stops there, loudly, rather than skipping an event.
			failed = fmt.Errorf("event %s (seq %d): %w", e.ID, e.Seq, err)
			break
		}
		f, err := r.js.PublishMsgAsync(msg, jetstream.WithMsgID(e.ID), jetstream.WithExpectStream(StreamName(r.o.Service)))
		if err != nil {
			failed = err
			break
		}
		futures = append(futures, f)
		if i == 0 {
			// The first goes alone: a stream that cannot take messages
			// yet (one the server this connection reaches knows of no
			// leader or subjects of, a moment after its creation or a
			// failover) refuses it, and the batch stops there, rather
			// than refusing it and storing messages sent after it, which
			// would then come before it in the stream.
			if failed = await(ctx, f); failed != nil {
				break
			}
			acked = 1
		}
	}
	if failed == nil {
		for _, f := range futures[acked:] {
			if failed = await(ctx, f); failed != nil {
				break
			}
			acked++
		}
	}
	if acked > 0 {
		if r.beforeMark != nil {
			if err := r.beforeMark(batch[:acked]); err != nil {
				return 0, err
			}
		}
		seqs := make([]int64, acked)
		for i, e := range batch[:acked] {
			seqs[i] = e.Seq
		}
		if err := r.o.Outbox.MarkPublished(ctx, seqs, time.Now()); err != nil {
			return 0, err
		}
		r.o.Metrics.publishedEvents(r.o.Service, acked)
	}
	if failed != nil {
		return acked, fmt.Errorf("events: publish: %w", failed)
	}
	return acked, nil
}

// await waits for the broker's acknowledgement of a message.
func await(ctx context.Context, f jetstream.PubAckFuture) error {
	select {
	case <-f.Ok():
		return nil
	case err := <-f.Err():
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Message is the broker message of an outbox row of service: its envelope, in
// structured mode, on the subject of its type.
func Message(service string, e outbox.Event) (*nats.Msg, error) {
	body, err := FromOutbox(service, e).Encode()
	if err != nil {
		return nil, err
	}
	msg := nats.NewMsg(e.Type)
	msg.Header.Set("Content-Type", ContentType)
	if e.Subject != "" {
		msg.Header.Set(subjectHeader, e.Subject)
	}
	msg.Data = body
	return msg, nil
}

// recordedKey keys, in the context of a story run, whether the story
// recorded events.
type recordedKey struct{}

// Events is the outbox as stories record into it: after the story that
// recorded commits, Middleware wakes the relay, so that its events are
// published at once rather than at the next poll.
func (r *Relay) Events() story.Events { return relayEvents{r} }

type relayEvents struct{ r *Relay }

func (e relayEvents) Record(ctx context.Context, events ...story.Event) error {
	if err := e.r.o.Outbox.Record(ctx, events...); err != nil {
		return err
	}
	if mark, ok := ctx.Value(recordedKey{}).(*atomic.Bool); ok {
		mark.Store(true)
	} else {
		// No story around it to wait for: the poll catches a commit
		// that comes after this wake.
		e.r.Wake()
	}
	return nil
}

// Middleware wakes the relay when a story that recorded events ends. It
// goes outside the story's transaction, so that the relay wakes after the
// commit.
func (r *Relay) Middleware() story.Middleware {
	return func(ctx context.Context, _ string, next func(context.Context) error) error {
		if _, ok := ctx.Value(recordedKey{}).(*atomic.Bool); ok {
			return next(ctx)
		}
		mark := new(atomic.Bool)
		err := next(context.WithValue(ctx, recordedKey{}, mark))
		if mark.Load() {
			r.Wake()
		}
		return err
	}
}

// backoff is the wait before attempt n+1 after n failures: doubling from
// base up to most.
func backoff(n int, base, most time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}

// wait sleeps for d or until ctx ends.
func wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
