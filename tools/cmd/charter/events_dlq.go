package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/charterhq/charter/services/platform/events"
)

// runEventsDLQ is charter events dlq list|show|replay: the events the
// consumers gave up on, one whole, and one published again.
func runEventsDLQ(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: charter events dlq list [--consumer NAME] | show <seq> | replay <seq>")
		return 2
	}
	fs, url := eventFlags("dlq "+args[0], stderr)
	consumer := fs.String("consumer", "", "list only this consumer's dead letters")
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return 2
	}
	var seq uint64
	switch args[0] {
	case "list":
		if len(rest) != 0 {
			fmt.Fprintln(stderr, "usage: charter events dlq list [--consumer NAME]")
			return 2
		}
	case "show", "replay":
		if len(rest) != 1 {
			fmt.Fprintf(stderr, "usage: charter events dlq %s <seq>\n", args[0])
			return 2
		}
		if seq, err = strconv.ParseUint(rest[0], 10, 64); err != nil || seq == 0 {
			fmt.Fprintf(stderr, "charter events: %q is not a dead letter's sequence number\n", rest[0])
			return 2
		}
	default:
		fmt.Fprintf(stderr, "charter events: unknown dlq subcommand %q\n", args[0])
		return 2
	}
	js, ctx, done, err := session(*url)
	if err != nil {
		fmt.Fprintf(stderr, "charter events: %v\n", err)
		return 2
	}
	defer done()
	switch args[0] {
	case "list":
		letters, err := events.DeadLetters(ctx, js, *consumer)
		if err != nil {
			fmt.Fprintf(stderr, "charter events: %v\n", err)
			return 1
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "SEQ\tTIME\tCONSUMER\tTYPE\tSUBJECT\tID\tATTEMPTS\tERROR")
		for _, d := range letters {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", d.Seq, d.Time.UTC().Format("2006-01-02T15:04:05Z"), d.Consumer,
				d.Envelope.Type, d.Envelope.Subject, d.Envelope.ID, d.Attempts, d.Error)
		}
		w.Flush()
	case "show":
		d, err := events.DeadLetterAt(ctx, js, seq)
		if err != nil {
			fmt.Fprintf(stderr, "charter events: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "dead letter #%d of %s after %d attempts, at %s\nerror: %s\nfirst published on %s (%s #%d)\n",
			d.Seq, d.Consumer, d.Attempts, d.Time.UTC().Format("2006-01-02T15:04:05Z"), d.Error, d.Subject, d.Stream, d.StreamSeq)
		var body any
		if json.Unmarshal(d.Body, &body) == nil {
			out, _ := json.MarshalIndent(body, "", "  ")
			fmt.Fprintf(stdout, "%s\n", out)
		} else {
			fmt.Fprintf(stdout, "%s\n", d.Body)
		}
	case "replay":
		if err := events.Replay(ctx, js, seq); err != nil {
			fmt.Fprintf(stderr, "charter events: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "replayed dead letter #%d\n", seq)
	}
	return 0
}
