package memory

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/stories/story"
)

var _ outbox.Store = (*Outbox)(nil)

// Outbox is an outbox.Store in memory, for services on the in-memory
// repository, which has no transactions: an event is recorded when the
// story's step records it, whatever the story does after.
type Outbox struct {
	mu      sync.Mutex
	seq     int64
	events  []outbox.Event // in seq order
	publish map[int64]time.Time
	now     func() time.Time
	// holder holds the relay lease until expires.
	holder  string
	expires time.Time
}

// NewOutbox returns an empty outbox.
func NewOutbox() *Outbox {
	return &Outbox{publish: map[int64]time.Time{}, now: time.Now}
}

// Record implements story.Events.
func (o *Outbox) Record(_ context.Context, events ...story.Event) error {
	rows, err := outbox.New(o.now(), events...)
	if err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, e := range rows {
		o.seq++
		e.Seq = o.seq
		o.events = append(o.events, e)
	}
	return nil
}

// Events returns every event recorded and not purged, in seq order.
func (o *Outbox) Events() []outbox.Event {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.events)
}

// Unpublished implements outbox.Store.
func (o *Outbox) Unpublished(_ context.Context, limit int) ([]outbox.Event, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []outbox.Event
	for _, e := range o.events {
		if len(out) == limit {
			break
		}
		if _, ok := o.publish[e.Seq]; !ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// MarkPublished implements outbox.Store.
func (o *Outbox) MarkPublished(_ context.Context, seqs []int64, at time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, s := range seqs {
		o.publish[s] = at
	}
	return nil
}

// Backlog implements outbox.Store.
func (o *Outbox) Backlog(context.Context) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var n int64
	for _, e := range o.events {
		if _, ok := o.publish[e.Seq]; !ok {
			n++
		}
	}
	return n, nil
}

// Purge implements outbox.Store.
func (o *Outbox) Purge(_ context.Context, before time.Time) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	kept := o.events[:0]
	var n int64
	for _, e := range o.events {
		if at, ok := o.publish[e.Seq]; ok && at.Before(before) {
			delete(o.publish, e.Seq)
			n++
			continue
		}
		kept = append(kept, e)
	}
	o.events = kept
	return n, nil
}

// Lease implements outbox.Store.
func (o *Outbox) Lease(_ context.Context, holder string, now, until time.Time) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.holder != "" && o.holder != holder && now.Before(o.expires) {
		return false, nil
	}
	o.holder, o.expires = holder, until
	return true, nil
}

// Release implements outbox.Store.
func (o *Outbox) Release(_ context.Context, holder string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.holder == holder {
		o.holder = ""
	}
	return nil
}

var _ outbox.Inbox = (*Inbox)(nil)

// Inbox is an outbox.Inbox in memory. Without transactions, an event
// counts as handled as soon as its handler succeeds, and a batch's
// Rollback undoes nothing, as it cannot undo what the handlers did. A
// handler runs under the inbox's lock, so that two deliveries of one
// event never run beside each other.
type Inbox struct {
	mu      sync.Mutex
	handled map[[2]string]bool
}

// NewInbox returns an empty inbox.
func NewInbox() *Inbox { return &Inbox{handled: map[[2]string]bool{}} }

// Begin implements outbox.Inbox.
func (in *Inbox) Begin(_ context.Context, consumer string, _ []string) (outbox.Batch, error) {
	return inboxBatch{in: in, consumer: consumer}, nil
}

type inboxBatch struct {
	in       *Inbox
	consumer string
}

// Once implements outbox.Batch. The row is written only when fn
// succeeds.
func (b inboxBatch) Once(ctx context.Context, id string, fn func(ctx context.Context) error) (bool, error) {
	b.in.mu.Lock()
	defer b.in.mu.Unlock()
	key := [2]string{b.consumer, id}
	if b.in.handled[key] {
		return false, nil
	}
	if err := fn(ctx); err != nil {
		return false, err
	}
	b.in.handled[key] = true
	return true, nil
}

func (inboxBatch) Commit() error   { return nil }
func (inboxBatch) Rollback() error { return nil }
