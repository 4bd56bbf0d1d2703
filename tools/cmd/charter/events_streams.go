package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/nats-io/nats.go/jetstream"
)

// runEventsStreams is charter events streams: every stream with its
// messages, and every consumer of it with its lag (the messages it has
// not been delivered yet) and those delivered but not acknowledged.
func runEventsStreams(args []string, stdout, stderr io.Writer) int {
	fs, url := eventFlags("streams", stderr)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	js, ctx, done, err := session(*url)
	if err != nil {
		fmt.Fprintf(stderr, "charter events: %v\n", err)
		return 2
	}
	defer done()
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "STREAM\tSUBJECTS\tMESSAGES\tFIRST\tLAST\tCONSUMER\tLAG\tUNACKED\tREDELIVERED")
	streams := js.ListStreams(ctx)
	for info := range streams.Info() {
		st := info.State
		prefix := fmt.Sprintf("%s\t%v\t%d\t%d\t%d", info.Config.Name, info.Config.Subjects, st.Msgs, st.FirstSeq, st.LastSeq)
		stream, err := js.Stream(ctx, info.Config.Name)
		if err != nil {
			fmt.Fprintf(stderr, "charter events: %v\n", err)
			return 1
		}
		consumers := stream.ListConsumers(ctx)
		n := 0
		for c := range consumers.Info() {
			fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\n", prefix, name(c), c.NumPending, c.NumAckPending, c.NumRedelivered)
			n++
		}
		if err := consumers.Err(); err != nil {
			fmt.Fprintf(stderr, "charter events: consumers of %s: %v\n", info.Config.Name, err)
			return 1
		}
		if n == 0 {
			fmt.Fprintf(w, "%s\t-\t-\t-\t-\n", prefix)
		}
	}
	if err := streams.Err(); err != nil {
		fmt.Fprintf(stderr, "charter events: streams: %v\n", err)
		return 1
	}
	w.Flush()
	return 0
}

// name is a consumer's durable name, or "(ephemeral)" for one that has
// none.
func name(c *jetstream.ConsumerInfo) string {
	if c.Config.Durable != "" {
		return c.Config.Durable
	}
	return "(ephemeral)"
}
