package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	materialsevents "github.com/charterhq/charter/gen/events/materials"
	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	"github.com/charterhq/charter/services/platform/events"
)

func init() {
	commands["events"] = command{
		summary: "inspect and use the event broker: streams, tail, publish, dlq",
		run:     runEvents,
	}
}

// eventsUsage lists the subcommands of charter events.
const eventsUsage = `usage: charter events <subcommand> [flags]

subcommands:
  streams                          the streams, their consumers and each consumer's lag
  tail <subject-or-type>           follow events, decoded and checked against their contract
  publish <type> <json|->          publish an event whose data passes its contract
  dlq list [--consumer NAME]       the dead letters
  dlq show <seq>                   one dead letter, whole
  dlq replay <seq>                 publish a dead letter again and remove it

The broker is --url, else NATS_URL, else the address charterd wrote in
$CHARTER_DATA_DIR/nats.url (var/nats.url by default), else
nats://127.0.0.1:4222.`

// eventSubcommands are the subcommands of charter events.
var eventSubcommands = map[string]func(args []string, stdout, stderr io.Writer) int{
	"streams": runEventsStreams,
	"tail":    runEventsTail,
	"publish": runEventsPublish,
	"dlq":     runEventsDLQ,
}

func runEvents(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, eventsUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub, ok := eventSubcommands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "charter events: unknown subcommand %q\n\n%s\n", args[0], eventsUsage)
		return 2
	}
	return sub(args[1:], stdout, stderr)
}

// eventFlags are the flags every subcommand takes: where the broker is.
func eventFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("charter events "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "", "the NATS server (default: NATS_URL, $CHARTER_DATA_DIR/nats.url, nats://127.0.0.1:4222)")
	return fs, url
}

// parseInterspersed parses args with fs, flags before or after the
// positional arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// brokerURL is where the broker is: given, else NATS_URL, else what
// charterd wrote under its data directory, else the embedded broker's
// default address.
func brokerURL(given string) string {
	if given != "" {
		return given
	}
	if v := os.Getenv("NATS_URL"); v != "" {
		return v
	}
	dir := os.Getenv("CHARTER_DATA_DIR")
	if dir == "" {
		dir = "var"
	}
	if u := events.WrittenURL(dir); u != "" {
		return u
	}
	return nats.DefaultURL
}

// connect connects to the broker, failing at once rather than waiting
// for one that is not there.
func connect(given string) (*nats.Conn, jetstream.JetStream, error) {
	url := brokerURL(given)
	nc, err := nats.Connect(url, nats.Name("charter events"), nats.Timeout(5*time.Second))
	if err != nil {
		return nil, nil, fmt.Errorf("connect to the broker at %s: %w (is charterd running? set --url or NATS_URL)", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, js, nil
}

// validators check an event's data against the contract of the service
// that publishes it, by the service's name in the type
// (charter.<service>.…).
var validators = map[string]func(eventType string, data []byte) error{
	"materials": materialsevents.Validate,
	"quotes":    quotesevents.Validate,
}

// errNoContract is the error of a type no contract declares.
var errNoContract = errors.New("no event contract declares this type")

// publisherOf is the service an event type belongs to.
func publisherOf(eventType string) string {
	parts := strings.Split(eventType, ".")
	if len(parts) < 3 || parts[0] != "charter" {
		return ""
	}
	return parts[1]
}

// checkData checks data against the contract of eventType.
func checkData(eventType string, data []byte) error {
	validate, ok := validators[publisherOf(eventType)]
	if !ok {
		return fmt.Errorf("%s: %w", eventType, errNoContract)
	}
	return validate(eventType, data)
}

// session connects to the broker for one command: its JetStream, the
// context its requests run in, and done, which ends both.
func session(given string) (jetstream.JetStream, context.Context, func(), error) {
	nc, js, err := connect(given)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	return js, ctx, func() { cancel(); nc.Close() }, nil
}
