package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/charterhq/charter/services/platform/host"
)

// rebuild builds a read model of a service again by replaying the events
// it is kept from, on the database and the broker the environment names,
// as charterd serve would use them: charterd rebuild quotes
// material-copies. Without arguments it lists the read models there are.
// The service may go on serving meanwhile.
func rebuild(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rebuild", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: charterd rebuild <service> <read model>")
		fmt.Fprintln(stderr, "\nThe read models:")
		for _, line := range host.ReadModels(services()) {
			fmt.Fprintln(stderr, "  "+line)
		}
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		for _, line := range host.ReadModels(services()) {
			fmt.Fprintln(stdout, line)
		}
		return nil
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return errors.New("rebuild takes a service and one of its read models")
	}
	service, model := fs.Arg(0), fs.Arg(1)
	cfg, err := host.FromEnv(getenv)
	if err != nil {
		return err
	}
	logger := host.NewLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	n, err := host.Rebuild(ctx, cfg, host.Options{Services: services(), Logger: logger, Getenv: getenv}, service, model)
	if err != nil {
		return fmt.Errorf("rebuild %s %s: %w", service, model, err)
	}
	_, err = fmt.Fprintf(stdout, "rebuilt %s %s from %d %s\n", service, model, n, plural(n, "event"))
	return err
}

// plural is word for n of them.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
