package check

import (
	"errors"
	"flag"
	"strconv"
	"sync"
	"testing"
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
		// Shrinking is bounded by a count of requests (property.search);
		// rapid's time limit is put out of reach, as a time limit makes
		// the reproduction depend on how fast the machine is.
		"rapid.shrinktime": "24h",
	}
	return setFlags(set)
}

// setRapidRun sets how many cases the next properties draw and the seed
// they start from (each left as it is when zero), within a run (which
// holds rapidMu), and returns a function that restores the run's.
func setRapidRun(checks int, seed uint64) (restore func()) {
	set := map[string]string{}
	if checks > 0 {
		set["rapid.checks"] = strconv.Itoa(checks)
	}
	if seed != 0 {
		set["rapid.seed"] = strconv.FormatUint(seed, 10)
	}
	return setFlags(set)
}

// setFlags sets the flags that exist among set and returns a function
// that restores their previous values.
func setFlags(set map[string]string) (restore func()) {
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
	name string
	// failed is set when rapid reports a failure, which it does once
	// shrinking is over and before it replays the smallest case.
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
