package events

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/charterhq/charter/repositories/outbox"
)

// ConsumerOptions configure a Consumer.
type ConsumerOptions struct {
	// Name is the consuming service: the durable consumer's name on every
	// stream it reads, shared by the service's replicas, and its inbox's.
	Name string
	// Conn is the broker's connection.
	Conn *nats.Conn
	// Inbox is the consuming service's inbox.
	Inbox outbox.Inbox
	// Handlers are what it consumes.
	Handlers *Handlers
	// MaxAttempts is how many deliveries of an event a handler gets
	// before it goes to the dead letters (5 when 0).
	MaxAttempts int
	// RetryBase and RetryMax bound the wait before a failed event is
	// delivered again: RetryBase after the first failure, doubling up to
	// RetryMax (1s and 1m when 0).
	RetryBase, RetryMax time.Duration
	// AckWait is how long the broker waits for a delivery's outcome
	// before it delivers the event again, to this replica or another (30s
	// when 0): a replica that crashed mid-handler is noticed then.
	AckWait time.Duration
	// HandlerTimeout bounds one run of a handler (1m when 0). While a
	// handler runs, the consumer tells the broker every AckWait/2 that
	// the delivery is in progress, so a handler slowed down by a busy
	// machine is neither cut off nor delivered a second time, while the
	// delivery of a replica that crashed still comes again after AckWait.
	HandlerTimeout time.Duration
	// Workers handle events side by side (4 when 0). Events of one
	// subject go to one worker, in the order delivered.
	Workers int
	// Batch is the most events a worker handles in one transaction (100
	// when 0). A worker takes what waits for it when it is free, and
	// never waits for more: a batch costs no latency, and grows only
	// when events come faster than one transaction each could handle.
	Batch int
	// Streams configure the DLQ stream, which the consumer creates.
	Streams StreamOptions
	Metrics *Metrics
	Logger  *slog.Logger
}

// Consumer consumes the events of a service's Handlers. Events of one
// subject reach one worker of a replica in stream order; a retry, or
// replicas sharing the durable, can still hand a later event over before
// an earlier one, so handlers that keep state compare what they get with
// what they have (a version, the event's time) instead of trusting the
// order.
type Consumer struct {
	o  ConsumerOptions
	js jetstream.JetStream
	// crashed, when set, reports whether an error a handler returned
	// stands for the process dying before the transaction of the
	// handler's batch commits: the batch's handlers run to its end, its
	// transaction is then rolled back instead of committed, and none of
	// its deliveries is acknowledged or refused, as a crash would leave
	// them.
	crashed func(error) bool
	// afterCommit, when set, runs for each event of a batch after its
	// transaction committed and before the event's acknowledgement; an
	// error skips that acknowledgement, as a crash there would.
	afterCommit func(env Envelope) error
}

// NewConsumer returns the consumer of o.Handlers; Run runs it.
func NewConsumer(o ConsumerOptions) (*Consumer, error) {
	if o.Name == "" || o.Conn == nil || o.Inbox == nil || o.Handlers == nil {
		return nil, errors.New("events: a consumer needs a name, a broker connection, an inbox and handlers")
	}
	if err := jetstreamName(o.Name); err != nil {
		return nil, err
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 5
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = time.Minute
	}
	if o.AckWait <= 0 {
		o.AckWait = 30 * time.Second
	}
	if o.HandlerTimeout <= 0 {
		o.HandlerTimeout = time.Minute
	}
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	js, err := newJetStream(o.Conn)
	if err != nil {
		return nil, err
	}
	return &Consumer{o: o, js: js}, nil
}

// jetstreamName refuses a name JetStream refuses for a durable.
func jetstreamName(name string) error {
	for _, r := range name {
		if r == '.' || r == '*' || r == '>' || r == ' ' || r == '\t' || r == '/' || r == '\\' {
			return fmt.Errorf("events: %q cannot name a consumer", name)
		}
	}
	return nil
}

