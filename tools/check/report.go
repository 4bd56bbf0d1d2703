package check

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charterhq/charter/tools/junit"
)

// Outcome is the result of one check on one operation.
type Outcome int

// The outcomes, from least to most telling; a cell of the summary keeps
// the most telling one it saw.
const (
	// Skipped: the check was off or never applied to the operation.
	Skipped Outcome = iota
	// Passed: the check applied to at least one case and never failed.
	Passed
	// Failed: the check failed on at least one case.
	Failed
)

// String returns the word the summary table shows.
func (o Outcome) String() string {
	switch o {
	case Passed:
		return "passed"
	case Failed:
		return "FAILED"
	}
	return "skipped"
}

// Failure is one check that failed, shrunk to its smallest case.
type Failure struct {
	// Check is the name of the check that failed.
	Check string
	// Operation is the operation whose response failed it.
	Operation string
	// Seed replays the run (WithSeed, --seed).
	Seed uint64
	// Message says what was wrong with the last response.
	Message string
	// Requests is the sequence that reproduces it, in order, and Steps
	// the same as data, with the ids the server chose taken from the
	// responses that returned them (see ReplayFile).
	Requests []Request
	Steps    []Step
	// Base is the URL the curl commands point at.
	Base string
	// FoundAfter is how long into the run the first failing case came,
	// before shrinking, and FoundAfterRequests how many requests the run
	// had sent by then. The time depends on the machine; the count, like
	// everything else in a failure, only on the seed.
	FoundAfter         time.Duration
	FoundAfterRequests int
	// ShrinkRequests counts the requests sent to shrink the failing
	// case, and ShrinkLimited is true when shrinking stopped at its
	// limit (WithShrinkLimit) rather than because no smaller case failed.
	ShrinkRequests int
	ShrinkLimited  bool
}

// String prints the failure: the check, the seed and curl commands.
func (f Failure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "check %s failed on %s (seed %d)\n%s\n", f.Check, f.Operation, f.Seed, indent(f.Message))
	fmt.Fprintf(&b, "  found after %v (%d requests into the run)", f.FoundAfter.Round(time.Millisecond), f.FoundAfterRequests)
	switch {
	case f.ShrinkLimited:
		fmt.Fprintf(&b, "; shrinking stopped at its limit of requests (%d sent): a smaller case may exist\n", f.ShrinkRequests)
	case f.ShrinkRequests > 0:
		fmt.Fprintf(&b, "; shrunk in %d requests\n", f.ShrinkRequests)
	default:
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "  reproduce with %d request(s):\n", len(f.Requests))
	for _, r := range f.Requests {
		fmt.Fprintf(&b, "    %s\n", r.Curl(f.Base))
	}
	return b.String()
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n  ")
}

// Report is what a run found.
type Report struct {
	// Seed is the seed the run used; pass it to WithSeed to replay.
	Seed uint64
	// Operations lists the operations in the order they ran.
	Operations []string
	// Results holds the outcome of each check per operation.
	Results map[string]map[string]Outcome
	// Failures holds every failure, shrunk.
	Failures []Failure
	// Requests counts the requests sent.
	Requests int
	// Elapsed is how long the run took.
	Elapsed time.Duration
	// Created counts the resources the run created, all of which it
	// deletes at the end where the spec has a delete operation for
	// them; Leftovers lists those it could not delete.
	Created   int
	Leftovers []Leftover
}

// Failed reports whether any check failed.
func (r *Report) Failed() bool { return len(r.Failures) > 0 }

func (r *Report) mark(op, check string, o Outcome) {
	row := r.Results[op]
	if row == nil {
		row = map[string]Outcome{}
		r.Results[op] = row
	}
	if o > row[check] {
		row[check] = o
	}
}

// Summary writes the table of operations by checks.
func (r *Report) Summary(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprint(tw, "operation")
	for _, c := range Checks() {
		fmt.Fprintf(tw, "\t%s", c)
	}
	fmt.Fprintln(tw, "\t")
	for _, op := range r.Operations {
		fmt.Fprint(tw, op)
		for _, c := range Checks() {
			fmt.Fprintf(tw, "\t%s", r.Results[op][c])
		}
		fmt.Fprintln(tw, "\t")
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d request(s) in %v, seed %d: %d failure(s)", r.Requests, r.Elapsed.Round(time.Millisecond), r.Seed, len(r.Failures))
	if first, ok := r.firstFound(); ok {
		fmt.Fprintf(w, ", the first found after %v", first.Round(time.Millisecond))
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, r.litterLine())
}

// firstFound returns how long into the run the earliest failure came.
func (r *Report) firstFound() (time.Duration, bool) {
	if len(r.Failures) == 0 {
		return 0, false
	}
	first := r.Failures[0].FoundAfter
	for _, f := range r.Failures[1:] {
		first = min(first, f.FoundAfter)
	}
	return first, true
}

// JUnit writes the report as JUnit XML: one test suite per operation and
// one test case per check, so CI shows each failing check on its own.
func (r *Report) JUnit(w io.Writer) error {
	var out junit.Suites
	for _, op := range r.Operations {
		s := junit.Suite{Name: op}
		for _, c := range Checks() {
			tc := junit.Case{Name: c, Classname: op}
			switch r.Results[op][c] {
			case Failed:
				var text strings.Builder
				for _, f := range r.Failures {
					if f.Operation == op && f.Check == c {
						text.WriteString(f.String())
					}
				}
				tc.Failure = &junit.Failure{Message: c + " failed", Text: text.String()}
			case Skipped:
				tc.Skipped = &junit.Skipped{}
			}
			s.Add(tc)
		}
		out.Suites = append(out.Suites, s)
	}
	return junit.Write(w, out)
}
