package repotest

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/stories/story"
)

// NewOutbox returns an empty outbox and inbox of one database for one
// test. It registers its own cleanup with tb.
type NewOutbox func(tb testing.TB) (outbox.Store, outbox.Inbox)

// Outbox runs the outbox.Store and outbox.Inbox contract against the
// stores newStores returns; each subtest gets fresh ones.
func Outbox(t *testing.T, newStores NewOutbox) {
	tests := []struct {
		name string
		run  func(t *testing.T, o outbox.Store, in outbox.Inbox)
	}{
		{"recorded events come back unpublished in order with their data", outboxRoundTrip},
		{"an event without a valid type or with data that does not marshal is refused", outboxRefuses},
		{"marked events are no longer unpublished nor in the backlog", outboxMarks},
		{"purge deletes only what was published before the time", outboxPurges},
		{"one relay at a time holds the lease, until it expires or is released", outboxLease},
		{"the inbox runs a handler once per consumer and event", inboxOnce},
		{"a handler that fails leaves no inbox row", inboxFailure},
		{"concurrent deliveries of one event run the handler once", inboxConcurrent},
		{"a batch runs each event once and a failing one alone is not handled", inboxBatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, in := newStores(t)
			tc.run(t, o, in)
		})
	}
}

type testPayload struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

func outboxRoundTrip(t *testing.T, o outbox.Store, _ outbox.Inbox) {
	ctx := context.Background()
	before := time.Now().Add(-time.Second)
	if err := o.Record(ctx,
		story.Event{Type: "charter.test.thing.created", Subject: "1", Data: testPayload{"a", 1}},
		story.Event{Type: "charter.test.thing.updated", Subject: "1", Data: testPayload{"b ✓ \"q\"", 2}},
	); err != nil {
		t.Fatal(err)
	}
	if err := o.Record(ctx, story.Event{Type: "charter.test.thing.deleted", Subject: "2", Data: map[string]int{"id": 2}}); err != nil {
		t.Fatal(err)
	}
	if err := o.Record(ctx); err != nil {
		t.Fatalf("recording no event: %v", err)
	}
	got, err := o.Unpublished(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d unpublished events, want 3", len(got))
	}
	wantTypes := []string{"charter.test.thing.created", "charter.test.thing.updated", "charter.test.thing.deleted"}
	ids := map[string]bool{}
	for i, e := range got {
		if e.Type != wantTypes[i] {
			t.Errorf("event %d is %s, want %s", i, e.Type, wantTypes[i])
		}
		if i > 0 && e.Seq <= got[i-1].Seq {
			t.Errorf("seq %d after %d", e.Seq, got[i-1].Seq)
		}
		if e.ID == "" || ids[e.ID] {
			t.Errorf("event %d has id %q, empty or seen before", i, e.ID)
		}
		ids[e.ID] = true
		if e.Time.Before(before) || e.Time.Location() != time.UTC {
			t.Errorf("event %d time %v, want a recent UTC time", i, e.Time)
		}
	}
	var p testPayload
	if err := json.Unmarshal(got[1].Data, &p); err != nil {
		t.Fatal(err)
	}
	if p != (testPayload{"b ✓ \"q\"", 2}) || got[1].Subject != "1" || got[2].Subject != "2" {
		t.Errorf("event 1 came back as %+v with %s, subjects %q %q", p, got[1].Data, got[1].Subject, got[2].Subject)
	}
	if first, err := o.Unpublished(ctx, 1); err != nil || len(first) != 1 || first[0].Seq != got[0].Seq {
		t.Errorf("Unpublished(1) = %+v, %v; want the first event", first, err)
	}
	if n, err := o.Backlog(ctx); err != nil || n != 3 {
		t.Errorf("backlog %d, %v; want 3", n, err)
	}
}