// Run consumes until ctx ends, then lets the handlers that run finish.
// A broker that is away is waited for; Run returns only when ctx ends.
func (c *Consumer) Run(ctx context.Context) error {
	streams := c.o.Handlers.byStream()
	if len(streams) == 0 {
		<-ctx.Done()
		return nil
	}
	work := make([]chan jetstream.Msg, c.o.Workers)
	var workers sync.WaitGroup
	for i := range work {
		work[i] = make(chan jetstream.Msg, max(64, c.o.Batch))
		workers.Go(func() {
			for msg := range work[i] {
				batch := c.take(msg, work[i])
				if ctx.Err() != nil {
					// Stopping: another replica, or this one's next
					// start, gets them at once.
					for _, m := range batch {
						_ = m.Nak()
					}
					continue
				}
				c.handle(ctx, batch)
			}
		})
	}
	var consuming []jetstream.ConsumeContext
	var failures int
	for stream, types := range streams {
		for ctx.Err() == nil {
			cc, err := c.consume(ctx, stream, types, work)
			if err == nil {
				consuming = append(consuming, cc)
				break
			}
			failures++
			// The publisher may simply not have started yet: say so only
			// when it takes long.
			if failures%20 == 0 {
				c.o.Logger.Warn("the consumer cannot start yet; retrying", "consumer", c.o.Name, "stream", stream, "error", err)
			}
			wait(ctx, backoff(failures, 50*time.Millisecond, 5*time.Second))
		}
	}
	<-ctx.Done()
	for _, cc := range consuming {
		cc.Stop()
		<-cc.Closed()
	}
	for _, w := range work {
		close(w)
	}
	workers.Wait()
	return nil
}

// consume creates or updates the durable consumer of stream and starts
// feeding its messages to the workers.
func (c *Consumer) consume(ctx context.Context, stream string, types []string, work []chan jetstream.Msg) (jetstream.ConsumeContext, error) {
	if err := EnsureDeadLetterStream(ctx, c.js, c.o.Streams); err != nil {
		return nil, err
	}
	// The publisher's relay makes its stream: until then there is
	// nothing to consume, and Run tries again.
	if _, err := c.js.Stream(ctx, stream); err != nil {
		return nil, fmt.Errorf("events: stream %s: %w", stream, err)
	}
	cons, err := c.js.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{
		Durable:        c.o.Name,
		Description:    "The " + c.o.Name + " service's handlers.",
		FilterSubjects: types,
		DeliverPolicy:  jetstream.DeliverAllPolicy,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        c.o.AckWait,
		// The consumer counts attempts and dead-letters; the broker's own
		// limit is a backstop should that fail.
		MaxDeliver:    c.o.MaxAttempts + 5,
		MaxAckPending: 1000,
	})
	if err != nil {
		return nil, fmt.Errorf("events: consumer %s on %s: %w", c.o.Name, stream, err)
	}
	return cons.Consume(func(msg jetstream.Msg) {
		work[c.worker(msg, len(work))] <- msg
	}, jetstream.PullMaxMessages(500), jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		if ctx.Err() == nil && !errors.Is(err, nats.ErrConnectionClosed) {
			c.o.Logger.Debug("consumer", "consumer", c.o.Name, "stream", stream, "error", err)
		}
	}))
}

// worker picks the worker of a message: one per subject header, so that
// the events of one aggregate are handled in the order delivered.
func (c *Consumer) worker(msg jetstream.Msg, n int) int {
	if n == 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(msg.Headers().Get(subjectHeader)))
	return int(h.Sum32() % uint32(n))
}

// subjectHeader carries the envelope's subject, so that a consumer can
// route a message without decoding it.
const subjectHeader = "Charter-Subject"

// take returns first and the messages that wait behind it in work, up
// to a batch, without waiting for more.
func (c *Consumer) take(first jetstream.Msg, work <-chan jetstream.Msg) []jetstream.Msg {
	batch := []jetstream.Msg{first}
	for len(batch) < c.o.Batch {
		select {
		case msg, ok := <-work:
			if !ok {
				return batch
			}
			batch = append(batch, msg)
		default:
			return batch
		}
	}
	return batch
}

// delivery is a message of a batch and what became of it.
type delivery struct {
	msg     jetstream.Msg
	env     Envelope
	attempt int
	handler func(ctx context.Context, env Envelope) error
	// ran says the handler ran and succeeded (false with a nil err: a
	// duplicate); err is its failure.
	ran  bool
	err  error
	took time.Duration
	// stopped says the consumer stopped before the handler ran.
	stopped bool
}

