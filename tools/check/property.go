package check

import (
	"runtime"
	"time"

	"pgregory.net/rapid"
)

// caseRun is the state of one property case: the requests it sent, and
// the check it is hunting once one has failed.
type caseRun struct {
	p        *property
	t        *rapid.T
	requests []Request
	// responses holds the response to each request, for the replay.
	responses []*response
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
	// last, so after a search it holds the shrunk failure (see search
	// for when shrinking stops at its limit).
	last *Failure
	// found is when, into the run, the target first failed, and
	// foundAt how many requests the run had sent by then.
	found   time.Duration
	foundAt int
	// shrunk counts the requests sent since the target first failed,
	// and limited records that shrinking stopped at the limit.
	shrunk  int
	limited bool
	// seen records which checks applied, per operation.
	seen map[[2]string]bool
	// examples is how many cases the property draws, and seed the
	// seed it starts from; the run's when zero.
	examples int
	seed     uint64
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
			p.target, p.found, p.foundAt = v.check, time.Since(p.r.start), p.r.report.Requests
		}
		if v.check != p.target {
			continue
		}
		p.last = &Failure{Check: v.check, Operation: op, Seed: p.r.seed, Message: v.why,
			Requests: append([]Request(nil), c.requests...), Steps: steps(c.requests, c.responses), Base: p.r.base,
			FoundAfter: p.found, FoundAfterRequests: p.foundAt}
		// rapid only keeps a shrunk case that fails with the same
		// message, so the message names the check and not the
		// details, which change from case to case.
		c.t.Fatalf("%s failed on %s", v.check, op)
	}
}

// send sends r, recording it for the reproduction.
func (c *caseRun) send(r Request) *response {
	c.requests = append(c.requests, r)
	if c.p.target != "" {
		c.p.shrunk++
	}
	res, err := c.p.r.send(r)
	if err != nil {
		c.p.r.broken(err)
		c.t.Skip("target unreachable")
	}
	c.responses = append(c.responses, res)
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
		p.target, p.last, p.shrunk, p.limited = "", nil, 0, false
		p.search(body)
		if p.last == nil {
			break
		}
		p.last.ShrinkRequests, p.last.ShrinkLimited = p.shrunk, p.limited
		p.r.failure(*p.last)
		p.checks = remove(p.checks, p.last.Check)
	}
	for k := range p.seen {
		p.r.report.mark(k[0], k[1], Passed)
	}
}

// search runs rapid over body once: it draws cases until one fails, then
// shrinks that one.
//
// Shrinking is bounded by a number of requests, not by time, so that a
// seed gives the same reproduction on any machine: rapid's own bound is a
// time limit, which the race detector on a loaded machine made cut
// shrinking short. Once the requests sent since the failure reach the
// limit, the next case rapid starts ends rapid with runtime.Goexit, which
// is why rapid runs in a goroutine of its own. Turning the rest of the
// candidates down one by one instead, at no request each, still took
// rapid's shrinker up to 93,000 of them and 2.6 s without the race
// detector. p.last then holds the last failing case, which is smaller
// than the case rapid had kept, as rapid only tries smaller ones.
func (p *property) search(body func(c *caseRun)) {
	tb := &quietTB{name: "check/" + p.name}
	done := make(chan any, 1)
	go func() {
		defer func() {
			// recover returns nil after Goexit.
			if v := recover(); v != errStop {
				done <- v
				return
			}
			done <- nil
		}()
		if p.examples > 0 || p.seed != 0 {
			defer setRapidRun(p.examples, p.seed)()
		}
		rapid.Check(tb, func(t *rapid.T) {
			// Once rapid has reported the failure (tb.failed),
			// shrinking is over and it replays the smallest case.
			if p.target != "" && p.shrunk >= p.r.cfg.shrinkLimit && !tb.failed {
				p.limited = true
				runtime.Goexit()
			}
			body(&caseRun{p: p, t: t})
		})
	}()
	if v := <-done; v != nil {
		panic(v)
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
