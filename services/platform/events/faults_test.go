package events

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/charterhq/charter/repositories/outbox"
)

// The fault tests stop a part where a crash would, through hooks, and
// check the end state of every database and of the stream: nothing lost,
// nothing handled twice.

// streamCount is how many messages the publisher's stream holds.
func (p *pipeline) streamCount() uint64 {
	p.t.Helper()
	js, _ := p.broker.JetStream()
	s, err := js.Stream(context.Background(), StreamName(p.service))
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return 0
	}
	if err != nil {
		p.t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		p.t.Fatal(err)
	}
	return info.State.Msgs
}

func TestFaultACrashBeforeTheCommitLeavesNoEvent(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			p.startRelay()
			p.startConsumer()
			p.record(0, 2, 2)
			// The story records, then dies before its commit: a panic, and
			// a failure.
			func() {
				defer func() { recover() }()
				_ = p.runStory(func(ctx context.Context) error {
					if err := p.outbox.Record(ctx, storyEvent(p.created, "lost", thing{N: 99})); err != nil {
						return err
					}
					panic("the process dies before the commit")
				})
			}()
			if err := p.runStory(func(ctx context.Context) error {
				if err := p.outbox.Record(ctx, storyEvent(p.created, "lost", thing{N: 98})); err != nil {
					return err
				}
				return errors.New("the story fails after recording")
			}); err == nil {
				t.Fatal("the failing story succeeded")
			}
			p.record(2, 2, 2)
			p.settled(4)
			if n := p.streamCount(); n != 4 {
				t.Errorf("%d messages in the stream, want 4", n)
			}
			if n := countRows(t, p.subDB, "SELECT COUNT(*) FROM materials WHERE quality = 'lost'"); n != 0 {
				t.Errorf("%d events of the stories that did not commit were handled", n)
			}
		})
	}
}

func TestFaultACrashAfterTheCommitBeforePublishing(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			p.startConsumer()
			// Committed while no relay runs: the process died before its
			// relay published them.
			p.record(0, 20, 3)
			if n := countRows(t, p.pubDB, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"); n != 20 {
				t.Fatalf("backlog %d, want 20", n)
			}
			p.startRelay() // the restart
			p.settled(20)
			if n := p.streamCount(); n != 20 {
				t.Errorf("%d messages in the stream, want 20", n)
			}
		})
	}
}

func TestFaultACrashAfterPublishingBeforeMarking(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			p.startConsumer()
			p.record(0, 30, 3)
			first, err := NewRelay(p.relayOpts)
			if err != nil {
				t.Fatal(err)
			}
			crashed := errors.New("the process dies before marking")
			var published atomic.Int64
			first.beforeMark = func(evs []outbox.Event) error {
				published.Add(int64(len(evs)))
				return crashed
			}
			if err := EnsureStream(context.Background(), first.js, p.service, testStreams()); err != nil {
				t.Fatal(err)
			}
			if _, err := first.Publish(context.Background()); !errors.Is(err, crashed) {
				t.Fatalf("publish: %v, want the crash", err)
			}
			if published.Load() != 30 {
				t.Fatalf("the broker acknowledged %d before the crash, want 30", published.Load())
			}
			if n := countRows(t, p.pubDB, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"); n != 30 {
				t.Fatalf("backlog %d after the crash, want 30: nothing was marked", n)
			}
			p.startRelay() // publishes all 30 again
			p.settled(30)
			// Within the window the broker dropped the second copies.
			if n := p.streamCount(); n != 30 {
				t.Errorf("%d messages in the stream, want 30", n)
			}
		})
	}
}