// handle runs a batch of deliveries to their outcomes: each acknowledged
// once handled now or before, delivered again later, or dead-lettered.
func (c *Consumer) handle(ctx context.Context, msgs []jetstream.Msg) {
	ds := make([]*delivery, 0, len(msgs))
	for _, msg := range msgs {
		d := &delivery{msg: msg, attempt: 1}
		if md, err := msg.Metadata(); err == nil {
			d.attempt = int(md.NumDelivered)
		}
		env, err := Decode(msg.Data())
		if err != nil {
			c.deadLetter(ctx, msg, env, d.attempt, err)
			continue
		}
		h, ok := c.o.Handlers.byType[env.Type]
		if !ok {
			// A type the consumer's filter let through but no handler
			// takes: a message published by hand on another type's
			// subject.
			c.deadLetter(ctx, msg, env, d.attempt, Permanent(fmt.Errorf("no handler for %s", env.Type)))
			continue
		}
		d.env, d.handler = env, h
		ds = append(ds, d)
	}
	if len(ds) == 0 {
		return
	}
	stop := c.inProgress(ds)
	defer stop()
	for len(ds) > 0 {
		n, crashed := c.run(ctx, ds)
		if crashed {
			return
		}
		for _, d := range ds[:n] {
			c.settle(ctx, d)
		}
		ds = ds[n:]
	}
}

// batchTime is how long a transaction of a batch takes more events: past
// it, it commits, and the events after wait for the next one. On SQLite a
// transaction holds the database's one write lock, which the service's
// requests wait for; a batch of slow handlers must not hold it for all of
// them.
const batchTime = 50 * time.Millisecond

// run handles the first n of ds in one transaction of the inbox (all of
// them unless they take longer than batchTime), each event in a savepoint
// of its own, so that a handler that fails rolls back its own event
// alone. When the transaction itself fails (it cannot begin, a savepoint
// cannot be rolled back, or the commit fails, which no single handler can
// be told from), nothing of it committed: each of its events whose
// handler had not failed by itself runs again in a transaction of its
// own, so that an event that breaks a transaction never holds the others
// back. It reports whether a crash (see crashed) ended it.
func (c *Consumer) run(ctx context.Context, ds []*delivery) (n int, crashed bool) {
	n, crashed, err := c.runInOne(ctx, ds)
	if crashed || err == nil {
		return n, crashed
	}
	for _, d := range ds[:n] {
		if (d.err != nil && !errors.Is(d.err, outbox.ErrBatchFailed)) || d.stopped {
			continue // a failure of its own, or never run
		}
		d.ran, d.err = false, nil
		if n == 1 {
			d.err = err
			return n, false
		}
		if _, crashed := c.run(ctx, []*delivery{d}); crashed {
			return n, true
		}
	}
	return n, false
}

// runInOne runs the first n of ds in one transaction, and returns the
// transaction's failure, after which nothing of it committed.
func (c *Consumer) runInOne(ctx context.Context, ds []*delivery) (n int, crashed bool, err error) {
	// A stop lets the batch finish: its transaction commits or rolls
	// back as a whole, and the broker redelivers what was not acked.
	bctx := context.WithoutCancel(ctx)
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.env.ID
	}
	began := time.Now()
	batch, err := c.o.Inbox.Begin(bctx, c.o.Name, ids)
	if err != nil {
		return 1, false, err
	}
	defer batch.Rollback()
	for _, d := range ds {
		if n > 0 && time.Since(began) > batchTime && ctx.Err() == nil {
			break
		}
		n++
		if ctx.Err() != nil {
			d.stopped = true
			continue
		}
		start := time.Now()
		hctx, cancel := context.WithTimeout(bctx, c.o.HandlerTimeout)
		d.ran, d.err = batch.Once(hctx, d.env.ID, func(ctx context.Context) error {
			return safely(func() error { return d.handler(ctx, d.env) })
		})
		cancel()
		d.took = time.Since(start)
		if c.crashed != nil && c.crashed(d.err) {
			crashed = true
		}
	}
	if crashed {
		return n, true, nil
	}
	start := time.Now()
	if err := batch.Commit(); err != nil {
		return n, false, err
	}
	for _, d := range ds[:n] {
		d.took += time.Since(start)
	}
	return n, false, nil
}

