package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/charterhq/charter/services/platform/events"
)

// runEventsTail is charter events tail: it follows the events of a subject
// (an event type, or a wildcard such as charter.materials.>), from now on
// or, with --all, from the first the stream holds, printing each decoded,
// its data checked against its contract. It stops after --count events,
// or when interrupted. Exit 1 when an event broke its contract.
func runEventsTail(args []string, stdout, stderr io.Writer) int {
	fs, url := eventFlags("tail", stderr)
	all := fs.Bool("all", false, "start from the first event the stream holds, not from now")
	count := fs.Int("count", 0, "stop after this many events (0: until interrupted)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, "usage: charter events tail [--all] [--count N] [--url URL] <subject-or-type>")
		return 2
	}
	subject := rest[0]
	nc, js, err := connect(*url)
	if err != nil {
		fmt.Fprintf(stderr, "charter events: %v\n", err)
		return 2
	}
	defer nc.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	name, err := js.StreamNameBySubject(ctx, subject)
	if err != nil {
		fmt.Fprintf(stderr, "charter events: no stream holds %s: %v\n", subject, err)
		return 2
	}
	stream, err := js.Stream(ctx, name)
	if err != nil {
		fmt.Fprintf(stderr, "charter events: %v\n", err)
		return 2
	}
	policy := jetstream.DeliverNewPolicy
	if *all {
		policy = jetstream.DeliverAllPolicy
	}
	cons, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}, DeliverPolicy: policy})
	if err != nil {
		fmt.Fprintf(stderr, "charter events: %v\n", err)
		return 2
	}
	code := 0
	for seen := 0; *count == 0 || seen < *count; seen++ {
		msg, err := cons.Next(jetstream.FetchContext(ctx))
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, context.Canceled) {
				return code
			}
			fmt.Fprintf(stderr, "charter events: %v\n", err)
			return 2
		}
		var seq uint64
		if md, err := msg.Metadata(); err == nil {
			seq = md.Sequence.Stream
		}
		if !printEvent(stdout, name, seq, msg.Data()) {
			code = 1
		}
	}
	return code
}

// printEvent prints one message body of a stream: its envelope's
// attributes on a line, whether its data passes its contract, then the
// data. It reports whether the event is whole and passes.
func printEvent(w io.Writer, stream string, seq uint64, body []byte) bool {
	env, err := events.Decode(body)
	if err != nil {
		fmt.Fprintf(w, "%s #%d  not an event: %v\n  %s\n", stream, seq, err, body)
		return false
	}
	verdict, ok := "contract: ok", true
	if err := env.Validate(); err != nil {
		verdict, ok = "envelope: "+err.Error(), false
	} else if err := checkData(env.Type, env.Data); err != nil {
		verdict, ok = "contract: "+err.Error(), false
	}
	fmt.Fprintf(w, "%s #%d  %s  %s  subject %s  id %s  source %s  %s\n", stream, seq,
		env.Time.Format("2006-01-02T15:04:05.000Z07:00"), env.Type, env.Subject, env.ID, env.Source, verdict)
	data, err := json.MarshalIndent(json.RawMessage(env.Data), "  ", "  ")
	if err != nil {
		data = env.Data
	}
	fmt.Fprintf(w, "  %s\n", data)
	return ok
}
