package events

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/charterhq/charter/repositories/outbox"
)

// The replicas of a service each run a relay over the service's one
// outbox: one publishes at a time, the holder of the outbox's lease, and
// should two publish at once the stream still holds each event once, in
// the order of its subject.

func TestTwoRelaysOverOneOutboxPublishOneAtATime(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			// Long enough that the holder never loses it to a busy
			// machine: the takeover below is by its release.
			p.relayOpts.Lease = time.Minute
			var relays [2]*Relay
			var marked [2]atomic.Int64
			var stops [2]func()
			for i := range relays {
				o := p.relayOpts
				o.Conn = replicaConn(t, b)
				r, err := NewRelay(o)
				if err != nil {
					t.Fatal(err)
				}
				r.beforeMark = func(evs []outbox.Event) error {
					marked[i].Add(int64(len(evs)))
					return nil
				}
				relays[i], stops[i] = r, start(t, r.Run)
			}
			// The stories run on the replica of the second relay, which
			// may be the one that stands by.
			p.recordWith, p.recorder = relays[1].Middleware(), relays[1].Events()

			p.record(0, 30, 5)
			p.published(30)
			holder, standby := 0, 1
			if marked[1].Load() > 0 {
				holder, standby = 1, 0
			}
			if marked[holder].Load() != 30 || marked[standby].Load() != 0 {
				t.Errorf("the relays published %d and %d events, want 30 by one of them", marked[0].Load(), marked[1].Load())
			}

			// The holder stops: the other takes over.
			stops[holder]()
			p.record(30, 30, 5)
			p.published(60)
			if marked[holder].Load() != 30 || marked[standby].Load() != 30 {
				t.Errorf("after the holder stopped the relays published %d and %d events in all, want 30 each",
					marked[holder].Load(), marked[standby].Load())
			}

			// Both at once, without the lease: the broker keeps one copy
			// of each, in order.
			p.record(60, 30, 5)
			var wg sync.WaitGroup
			for _, r := range relays {
				wg.Go(func() {
					deadline := time.Now().Add(time.Minute)
					for countRows(t, p.pubDB, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL") > 0 {
						// A cluster refuses a copy of an event while it
						// stores the other relay's (duplicate message id
						// is in process): Run would try again, as here.
						if _, err := r.Publish(context.Background()); err != nil && time.Now().After(deadline) {
							t.Errorf("still failing after a minute: %v", err)
							return
						}
					}
				})
			}
			wg.Wait()
			p.streamInOrder(90)
		})
	}
}

// published waits until the outbox holds n events, all published.
func (p *pipeline) published(n int) {
	p.t.Helper()
	eventually(p.t, fmt.Sprintf("%d events published", n), func() (bool, string) {
		backlog := countRows(p.t, p.pubDB, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")
		all := countRows(p.t, p.pubDB, "SELECT COUNT(*) FROM outbox")
		return backlog == 0 && all == n, fmt.Sprintf("%d of %d published", all-backlog, all)
	})
}

// streamInOrder checks that the publisher's stream holds n events, each
// once, those of each subject in the order recorded.
func (p *pipeline) streamInOrder(n int) {
	p.t.Helper()
	if got := p.streamCount(); got != uint64(n) {
		p.t.Errorf("%d messages in the stream, want %d", got, n)
	}
	js, _ := p.broker.JetStream()
	ctx := context.Background()
	seen := map[string]bool{}
	last := map[string]int{}
	for seq := uint64(1); seq <= uint64(n); seq++ {
		var msg *jetstream.RawStreamMsg
		// A cluster may not answer at once.
		eventually(p.t, fmt.Sprintf("message %d of the stream read", seq), func() (bool, string) {
			stream, err := js.Stream(ctx, StreamName(p.service))
			if err == nil {
				msg, err = stream.GetMsg(ctx, seq)
			}
			if err != nil {
				return false, err.Error()
			}
			return true, ""
		})
		env, err := Decode(msg.Data)
		if err != nil {
			p.t.Fatal(err)
		}
		var data thing
		if err := jsonUnmarshal(env.Data, &data); err != nil {
			p.t.Fatal(err)
		}
		if seen[env.ID] {
			p.t.Errorf("event %d twice in the stream", data.N)
		}
		seen[env.ID] = true
		if prev, ok := last[env.Subject]; ok && data.N < prev {
			p.t.Errorf("subject %s: event %d after %d in the stream", env.Subject, data.N, prev)
		}
		last[env.Subject] = data.N
	}
}
