package events

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/story"
)

// The benchmarks measure the whole way of an event: a story commits it
// into the outbox of one database, the relay publishes it to the embedded
// broker, and a consumer handles it in a transaction of another database
// with its inbox row. Each runs a fixed number of events per op and
// reports its own figures; make bench runs them once (-benchtime 1x).

// benchPipeline is a publisher and a consumer whose handler counts what
// it handled and, for the latency benchmark, how long each took from its
// story's start.
type benchPipeline struct {
	*pipeline
	handled   atomic.Int64
	mu        sync.Mutex
	latencies []time.Duration
}

type stamped struct {
	Sent int64 `json:"sent"` // UnixNano when its story started
}

func newBenchPipeline(b *testing.B, newURL func(testing.TB) string, broker *Broker) *benchPipeline {
	p := &benchPipeline{pipeline: newPipeline(b, newURL, broker)}
	p.handlers = NewHandlers()
	Handle(p.handlers, p.created, func(_ context.Context, _ Envelope, data stamped) error {
		if data.Sent != 0 {
			took := time.Since(time.Unix(0, data.Sent))
			p.mu.Lock()
			p.latencies = append(p.latencies, took)
			p.mu.Unlock()
		}
		p.handled.Add(1)
		return nil
	})
	p.consOpts.Handlers = p.handlers
	return p
}

// waitHandled waits until n events were handled.
func (p *benchPipeline) waitHandled(b *testing.B, n int64) {
	deadline := time.Now().Add(10 * time.Minute)
	for p.handled.Load() < n {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d events handled after 10 minutes", p.handled.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// recordStory runs one story that records evs; it may run on any
// goroutine, and a failure fails b.
func (p *benchPipeline) recordStory(b *testing.B, evs ...story.Event) {
	if err := p.runStory(func(ctx context.Context) error { return p.events().Record(ctx, evs...) }); err != nil {
		b.Error(err)
	}
}

func BenchmarkEventsCommitToHandler(b *testing.B) {
	const events, producers = 20_000, 4
	for name, newURL := range databases {
		b.Run(name, func(b *testing.B) {
			broker := newBroker(b)
			for range b.N {
				p := newBenchPipeline(b, newURL, broker)
				p.startRelay()
				p.startConsumer()
				b.ResetTimer()
				start := time.Now()
				var wg sync.WaitGroup
				for w := range producers {
					wg.Go(func() {
						for i := w; i < events; i += producers {
							p.recordStory(b, story.Event{Type: p.created, Subject: fmt.Sprint(i % 100), Data: stamped{}})
						}
					})
				}
				wg.Wait()
				committed := time.Since(start)
				p.waitHandled(b, events)
				took := time.Since(start)
				b.StopTimer()
				b.ReportMetric(float64(events)/took.Seconds(), "events/s")
				b.ReportMetric(float64(events)/committed.Seconds(), "commits/s")
			}
		})
	}
}

func BenchmarkEventsLatencyAt1000PerSecond(b *testing.B) {
	const events, rate = 3_000, 1000
	for name, newURL := range databases {
		b.Run(name, func(b *testing.B) {
			broker := newBroker(b)
			for range b.N {
				p := newBenchPipeline(b, newURL, broker)
				p.startRelay()
				p.startConsumer()
				b.ResetTimer()
				tick := time.NewTicker(time.Second / rate)
				for i := range events {
					<-tick.C
					// Stories start on time even when one commits late.
					go p.recordStory(b, story.Event{Type: p.created, Subject: fmt.Sprint(i % 100),
						Data: stamped{Sent: time.Now().UnixNano()}})
				}
				tick.Stop()
				p.waitHandled(b, events)
				b.StopTimer()
				p.mu.Lock()
				slices.Sort(p.latencies)
				q := func(f float64) float64 {
					return float64(p.latencies[int(f*float64(len(p.latencies)-1))]) / float64(time.Millisecond)
				}
				b.ReportMetric(q(0.50), "p50-ms")
				b.ReportMetric(q(0.99), "p99-ms")
				b.ReportMetric(q(1), "max-ms")
				p.latencies = nil
				p.mu.Unlock()
			}
		})
	}
}

func BenchmarkEventsBacklogDrain(b *testing.B) {
	const events, perStory = 100_000, 1000
	for name, newURL := range databases {
		b.Run(name, func(b *testing.B) {
			broker := newBroker(b)
			for range b.N {
				p := newBenchPipeline(b, newURL, broker)
				// Committed while the broker was away.
				evs := make([]story.Event, perStory)
				for s := range events / perStory {
					for i := range evs {
						evs[i] = story.Event{Type: p.created, Subject: fmt.Sprint((s*perStory + i) % 100), Data: stamped{}}
					}
					p.recordStory(b, evs...)
				}
				b.ResetTimer()
				start := time.Now()
				p.startRelay() // the broker is back
				p.startConsumer()
				p.waitHandled(b, events)
				took := time.Since(start)
				b.StopTimer()
				if n := countRows(b, p.pubDB, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"); n != 0 {
					b.Fatalf("%d events left in the outbox", n)
				}
				b.ReportMetric(took.Seconds(), "drain-s")
				b.ReportMetric(float64(events)/took.Seconds(), "events/s")
			}
		})
	}
}