func TestFaultTwiceInTheStreamIsHandledOnce(t *testing.T) {
	// Past the broker's de-duplication window a relay that publishes
	// again stores a second copy: the inbox makes it count once.
	b := newBroker(t)
	p := newPipeline(t, databases["SQLite"], b)
	p.record(0, 10, 2)
	rows, err := p.outbox.Unpublished(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := b.JetStream()
	if err := EnsureStream(context.Background(), js, p.service, testStreams()); err != nil {
		t.Fatal(err)
	}
	for copyNo := range 2 {
		for _, e := range rows {
			msg, err := Message(p.service, e)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := js.PublishMsg(context.Background(), msg, jetstream.WithMsgID(e.ID+"/"+strconv.Itoa(copyNo))); err != nil {
				t.Fatal(err)
			}
		}
	}
	p.startRelay() // marks them, publishing a third copy the window drops
	p.startConsumer()
	p.settled(10)
	if n := p.streamCount(); n != 30 {
		t.Errorf("%d messages in the stream, want 30", n)
	}
}

func TestFaultDeliveriesOutOfOrderAndDuplicated(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			p.record(0, 12, 3)
			rows, err := p.outbox.Unpublished(context.Background(), 100)
			if err != nil {
				t.Fatal(err)
			}
			js, _ := b.JetStream()
			if err := EnsureStream(context.Background(), js, p.service, testStreams()); err != nil {
				t.Fatal(err)
			}
			// Newest first, each twice, the copies apart.
			for round := range 2 {
				for i := len(rows) - 1; i >= 0; i-- {
					msg, err := Message(p.service, rows[i])
					if err != nil {
						t.Fatal(err)
					}
					if _, err := js.PublishMsg(context.Background(), msg, jetstream.WithMsgID(fmt.Sprintf("%s/%d", rows[i].ID, round))); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := p.outbox.MarkPublished(context.Background(), seqs(rows), nowUTC()); err != nil {
				t.Fatal(err)
			}
			p.startConsumer()
			p.settled(12)
		})
	}
}

func TestFaultAConsumerCrashesMidHandler(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			crash := errors.New("the process dies mid-handler")
			var crashes atomic.Int64
			// The first run of every even event's handler dies after it
			// wrote, before its transaction commits.
			p.handlerErr = func(env Envelope, attempt int64) error {
				var data thing
				_ = jsonUnmarshal(env.Data, &data)
				if attempt == 1 && data.N%2 == 0 {
					crashes.Add(1)
					return crash
				}
				return nil
			}
			c, err := NewConsumer(p.consOpts)
			if err != nil {
				t.Fatal(err)
			}
			c.crashed = func(err error) bool { return errors.Is(err, crash) }
			start(t, c.Run)
			p.startRelay()
			p.record(0, 10, 10)
			p.settled(10)
			// A crash takes down the whole batch in flight with it, as a
			// process dying takes every delivery it holds: each event of
			// that batch runs again, and an event redelivered into a batch
			// that crashes too runs once more. So an event runs at most
			// once, plus once per crash.
			n := crashes.Load()
			if n == 0 {
				t.Fatal("no handler crashed: the test tests nothing")
			}
			p.attempts.Range(func(id, runs any) bool {
				if got := runs.(*atomic.Int64).Load(); got > 1+n {
					t.Errorf("event %v: %d runs after %d crashes, want at most %d", id, got, n, 1+n)
				}
				return true
			})
		})
	}
}

func TestFaultAConsumerCrashesAfterCommitBeforeAck(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			c, err := NewConsumer(p.consOpts)
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			acked := map[string]bool{}
			var duplicates atomic.Int64
			c.afterCommit = func(env Envelope) error {
				mu.Lock()
				defer mu.Unlock()
				if !acked[env.ID] {
					// Committed; the process dies before its ack.
					acked[env.ID] = true
					return errors.New("crash")
				}
				duplicates.Add(1)
				return nil
			}
			start(t, c.Run)
			p.startRelay()
			p.record(0, 8, 4)
			p.settled(8)
			eventually(t, "every redelivery acknowledged as a duplicate", func() (bool, string) {
				return duplicates.Load() >= 8, fmt.Sprintf("%d of 8", duplicates.Load())
			})
			p.attempts.Range(func(id, n any) bool {
				if got := n.(*atomic.Int64).Load(); got != 1 {
					t.Errorf("event %v: the handler ran %d times, want 1", id, got)
				}
				return true
			})
		})
	}
}

