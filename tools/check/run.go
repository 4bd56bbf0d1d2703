// Package check is the property-based API tester: it draws requests from
// an OpenAPI spec (valid ones and ones that break exactly one
// constraint), sends them to a server in-process or at a URL, and checks
// each response against the contract. Stateful runs chain operations
// through the ids that creates return. Every failure is shrunk by rapid
// to a minimal case, within a bounded number of requests
// (WithShrinkLimit), and reported with its check, the seed, and curl
// commands that reproduce it; Report.ReplayFile holds the same sequences
// as data, ids taken from earlier responses, and Replay runs one on a
// fresh server. At the end a run deletes what it created.
//
// With several identities (WithIdentities), each stateful sequence runs as
// one of them, and what it creates is probed by an identity of another
// tenant, which must neither reach nor list it (tenant_isolation). Curl
// commands read tokens from $TOKEN_<NAME> and never print one.
//
// From a service's tests:
//
//	check.Run(t, spec, check.Handler(handler), check.WithTokenFactory(mint))
//
// From the command line: charter check --spec api/x.yaml --url http://localhost:8080.
package check

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Run checks the whole API of spec (its bytes, or a loaded document)
// against target, reporting each failure as an error of t. It returns
// the report for callers that want to look closer.
func Run[S []byte | *openapi3.T](t testing.TB, spec S, target Target, opts ...Option) *Report {
	t.Helper()
	var doc *openapi3.T
	switch s := any(spec).(type) {
	case []byte:
		d, err := LoadSpec(s)
		if err != nil {
			t.Fatal(err)
		}
		doc = d
	case *openapi3.T:
		doc = s
	}
	rep, err := Execute(doc, target, opts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures {
		t.Error(f.String())
	}
	if rep.Failed() {
		t.Logf("replay with check.WithSeed(%d)", rep.Seed)
	}
	return rep
}

// ErrUnreachable is returned by Execute when requests cannot be sent at
// all, e.g. nothing listens at the URL.
var ErrUnreachable = errors.New("check: target unreachable")

// Execute checks the API of doc against target and returns what it found.
// An error means the run could not happen (bad options, unreachable
// target); failed checks are in the report.
func Execute(doc *openapi3.T, target Target, opts ...Option) (*Report, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	for _, name := range append(append([]string(nil), cfg.only...), cfg.skip...) {
		if !known(name) {
			return nil, fmt.Errorf("check: unknown check %q (known: %v)", name, Checks())
		}
	}
	if err := validIdentities(cfg.identities); err != nil {
		return nil, err
	}
	if cfg.maxExamples < 1 {
		return nil, fmt.Errorf("check: max examples must be at least 1, got %d", cfg.maxExamples)
	}
	if cfg.shrinkLimit < 0 {
		return nil, fmt.Errorf("check: shrink limit must not be negative, got %d", cfg.shrinkLimit)
	}
	ops := operations(doc)
	for _, id := range slices.Sorted(maps.Keys(cfg.rejectedFor)) {
		if !slices.ContainsFunc(ops, func(o *operation) bool { return o.id == id }) {
			return nil, fmt.Errorf("check: rejected statuses for %q: the spec has no such operation", id)
		}
	}
	seed := cfg.seed
	if seed == 0 {
		seed = rand.Uint64N(1<<53) + 1
	}
	r := &runner{
		cfg:    cfg,
		target: target,
		ops:    ops,
		seed:   seed,
		base:   target.curlBase(cfg.curlBase),
		report: &Report{Seed: seed, Results: map[string]map[string]Outcome{}},
	}
	start := time.Now()
	r.start = start
	rapidMu.Lock()
	restore := setRapidFlags(cfg.maxExamples, seed)
	r.run()
	restore()
	rapidMu.Unlock()
	if r.err == nil {
		r.clean()
	}
	r.report.Elapsed = time.Since(start)
	if r.err != nil {
		return r.report, fmt.Errorf("%w: %v", ErrUnreachable, r.err)
	}
	return r.report, nil
}

func known(name string) bool {
	for _, c := range Checks() {
		if c == name {
			return true
		}
	}
	return false
}

// runner holds one run: its settings, the operations and the report.
type runner struct {
	cfg    config
	target Target
	ops    []*operation
	seed   uint64
	base   string
	report *Report
	start  time.Time

	// made lists what the run's creates made, and litter holds the
	// identity and path of each, for clean to delete at the end.
	made   []made
	litter map[string]bool
	// found holds, by identity name, the items a GET of the stateful
	// run found last (see world.found).
	found map[string]map[string]bool

	mu  sync.Mutex
	err error
}

func (r *runner) send(req Request) (*response, error) {
	r.report.Requests++
	res, err := r.target.do(req)
	if err == nil {
		r.drainEvents(res)
		r.record(req, res)
	}
	return res, err
}

// broken stops the run: once the target cannot be reached, every further
// case would fail the same way.
func (r *runner) broken(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

func (r *runner) stopped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err != nil
}

func (r *runner) failure(f Failure) {
	r.report.Failures = append(r.report.Failures, f)
	r.report.mark(f.Operation, f.Check, Failed)
}

// checksOf returns the enabled checks among names.
func (r *runner) checksOf(names ...string) []string {
	var out []string
	for _, n := range names {
		if r.cfg.enabled(n) {
			out = append(out, n)
		}
	}
	return out
}

func (r *runner) progress(op, phase string, done, total int) {
	if r.cfg.progress != nil {
		r.cfg.progress(Progress{Operation: op, Phase: phase, Done: done, Total: total})
	}
}

// run runs every property: per operation the examples, valid cases,
// invalid cases, auth and unsupported methods; then the stateful run.
func (r *runner) run() {
	for _, o := range r.ops {
		r.report.Operations = append(r.report.Operations, o.id)
		r.report.Results[o.id] = map[string]Outcome{}
	}
	for _, o := range r.ops {
		phases := []struct {
			name string
			fn   func(*operation)
		}{
			{"examples", r.examples},
			{"positive", r.positive},
			{"negative", r.negative},
			{"auth", r.auth},
			{"method", r.methods},
		}
		for i, ph := range phases {
			if r.stopped() {
				return
			}
			ph.fn(o)
			r.progress(o.id, ph.name, i+1, len(phases))
		}
	}
	if r.cfg.stateful && !r.stopped() {
		r.stateful()
		r.progress("stateful", "stateful", 1, 1)
	}
}
