package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/services/platform/events"
)

// runEventsPublish is charter events publish: it checks the data against
// the contract of the event type first, and publishes nothing when it
// does not pass (exit 1); otherwise it publishes one event, as the
// service of the type would, and prints its stream sequence and id.
func runEventsPublish(args []string, stdout, stderr io.Writer) int {
	fs, url := eventFlags("publish", stderr)
	subject := fs.String("subject", "", "the event's subject, the aggregate's id (default: the data's id)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(rest) != 2 {
		fmt.Fprintln(stderr, "usage: charter events publish [--subject ID] [--url URL] <type> <json|->")
		return 2
	}
	eventType, raw := rest[0], []byte(rest[1])
	if rest[1] == "-" {
		if raw, err = io.ReadAll(os.Stdin); err != nil {
			fmt.Fprintf(stderr, "charter events: %v\n", err)
			return 2
		}
	}
	if err := outbox.ValidType(eventType); err != nil {
		fmt.Fprintf(stderr, "charter events: %v\n", err)
		return 2
	}
	if err := checkData(eventType, raw); err != nil {
		fmt.Fprintf(stderr, "charter events: refused, nothing published: %v\n", err)
		return 1
	}
	var data bytes.Buffer
	if err := json.Compact(&data, raw); err != nil {
		fmt.Fprintf(stderr, "charter events: %v\n", err)
		return 1
	}
	if *subject == "" {
		*subject = idOf(data.Bytes())
	}
	id, err := uuid.NewV7()
	if err != nil {
		fmt.Fprintf(stderr, "charter events: %v\n", err)
		return 2
	}
	e := outbox.Event{ID: id.String(), Type: eventType, Subject: *subject, Time: time.Now().UTC(), Data: data.Bytes()}
	msg, err := events.Message(publisherOf(eventType), e)
	if err != nil {
		fmt.Fprintf(stderr, "charter events: %v\n", err)
		return 2
	}
	js, ctx, done, err := session(*url)
	if err != nil {
		fmt.Fprintf(stderr, "charter events: %v\n", err)
		return 2
	}
	defer done()
	ack, err := js.PublishMsg(ctx, msg, jetstream.WithMsgID(e.ID))
	if err != nil {
		fmt.Fprintf(stderr, "charter events: publish: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "published %s #%d  %s  subject %s  id %s\n", ack.Stream, ack.Sequence, eventType, e.Subject, e.ID)
	return 0
}

// idOf is the data's "id" as a subject, "" when it has none.
func idOf(data []byte) string {
	var v struct {
		ID json.Number `json:"id"`
	}
	if json.Unmarshal(data, &v) != nil {
		return ""
	}
	if _, err := strconv.ParseInt(v.ID.String(), 10, 64); err != nil {
		return ""
	}
	return v.ID.String()
}
