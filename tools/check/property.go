package check

import (
	"errors"
	"flag"
	"strconv"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// rapidMu serializes runs: rapid reads its settings (number of checks,
// seed) from process-wide flags, which a run sets for its duration.
var rapidMu sync.Mutex

// setRapidFlags points rapid at the run's settings and returns a function
// that restores the previous ones.
func setRapidFlags(checks int, seed uint64) (restore func()) {
	if !flag.Parsed() {
		// Outside go test (the CLI) rapid's use of testing.Short needs
		// the testing flags registered and parsed.
		testing.Init()
		_ = flag.CommandLine.Parse(nil)
	}
	set := map[string]string{
		"rapid.checks":     strconv.Itoa(checks),
		"rapid.seed":       strconv.FormatUint(seed, 10),
		"rapid.nofailfile": "true",
		"rapid.shrinktime": "30s",
		// Sequences of 10 steps on average reach create, update, get
		// often enough and shrink in a fraction of the time of 30 (rapid's
		// default).
		"rapid.steps": "10",
	}
	old := map[string]string{}
	for k, v := range set {
		f := flag.Lookup(k)
		if f == nil {
			continue
		}
		old[k] = f.Value.String()
		_ = f.Value.Set(v)
	}
	return func() {
		for k, v := range old {
			_ = flag.Lookup(k).Value.Set(v)
		}
	}
}

// errStop unwinds a property run when rapid calls FailNow on the quiet TB.
var errStop = errors.New("check: property failed")

// quietTB is the testing.TB rapid reports to. Failures are reported by the
// checker in its own words (check, seed, curl), so rapid's own log is
// dropped.
type quietTB struct {
	name   string
	failed bool
}

func (q *quietTB) Helper()               {}
func (q *quietTB) Name() string          { return q.name }
func (q *quietTB) Logf(string, ...any)   {}
func (q *quietTB) Log(...any)            {}
func (q *quietTB) Skipf(string, ...any)  { panic(errStop) }
func (q *quietTB) Skip(...any)           { panic(errStop) }
func (q *quietTB) SkipNow()              { panic(errStop) }
func (q *quietTB) Errorf(string, ...any) { q.failed = true }
func (q *quietTB) Error(...any)          { q.failed = true }
func (q *quietTB) Fatalf(string, ...any) { q.failed = true; panic(errStop) }
func (q *quietTB) Fatal(...any)          { q.failed = true; panic(errStop) }
func (q *quietTB) FailNow()              { q.failed = true; panic(errStop) }
func (q *quietTB) Fail()                 { q.failed = true }
func (q *quietTB) Failed() bool          { return q.failed }

// caseRun is the state of one property case: the requests it sent, and
// the check it is hunting once one has failed.
type caseRun struct {
	p        *property
	t        *rapid.T
	requests []Request
}

// property runs one rapid property until each of its checks has either
// failed (and been shrunk) or survived every case.
type property struct {
	r      *runner
	name   string
	checks []string
	// target is the check the current search shrinks for: the first
	// that failed. Pinning it keeps shrinking from wandering to a
	// different bug of the same operation.
	target string
	// last is the last failing case; rapid replays the minimal case
	// last, so after Check returns it holds the shrunk failure.
	last *Failure
	// found is when, into the run, the target first failed.
	found time.Duration
	// seen records which checks applied, per operation.
	seen map[[2]string]bool
}

// verify records verdicts of a response of op; a failing verdict of the
// target check (or the first failing one) fails the case.
func (c *caseRun) verify(op string, vs ...verdict) {
	p := c.p
	for _, v := range vs {
		if !p.active(v.check) || p.r.report.Results[op][v.check] == Failed {
			// A check already failed on this operation has been
			// reported; hunting it again would report it twice.
			continue
		}
		p.seen[[2]string{op, v.check}] = true
		if v.ok {
			continue
		}
		if p.target == "" {
			p.target, p.found = v.check, time.Since(p.r.start)
		}
		if v.check != p.target {
			continue
		}
		p.last = &Failure{Check: v.check, Operation: op, Seed: p.r.seed, Message: v.why, FoundAfter: p.found,
			Requests: append([]Request(nil), c.requests...), Base: p.r.base}
		// rapid only keeps a shrunk case that fails with the same
		// message, so the message names the check and not the
		// details, which change from case to case.
		c.t.Fatalf("%s failed on %s", v.check, op)
	}
}

// send sends r, recording it for the reproduction.
func (c *caseRun) send(r Request) *response {
	c.requests = append(c.requests, r)
	res, err := c.p.r.send(r)
	if err != nil {
		c.p.r.broken(err)
		c.t.Skip("target unreachable")
	}
	return res
}

func (p *property) active(check string) bool {
	for _, c := range p.checks {
		if c == check {
			return true
		}
	}
	return false
}

// run searches for failures of the property body until none is left.
func (p *property) run(body func(c *caseRun)) {
	p.seen = map[[2]string]bool{}
	for len(p.checks) > 0 && !p.r.stopped() {
		p.target, p.last = "", nil
		func() {
			defer func() {
				if v := recover(); v != nil && v != errStop {
					panic(v)
				}
			}()
			rapid.Check(&quietTB{name: "check/" + p.name}, func(t *rapid.T) {
				body(&caseRun{p: p, t: t})
			})
		}()
		if p.last == nil {
			break
		}
		p.r.failure(*p.last)
		p.checks = remove(p.checks, p.last.Check)
	}
	for k := range p.seen {
		p.r.report.mark(k[0], k[1], Passed)
	}
}

func remove(list []string, s string) []string {
	out := list[:0:0]
	for _, e := range list {
		if e != s {
			out = append(out, e)
		}
	}
	return out
}
