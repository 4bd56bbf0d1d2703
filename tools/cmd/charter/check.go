package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charterhq/charter/tools/check"
	"github.com/mattn/go-isatty"
)

func init() {
	commands["check"] = command{
		summary: "test a running service against its spec with generated requests",
		run:     runCheck,
	}
}

// runCheck is charter check: exit 0 when every check passes, 1 when one
// fails, 2 when the run could not happen.
func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("charter check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "", "the OpenAPI spec of the service (required)")
	url := fs.String("url", "", "the base URL of the running service, e.g. http://localhost:8080 (required)")
	token := fs.String("token", "", "a bearer token sent with every request that needs one")
	only := fs.String("checks", "", "comma-separated checks to run (default all: "+strings.Join(check.Checks(), ",")+")")
	skip := fs.String("skip-checks", "", "comma-separated checks to switch off")
	maxExamples := fs.Int("max-examples", 100, "cases drawn per property")
	seed := fs.Uint64("seed", 0, "the seed to replay a run with (0 draws one)")
	shrinkLimit := fs.Int("shrink-limit", check.DefaultShrinkLimit, "requests that shrinking one failure may send (0 reports it unshrunk)")
	junit := fs.String("junit", "", "write a JUnit XML report to this file")
	stateless := fs.Bool("no-stateful", false, "skip the stateful create/update/delete sequences")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: charter check --spec api/x.yaml --url http://localhost:8080 [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *spec == "" || *url == "" {
		fmt.Fprintln(stderr, "charter check: --spec and --url are required")
		fs.Usage()
		return 2
	}
	// From the file, not its bytes: its $refs into other files
	// (shared/components.yaml) resolve relative to where it is.
	doc, err := check.LoadSpecFile(*spec)
	if err != nil {
		fmt.Fprintf(stderr, "charter check: %v\n", err)
		return 2
	}
	opts := []check.Option{check.WithMaxExamples(*maxExamples), check.WithSeed(*seed), check.WithShrinkLimit(*shrinkLimit)}
	if *token != "" {
		opts = append(opts, check.WithToken(*token))
	}
	if *only != "" {
		opts = append(opts, check.WithChecks(splitList(*only)...))
	}
	if *skip != "" {
		opts = append(opts, check.WithoutChecks(splitList(*skip)...))
	}
	if *stateless {
		opts = append(opts, check.WithoutStateful())
	}
	if f, ok := stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		opts = append(opts, check.WithProgress(progressBar(stderr)))
	}
	rep, err := check.Execute(doc, check.URL(*url), opts...)
	if err != nil {
		fmt.Fprintf(stderr, "charter check: %v\n", err)
		return 2
	}
	for _, f := range rep.Failures {
		fmt.Fprintln(stdout, f.String())
	}
	rep.Summary(stdout)
	if *junit != "" {
		if err := writeJUnit(*junit, rep); err != nil {
			fmt.Fprintf(stderr, "charter check: %v\n", err)
			return 2
		}
	}
	if rep.Failed() {
		fmt.Fprintf(stdout, "replay with --seed %d\n", rep.Seed)
		return 1
	}
	return 0
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func writeJUnit(path string, rep *check.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.JUnit(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// progressBar draws one line per operation, redrawn in place as its
// properties finish.
func progressBar(w io.Writer) func(check.Progress) {
	const width = 20
	return func(p check.Progress) {
		filled := width * p.Done / p.Total
		fmt.Fprintf(w, "\r%-24s [%s%s] %d/%d %-10s", p.Operation,
			strings.Repeat("#", filled), strings.Repeat(".", width-filled), p.Done, p.Total, p.Phase)
		if p.Done == p.Total {
			fmt.Fprintln(w)
		}
	}
}
