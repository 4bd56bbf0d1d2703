package events

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestEventsGoFromCommitToHandlerOnce(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			p.startRelay()
			p.startConsumer()
			p.record(0, 50, 5)
			p.settled(50)
			// Events of one subject were handled in the order recorded.
			var rows []struct {
				Subject string  `db:"quality"`
				N       float64 `db:"thickness"`
			}
			if err := p.subDB.Select(&rows, "SELECT quality, thickness FROM materials ORDER BY id"); err != nil {
				t.Fatal(err)
			}
			last := map[string]float64{}
			for _, r := range rows {
				if prev, ok := last[r.Subject]; ok && r.N < prev {
					t.Errorf("subject %s: event %v handled after %v", r.Subject, r.N, prev)
				}
				last[r.Subject] = r.N
			}
		})
	}
}

func TestTheRelayPublishesCloudEvents(t *testing.T) {
	b := newBroker(t)
	p := newPipeline(t, databases["SQLite"], b)
	p.record(0, 3, 1)
	r, err := NewRelay(p.relayOpts)
	if err != nil {
		t.Fatal(err)
	}
	if err := EnsureStream(context.Background(), r.js, p.service, testStreams()); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Publish(context.Background()); err != nil || n != 3 {
		t.Fatalf("published %d, %v; want 3", n, err)
	}
	js, _ := b.JetStream()
	stream, err := js.Stream(context.Background(), StreamName(p.service))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := stream.GetMsg(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	env, err := Decode(msg.Data)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Subject != p.created || env.Type != p.created || env.Source != "/charter/"+p.service || string(env.Data) != `{"n":1}` {
		t.Errorf("message on %s: %+v", msg.Subject, env)
	}
	if msg.Header.Get("Content-Type") != ContentType || msg.Header.Get("Nats-Msg-Id") != env.ID {
		t.Errorf("headers %v: want the CloudEvents content type and the event id as Nats-Msg-Id", msg.Header)
	}
}

func TestAFailingHandlerIsRetriedThenHandledOnce(t *testing.T) {
	b := newBroker(t)
	for name, newURL := range databases {
		t.Run(name, func(t *testing.T) {
			p := newPipeline(t, newURL, b)
			p.handlerErr = func(env Envelope, attempt int64) error {
				if attempt < 3 {
					return errors.New("not yet")
				}
				return nil
			}
			p.startRelay()
			p.startConsumer()
			p.record(0, 5, 5)
			p.settled(5)
			p.attempts.Range(func(id, n any) bool {
				if got := n.(interface{ Load() int64 }).Load(); got != 3 {
					t.Errorf("event %v: %d attempts, want 3", id, got)
				}
				return true
			})
		})
	}
}

func TestDeadLettersAfterTheLastAttemptAndReplay(t *testing.T) {
	b := newBroker(t)
	p := newPipeline(t, databases["SQLite"], b)
	broken := true
	failing := "1"
	p.handlerErr = func(env Envelope, attempt int64) error {
		if broken && env.Subject == failing {
			return fmt.Errorf("attempt %d failed", attempt)
		}
		return nil
	}
	p.startRelay()
	_, stopConsumer := p.startConsumer()
	p.record(0, 4, 4) // subjects 0, 1, 2, 3
	js, _ := b.JetStream()
	ctx := context.Background()
	var dead []DeadLetter
	eventually(t, "the failing event is a dead letter", func() (bool, string) {
		var err error
		dead, err = DeadLetters(ctx, js, p.consumer)
		if err != nil {
			// A cluster may not serve the new DLQ stream yet.
			return false, err.Error()
		}
		return len(dead) == 1, fmt.Sprintf("%d dead letters", len(dead))
	})
	eventually(t, "the others handled", func() (bool, string) {
		n := countRows(t, p.subDB, "SELECT COUNT(*) FROM materials")
		return n == 3, fmt.Sprintf("%d handled", n)
	})
	d := dead[0]
	if d.Consumer != p.consumer || d.Attempts != 3 || !strings.Contains(d.Error, "attempt 3 failed") ||
		d.Envelope.Subject != failing || d.Subject != p.created || d.Stream != StreamName(p.service) {
		t.Errorf("dead letter %+v", d)
	}
	if all, err := DeadLetters(ctx, js, ""); err != nil || len(all) < 1 {
		t.Errorf("every consumer's dead letters: %d, %v", len(all), err)
	}
	if other, err := DeadLetters(ctx, js, p.consumer+"x"); err != nil || len(other) != 0 {
		t.Errorf("another consumer's dead letters: %d, %v; want none", len(other), err)
	}
	shown, err := DeadLetterAt(ctx, js, d.Seq)
	if err != nil || shown.Envelope.ID != d.Envelope.ID {
		t.Errorf("DeadLetterAt(%d) = %+v, %v", d.Seq, shown, err)
	}
	// The subject of the dead letter says whose and which it is.
	stream, _ := js.Stream(ctx, DeadLetterStream)
	raw, err := stream.GetMsg(ctx, d.Seq)
	if err != nil || raw.Subject != DeadLetterPrefix+p.consumer+"."+p.created {
		t.Errorf("dead letter subject %q, %v", raw.Subject, err)
	}

	// Fixed, and replayed: handled once, and no longer a dead letter.
	stopConsumer()
	broken = false
	p.startConsumer()
	if err := Replay(ctx, js, d.Seq); err != nil {
		t.Fatal(err)
	}
	p.settled(4)
	if left, err := DeadLetters(ctx, js, p.consumer); err != nil || len(left) != 0 {
		t.Errorf("%d dead letters after the replay, %v; want none", len(left), err)
	}
}

func TestDataThatDoesNotDecodeIsADeadLetterAtOnce(t *testing.T) {
	b := newBroker(t)
	p := newPipeline(t, databases["SQLite"], b)
	p.startRelay()
	p.startConsumer()
	js, _ := b.JetStream()
	ctx := context.Background()
	if err := p.runStory(func(ctx context.Context) error {
		return p.outbox.Record(ctx, storyEvent(p.created, "x", map[string]string{"n": "not a number"}))
	}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a dead letter", func() (bool, string) {
		dead, err := DeadLetters(ctx, js, p.consumer)
		if err != nil {
			return false, err.Error()
		}
		if len(dead) == 1 && dead[0].Attempts != 1 {
			t.Errorf("dead after %d attempts, want 1: retrying cannot help", dead[0].Attempts)
		}
		return len(dead) == 1, fmt.Sprintf("%d dead letters", len(dead))
	})
	if n := countRows(t, p.subDB, "SELECT COUNT(*) FROM inbox"); n != 0 {
		t.Errorf("%d inbox rows, want none", n)
	}
}

func TestDeadLettersOfAnEmptyBroker(t *testing.T) {
	b := newBroker(t)
	js, _ := b.JetStream()
	if _, err := DeadLetters(context.Background(), js, uniqueName("nobody")); err != nil {
		t.Fatal(err)
	}
	if _, err := DeadLetterAt(context.Background(), js, 1<<40); err == nil {
		t.Error("a dead letter that does not exist was found")
	}
}

func TestAConsumerStartsBeforeThePublisher(t *testing.T) {
	b := newBroker(t)
	p := newPipeline(t, databases["SQLite"], b)
	p.startConsumer() // waits for the stream the relay makes
	p.record(0, 3, 1)
	p.startRelay()
	p.settled(3)
}
