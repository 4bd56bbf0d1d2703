package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/services/platform/events"
	"github.com/charterhq/charter/services/quotes"
	domain "github.com/charterhq/charter/stories/quotes"
)

// testBroker is an embedded NATS server with the streams charterd makes,
// and a connection to it.
type testBroker struct {
	url string
	js  jetstream.JetStream
	nc  *nats.Conn
}

func startTestBroker(t *testing.T) *testBroker {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := events.StartServer(events.ServerOptions{StoreDir: t.TempDir(), Listen: "127.0.0.1:0", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, s := range []string{"materials", "quotes"} {
		if err := events.EnsureStream(ctx, js, s, events.StreamOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := events.EnsureDeadLetterStream(ctx, js, events.StreamOptions{}); err != nil {
		t.Fatal(err)
	}
	return &testBroker{url: srv.ClientURL(), js: js, nc: nc}
}

// charterEvents runs charter events args against b and returns the exit
// code and what it wrote.
func (b *testBroker) charterEvents(args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	code := run(append([]string{"events"}, append(args, "--url", b.url)...), &out, &errs)
	return code, out.String(), errs.String()
}

// messages is how many events stream holds.
func (b *testBroker) messages(t *testing.T, stream string) uint64 {
	t.Helper()
	s, err := b.js.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

const steelJSON = `{"id":5,"company_id":7,"name":"2 mm Steel","quality":"steel","thickness":2,"is_active":true,
	"price_per_square_metre":{"amount":4500,"currency":"EUR"},"created_at":"2026-11-30T04:00:00Z","updated_at":"2026-11-30T04:00:00Z"}`

func TestEventsPublishAndTail(t *testing.T) {
	b := startTestBroker(t)

	code, out, errs := b.charterEvents("publish", materialsevents.MaterialCreated, steelJSON)
	if code != 0 || !strings.Contains(out, "published MATERIALS #1") || !strings.Contains(out, "subject 5") {
		t.Fatalf("publish: exit %d, %q %q", code, out, errs)
	}

	for _, tc := range []struct{ name, eventType, data, says string }{
		{"data without a required property", materialsevents.MaterialCreated, `{"id":6,"company_id":7}`, "name"},
		{"data of the wrong type", materialsevents.MaterialDeleted, `{"id":"six","company_id":7}`, "id"},
		{"data that is no JSON", materialsevents.MaterialDeleted, `{"id":`, "not JSON"},
		{"a type no contract declares", "charter.nothing.happened", `{}`, "no event contract"},
	} {
		t.Run("publish refuses "+tc.name, func(t *testing.T) {
			code, out, errs := b.charterEvents("publish", tc.eventType, tc.data)
			if code != 1 || !strings.Contains(errs, "nothing published") || !strings.Contains(errs, tc.says) {
				t.Errorf("exit %d, %q %q; want 1 saying %q", code, out, errs, tc.says)
			}
		})
	}
	if n := b.messages(t, "MATERIALS"); n != 1 {
		t.Errorf("the stream holds %d events, want the one valid", n)
	}

	t.Run("tail shows the event decoded and checked", func(t *testing.T) {
		code, out, errs := b.charterEvents("tail", "--all", "--count", "1", "charter.materials.>")
		if code != 0 {
			t.Fatalf("exit %d: %s %s", code, out, errs)
		}
		for _, want := range []string{"MATERIALS #1", materialsevents.MaterialCreated, "subject 5", "source /charter/materials", "contract: ok", `"name": "2 mm Steel"`} {
			if !strings.Contains(out, want) {
				t.Errorf("tail output lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("tail flags an event that breaks its contract", func(t *testing.T) {
		// Published around the CLI, as a faulty publisher could.
		bad, err := events.Message("materials", outboxEvent(materialsevents.MaterialDeleted, `{"id":"seven"}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.js.PublishMsg(context.Background(), bad); err != nil {
			t.Fatal(err)
		}
		code, out, _ := b.charterEvents("tail", "--all", "--count", "1", materialsevents.MaterialDeleted)
		if code != 1 || !strings.Contains(out, "contract: ") || strings.Contains(out, "contract: ok") {
			t.Errorf("exit %d, want 1 and the contract's complaint:\n%s", code, out)
		}
	})

	t.Run("streams lists each stream with its consumers' lag", func(t *testing.T) {
		_, err := b.js.CreateOrUpdateConsumer(context.Background(), "MATERIALS", jetstream.ConsumerConfig{
			Durable: "quotes", AckPolicy: jetstream.AckExplicitPolicy, FilterSubjects: quotesReceived(),
		})
		if err != nil {
			t.Fatal(err)
		}
		code, out, errs := b.charterEvents("streams")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		// Nothing consumed yet: the lag is both events.
		if !regexp.MustCompile(`(?m)^MATERIALS\s+\[charter\.materials\.>\]\s+2\s+1\s+2\s+quotes\s+2\s+0\s+0`).MatchString(out) {
			t.Errorf("streams:\n%s\nwant MATERIALS with 2 events and quotes 2 behind", out)
		}
		for _, want := range []string{"QUOTES", "DLQ"} {
			if !strings.Contains(out, want) {
				t.Errorf("streams lacks %s:\n%s", want, out)
			}
		}
	})
}

// TestEventsDeadLetters runs quotes' real consumer, which dead-letters a
// material event its story refuses, and lists, shows and replays it.
func TestEventsDeadLetters(t *testing.T) {
	b := startTestBroker(t)
	keep := quotesKeep(t)
	consumer, err := events.NewConsumer(events.ConsumerOptions{
		Name: "quotes", Conn: b.nc, Inbox: memory.NewInbox(), Handlers: quotes.Handlers(keep),
		MaxAttempts: 1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- consumer.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	// Within the contract, but a material of no company: the story
	// refuses it, and no retry can mend it.
	orphan := strings.Replace(steelJSON, `"company_id":7`, `"company_id":0`, 1)
	if code, out, errs := b.charterEvents("publish", materialsevents.MaterialCreated, orphan); code != 0 {
		t.Fatalf("publish: exit %d %s %s", code, out, errs)
	}
	seq := waitForDeadLetter(t, b, 0)

	code, out, _ := b.charterEvents("dlq", "show", seq)
	if code != 0 || !strings.Contains(out, "invalid material change") || !strings.Contains(out, "of quotes after 1 attempts") ||
		!strings.Contains(out, `"company_id": 0`) {
		t.Errorf("dlq show: exit %d:\n%s", code, out)
	}

	code, out, errs := b.charterEvents("dlq", "replay", seq)
	if code != 0 || !strings.Contains(out, "replayed dead letter #"+seq) {
		t.Fatalf("dlq replay: exit %d %s %s", code, out, errs)
	}
	// Delivered again to quotes, which gives up on it again: a new
	// dead letter, the replayed one gone.
	again := waitForDeadLetter(t, b, mustAtoi(t, seq))
	if again == seq {
		t.Errorf("the replayed dead letter %s is still listed", seq)
	}
	if code, out, _ := b.charterEvents("dlq", "show", "999"); code != 1 {
		t.Errorf("dlq show of a missing sequence: exit %d, want 1: %s", code, out)
	}
}

// waitForDeadLetter polls charter events dlq list until it lists a dead
// letter of quotes with a sequence above after, and returns it.
func waitForDeadLetter(t *testing.T, b *testBroker, after uint64) string {
	t.Helper()
	row := regexp.MustCompile(`(?m)^(\d+)\s+\S+\s+quotes\s+` + regexp.QuoteMeta(materialsevents.MaterialCreated) + `\s+5\s`)
	deadline := time.Now().Add(2 * time.Minute) // a hang guard, not a speed target
	for {
		code, out, errs := b.charterEvents("dlq", "list", "--consumer", "quotes")
		if code != 0 {
			t.Fatalf("dlq list: exit %d %s", code, errs)
		}
		for _, m := range row.FindAllStringSubmatch(out, -1) {
			if mustAtoi(t, m[1]) > after {
				if len(row.FindAllString(out, -1)) != 1 {
					t.Errorf("dlq list shows more than the one dead letter:\n%s", out)
				}
				return m[1]
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no dead letter after #%d:\n%s", after, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestBrokerURL(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("NATS_URL", "")
	t.Setenv("CHARTER_DATA_DIR", dir)
	if got := brokerURL(""); got != nats.DefaultURL {
		t.Errorf("with nothing written: %q, want %q", got, nats.DefaultURL)
	}
	if err := os.WriteFile(filepath.Join(dir, "nats.url"), []byte("nats://127.0.0.1:5555\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := brokerURL(""); got != "nats://127.0.0.1:5555" {
		t.Errorf("with charterd's file: %q", got)
	}
	t.Setenv("NATS_URL", "nats://broker:4222")
	if got := brokerURL(""); got != "nats://broker:4222" {
		t.Errorf("with NATS_URL: %q", got)
	}
	if got := brokerURL("nats://given:1"); got != "nats://given:1" {
		t.Errorf("given: %q", got)
	}
	t.Setenv("NATS_URL", "")
	if code, _, errs := (&testBroker{url: "nats://127.0.0.1:1"}).charterEvents("streams"); code != 2 || !strings.Contains(errs, "is charterd running") {
		t.Errorf("no broker: exit %d %q, want 2 and a hint", code, errs)
	}
}

// quotesKeep is quotes' story that keeps material copies, over a store in
// memory.
func quotesKeep(t *testing.T) *domain.KeepMaterialCopy {
	t.Helper()
	k, err := domain.NewKeepMaterialCopy(domain.KeepMaterialCopyDeps{Keep: memory.NewMaterialCopies().Keep})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// quotesReceived are the event types quotes' consumer takes.
func quotesReceived() []string { return quotesevents.Received }

// outboxEvent is an event of eventType about material 7 with data as it
// is, valid or not.
func outboxEvent(eventType, data string) outbox.Event {
	return outbox.Event{ID: "bad-" + eventType, Type: eventType, Subject: "7", Time: time.Now().UTC(), Data: []byte(data)}
}

func mustAtoi(t *testing.T, s string) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
