package check

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
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
	// Requests is the sequence that reproduces it, in order.
	Requests []Request
	// Base is the URL the curl commands point at.
	Base string
	// FoundAfter is how long into the run the first failing case came,
	// before shrinking.
	FoundAfter time.Duration
}

// String prints the failure: the check, the seed and curl commands.
func (f Failure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "check %s failed on %s (seed %d)\n%s\n", f.Check, f.Operation, f.Seed, indent(f.Message))
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
	fmt.Fprintf(w, "\n%d request(s) in %v, seed %d: %d failure(s)\n", r.Requests, r.Elapsed.Round(time.Millisecond), r.Seed, len(r.Failures))
}

// JUnit writes the report as JUnit XML: one test suite per operation and
// one test case per check, so CI shows each failing check on its own.
func (r *Report) JUnit(w io.Writer) error {
	type failure struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
	type skipped struct{}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Failure   *failure `xml:"failure,omitempty"`
		Skipped   *skipped `xml:"skipped,omitempty"`
	}
	type suite struct {
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Skipped  int        `xml:"skipped,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	type suites struct {
		XMLName xml.Name `xml:"testsuites"`
		Suites  []suite  `xml:"testsuite"`
	}
	var out suites
	for _, op := range r.Operations {
		s := suite{Name: op}
		for _, c := range Checks() {
			tc := testcase{Name: c, Classname: op}
			switch r.Results[op][c] {
			case Failed:
				var text strings.Builder
				for _, f := range r.Failures {
					if f.Operation == op && f.Check == c {
						text.WriteString(f.String())
					}
				}
				tc.Failure = &failure{Message: c + " failed", Text: text.String()}
				s.Failures++
			case Skipped:
				tc.Skipped = &skipped{}
				s.Skipped++
			}
			s.Cases = append(s.Cases, tc)
			s.Tests++
		}
		out.Suites = append(out.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