// settle tells the broker what became of d once its batch ended.
func (c *Consumer) settle(ctx context.Context, d *delivery) {
	switch {
	case d.stopped:
		_ = d.msg.Nak()
	case d.err == nil:
		if c.afterCommit != nil && c.afterCommit(d.env) != nil {
			return
		}
		outcome := "ok"
		if !d.ran {
			outcome = "duplicate"
		}
		c.ack(d.msg)
		c.o.Metrics.handledEvent(c.o.Name, d.env.Type, outcome, d.took)
	case IsPermanent(d.err) || d.attempt >= c.o.MaxAttempts:
		c.deadLetter(ctx, d.msg, d.env, d.attempt, d.err)
	default:
		delay := backoff(d.attempt, c.o.RetryBase, c.o.RetryMax)
		c.o.Logger.Warn("an event handler failed; retrying", "consumer", c.o.Name, "type", d.env.Type, "id", d.env.ID,
			"attempt", d.attempt, "retry_in", delay, "error", d.err)
		if err := d.msg.NakWithDelay(delay); err != nil {
			c.o.Logger.Debug("nak", "error", err)
		}
		c.o.Metrics.handledEvent(c.o.Name, d.env.Type, "retry", d.took)
	}
}

// inProgress tells the broker every AckWait/2 that the deliveries of a
// batch are being handled, until the returned stop is called.
func (c *Consumer) inProgress(ds []*delivery) (stop func()) {
	done := make(chan struct{})
	var beats sync.WaitGroup
	beats.Go(func() {
		tick := time.NewTicker(c.o.AckWait / 2)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				for _, d := range ds {
					if err := d.msg.InProgress(); err != nil {
						c.o.Logger.Debug("in progress", "consumer", c.o.Name, "error", err)
					}
				}
			}
		}
	})
	return func() {
		close(done)
		beats.Wait()
	}
}

func (c *Consumer) ack(msg jetstream.Msg) {
	if err := msg.Ack(); err != nil {
		// The broker delivers it again after AckWait, and the inbox
		// makes that a duplicate.
		c.o.Logger.Debug("ack", "consumer", c.o.Name, "error", err)
	}
}

// Headers of a dead letter besides the original message's.
const (
	headerError       = "Charter-Error"
	headerAttempts    = "Charter-Attempts"
	headerConsumer    = "Charter-Consumer"
	headerOrigSubject = "Charter-Original-Subject"
	headerOrigStream  = "Charter-Original-Stream"
	headerOrigSeq     = "Charter-Original-Sequence"
)

// deadLetter publishes the delivery to DeadLetterPrefix + consumer + type
// and acknowledges it; when the dead letter cannot be published, the
// delivery is refused and comes again.
func (c *Consumer) deadLetter(ctx context.Context, msg jetstream.Msg, env Envelope, attempt int, cause error) {
	eventType := env.Type
	if eventType == "" {
		eventType = msg.Subject()
	}
	dl := nats.NewMsg(DeadLetterPrefix + c.o.Name + "." + eventType)
	dl.Data = msg.Data()
	dl.Header.Set("Content-Type", ContentType)
	dl.Header.Set(headerError, cause.Error())
	dl.Header.Set(headerAttempts, strconv.Itoa(attempt))
	dl.Header.Set(headerConsumer, c.o.Name)
	dl.Header.Set(headerOrigSubject, msg.Subject())
	var opts []jetstream.PublishOpt
	if md, err := msg.Metadata(); err == nil {
		dl.Header.Set(headerOrigStream, md.Stream)
		dl.Header.Set(headerOrigSeq, strconv.FormatUint(md.Sequence.Stream, 10))
		// A dead letter published twice, by a crash before the ack, is
		// kept once.
		opts = append(opts, jetstream.WithMsgID(c.o.Name+"."+md.Stream+"."+strconv.FormatUint(md.Sequence.Stream, 10)))
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := c.js.PublishMsg(pctx, dl, opts...); err != nil {
		c.o.Logger.Warn("an event could not be dead-lettered; retrying", "consumer", c.o.Name, "type", eventType, "error", err)
		_ = msg.NakWithDelay(backoff(attempt, c.o.RetryBase, c.o.RetryMax))
		return
	}
	c.o.Logger.Error("an event went to the dead letters", "consumer", c.o.Name, "type", eventType, "id", env.ID,
		"attempts", attempt, "error", cause)
	c.ack(msg)
	c.o.Metrics.handledEvent(c.o.Name, eventType, "dead_letter", 0)
}

// safely runs fn, turning a panic into an error, so that a handler's
// panic rolls back its transaction and is retried like any failure.
func safely(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the handler panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return fn()
}