func outboxRefuses(t *testing.T, o outbox.Store, _ outbox.Inbox) {
	ctx := context.Background()
	for _, e := range []story.Event{
		{Type: "", Subject: "1"},
		{Type: "charter.test.*", Subject: "1"},
		{Type: "charter..test", Subject: "1"},
		{Type: "charter.test thing", Subject: "1"},
		{Type: "charter.test.>", Subject: "1"},
		{Type: "charter.test.thing", Subject: "1", Data: func() {}},
	} {
		if err := o.Record(ctx, story.Event{Type: "charter.test.ok", Subject: "1"}, e); err == nil {
			t.Errorf("recorded %q with %T data", e.Type, e.Data)
		}
	}
	if n, err := o.Backlog(ctx); err != nil || n != 0 {
		t.Errorf("backlog %d, %v after refused records; want 0: a refused record records nothing", n, err)
	}
}

func outboxMarks(t *testing.T, o outbox.Store, _ outbox.Inbox) {
	ctx := context.Background()
	for i := range 5 {
		if err := o.Record(ctx, story.Event{Type: "charter.test.thing.created", Subject: string(rune('a' + i))}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := o.Unpublished(ctx, 100)
	if err != nil || len(all) != 5 {
		t.Fatalf("%d unpublished, %v; want 5", len(all), err)
	}
	// The second and fourth only: marking names seqs, never a range.
	if err := o.MarkPublished(ctx, []int64{all[1].Seq, all[3].Seq}, time.Now()); err != nil {
		t.Fatal(err)
	}
	left, err := o.Unpublished(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 3 || left[0].Seq != all[0].Seq || left[1].Seq != all[2].Seq || left[2].Seq != all[4].Seq {
		t.Fatalf("unpublished after marking 2 and 4: %+v", left)
	}
	if n, err := o.Backlog(ctx); err != nil || n != 3 {
		t.Errorf("backlog %d, %v; want 3", n, err)
	}
	if err := o.MarkPublished(ctx, nil, time.Now()); err != nil {
		t.Errorf("marking nothing: %v", err)
	}
	many := make([]int64, 0, 1200)
	for i := range 1200 {
		many = append(many, int64(1_000_000+i))
	}
	if err := o.MarkPublished(ctx, append(many, all[0].Seq), time.Now()); err != nil {
		t.Errorf("marking 1201 seqs: %v", err)
	}
	if n, err := o.Backlog(ctx); err != nil || n != 2 {
		t.Errorf("backlog %d, %v; want 2", n, err)
	}
}

func outboxPurges(t *testing.T, o outbox.Store, _ outbox.Inbox) {
	ctx := context.Background()
	for range 3 {
		if err := o.Record(ctx, story.Event{Type: "charter.test.thing.created", Subject: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := o.Unpublished(ctx, 10)
	old := time.Now().Add(-time.Hour)
	if err := o.MarkPublished(ctx, []int64{all[0].Seq}, old); err != nil {
		t.Fatal(err)
	}
	if err := o.MarkPublished(ctx, []int64{all[1].Seq}, time.Now()); err != nil {
		t.Fatal(err)
	}
	n, err := o.Purge(ctx, time.Now().Add(-time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	if err := o.Record(ctx, story.Event{Type: "charter.test.thing.created", Subject: "y"}); err != nil {
		t.Fatal(err)
	}
	left, _ := o.Unpublished(ctx, 10)
	if len(left) != 2 || left[0].Seq != all[2].Seq || left[1].Seq <= all[2].Seq {
		t.Errorf("unpublished after the purge %+v: want the third event and a new one after it", left)
	}
}

func inboxOnce(t *testing.T, _ outbox.Store, in outbox.Inbox) {
	ctx := context.Background()
	var runs int
	fn := func(context.Context) error { runs++; return nil }
	for i, want := range []bool{true, false, false} {
		ran, err := outbox.Once(ctx, in, "quotes", "event-1", fn)
		if err != nil || ran != want {
			t.Fatalf("delivery %d: ran %v, %v; want %v", i+1, ran, err, want)
		}
	}
	if ran, err := outbox.Once(ctx, in, "billing", "event-1", fn); err != nil || !ran {
		t.Fatalf("another consumer: ran %v, %v; want true", ran, err)
	}
	if ran, err := outbox.Once(ctx, in, "quotes", "event-2", fn); err != nil || !ran {
		t.Fatalf("another event: ran %v, %v; want true", ran, err)
	}
	if runs != 3 {
		t.Errorf("the handler ran %d times, want 3", runs)
	}
}

func inboxFailure(t *testing.T, _ outbox.Store, in outbox.Inbox) {
	ctx := context.Background()
	boom := errors.New("boom")
	ran, err := outbox.Once(ctx, in, "quotes", "event-1", func(context.Context) error { return boom })
	if !errors.Is(err, boom) || ran {
		t.Fatalf("a failing handler: ran %v, %v; want false and its error", ran, err)
	}
	ran, err = outbox.Once(ctx, in, "quotes", "event-1", func(context.Context) error { return nil })
	if err != nil || !ran {
		t.Fatalf("the redelivery after a failure: ran %v, %v; want true", ran, err)
	}
}

func inboxConcurrent(t *testing.T, _ outbox.Store, in outbox.Inbox) {
	ctx := context.Background()
	var runs atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := outbox.Once(ctx, in, "quotes", "event-1", func(context.Context) error {
				runs.Add(1)
				return nil
			}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := runs.Load(); n != 1 {
		t.Errorf("the handler ran %d times, want 1", n)
	}
}

func inboxBatch(t *testing.T, _ outbox.Store, in outbox.Inbox) {
	ctx := context.Background()
	if ran, err := outbox.Once(ctx, in, "quotes", "before", func(context.Context) error { return nil }); err != nil || !ran {
		t.Fatalf("an event handled before the batch: ran %v, %v", ran, err)
	}
	// event-3 comes in the batch without being announced to Begin, and
	// event-5 is announced and never comes.
	b, err := in.Begin(ctx, "quotes", []string{"event-2", "before", "event-1", "event-4", "event-1", "event-5"})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	runs := map[string]int{}
	for _, d := range []struct {
		id      string
		fail    bool
		wantRan bool
	}{
		{"before", false, false}, // handled before
		{"event-1", false, true},
		{"event-2", true, false},  // fails alone
		{"event-1", false, false}, // twice in one batch
		{"event-2", false, true},  // again, after its failure
		{"event-3", false, true},
		{"event-4", true, false},
		{"event-3", false, false},
	} {
		ran, err := b.Once(ctx, d.id, func(context.Context) error {
			runs[d.id]++
			if d.fail {
				return boom
			}
			return nil
		})
		if d.fail && !errors.Is(err, boom) || !d.fail && err != nil || ran != d.wantRan {
			t.Fatalf("%s in the batch: ran %v, %v; want %v", d.id, ran, err, d.wantRan)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := b.Rollback(); err != nil {
		t.Errorf("a rollback after the commit: %v", err)
	}
	if runs["before"] != 0 || runs["event-1"] != 1 || runs["event-2"] != 2 || runs["event-3"] != 1 || runs["event-4"] != 1 {
		t.Errorf("handler runs %v", runs)
	}
	for id, want := range map[string]bool{"event-1": false, "event-2": false, "event-3": false, "event-4": true, "event-5": true} {
		if ran, err := outbox.Once(ctx, in, "quotes", id, func(context.Context) error { return nil }); err != nil || ran != want {
			t.Errorf("%s after the batch: ran %v, %v; want %v", id, ran, err, want)
		}
	}
}

func outboxLease(t *testing.T, o outbox.Store, _ outbox.Inbox) {
	ctx := context.Background()
	t0 := time.Now()
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	for _, step := range []struct {
		holder string
		now    int // seconds after t0; each lease lasts 10
		want   bool
	}{
		{"a", 0, true},
		{"b", 1, false}, // a holds it
		{"a", 5, true},  // renews it, until 15
		{"b", 12, false},
		{"b", 15, true}, // a's expired
		{"a", 16, false},
	} {
		got, err := o.Lease(ctx, step.holder, at(step.now), at(step.now+10))
		if err != nil || got != step.want {
			t.Fatalf("%s asks at %ds: %v, %v; want %v", step.holder, step.now, got, err, step.want)
		}
	}
	if err := o.Release(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if got, err := o.Lease(ctx, "a", at(17), at(27)); err != nil || got {
		t.Fatalf("a asks after releasing what it did not hold: %v, %v; want false: b holds it", got, err)
	}
	if err := o.Release(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if got, err := o.Lease(ctx, "a", at(18), at(28)); err != nil || !got {
		t.Fatalf("a asks after b released it: %v, %v; want true", got, err)
	}
}