// freePort returns a loopback port nothing listens on.
func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestFaultTheBrokerIsDownForAWhile(t *testing.T) {
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "nats")
			addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
			srv, err := StartServer(ServerOptions{StoreDir: dir, Listen: addr})
			if err != nil {
				t.Fatal(err)
			}
			b, err := StartBroker(BrokerOptions{URL: "nats://" + addr, Name: t.Name(), Logger: quiet()})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(b.Close)
			p := newPipeline(t, newURL, b)
			// One server of its own, whatever the other tests use.
			p.relayOpts.Streams, p.consOpts.Streams = StreamOptions{}, StreamOptions{}
			p.startRelay()
			p.startConsumer()
			p.record(0, 10, 3)
			p.settled(10)

			srv.Shutdown()
			srv.WaitForShutdown()
			p.record(10, 40, 3) // committed while the broker is away
			if n := countRows(t, p.pubDB, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL"); n == 0 {
				t.Fatal("nothing waits in the outbox while the broker is down")
			}
			srv, err = StartServer(ServerOptions{StoreDir: dir, Listen: addr})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Shutdown)
			p.settled(50)
			if n := p.streamCount(); n != 50 {
				t.Errorf("%d messages in the stream, want 50", n)
			}
		})
	}
}

func TestTwoReplicasShareOneDurableConsumer(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			var handledBy [2]atomic.Int64
			for i := range 2 {
				o := p.consOpts
				o.Conn = replicaConn(t, b)
				inbox := countingInbox{Inbox: p.inbox, n: &handledBy[i]}
				o.Inbox = inbox
				c, err := NewConsumer(o)
				if err != nil {
					t.Fatal(err)
				}
				start(t, c.Run)
			}
			// Two relays over one outbox, as two replicas of the
			// publisher: the broker keeps one copy.
			p.startRelay()
			p.startRelay()
			p.record(0, 60, 6)
			p.settled(60)
			if n := p.streamCount(); n != 60 {
				t.Errorf("%d messages in the stream, want 60", n)
			}
			t.Logf("handled by the replicas: %d and %d", handledBy[0].Load(), handledBy[1].Load())
		})
	}
}

// countingInbox counts the events a replica handled.
type countingInbox struct {
	outbox.Inbox
	n *atomic.Int64
}

func (c countingInbox) Begin(ctx context.Context, consumer string, ids []string) (outbox.Batch, error) {
	b, err := c.Inbox.Begin(ctx, consumer, ids)
	if err != nil {
		return nil, err
	}
	return countingBatch{Batch: b, n: c.n}, nil
}

// countingBatch counts the events whose handler ran and succeeded.
type countingBatch struct {
	outbox.Batch
	n *atomic.Int64
}

func (c countingBatch) Once(ctx context.Context, id string, fn func(context.Context) error) (bool, error) {
	ran, err := c.Batch.Once(ctx, id, fn)
	if ran {
		c.n.Add(1)
	}
	return ran, err
}

func TestAConsumerStoppedHalfwayThroughABatchLeavesTheRestToTheNext(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			// Published before the consumer starts, one subject, one
			// worker: they wait for it together, as one batch.
			p.record(0, 6, 1)
			p.startRelay()
			p.published(6)
			started, release := make(chan struct{}), make(chan struct{})
			var first sync.Once
			p.handlerErr = func(env Envelope, attempt int64) error {
				first.Do(func() {
					close(started)
					<-release
				})
				return nil
			}
			o := p.consOpts
			o.Workers = 1
			c, err := NewConsumer(o)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				_ = c.Run(ctx)
			}()
			<-started
			cancel() // the stop comes while the batch's first handler runs
			close(release)
			<-done
			p.startConsumer()
			p.settled(6)
		})
	}
}
