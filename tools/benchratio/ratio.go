// Package benchratio reads Go benchmark results and reports, for every
// pair of benchmarks named .../full and .../bare, the share of the bare
// handler's throughput that the full stack keeps: bare ns/op ÷ full ns/op.
//
// Each side is summarized by the median of its runs, with the 95%
// confidence interval of that median (golang.org/x/perf/benchmath, the
// statistics of benchstat), so that one run disturbed by the machine does
// not decide the figure. Run the benchmarks six times or more: fewer runs
// give no interval.
//
// The share kept pairs the runs: the i-th run of full with the i-th run
// of bare, and reports the median of their ratios with its 95% interval.
// make bench measures the set in rounds, one run of each benchmark per
// round, so a pair's two runs are a few hundred milliseconds apart and
// see the same machine. A ratio of the two sides' medians, which the
// report falls back to when the sides have different numbers of runs,
// would divide a median taken while the machine was fast by one taken
// while it was slow whenever its speed drifts between rounds.
package benchratio

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// Side is one side of a pair: its runs' ns/op and allocs/op.
type Side struct {
	NsPerOp     []float64
	AllocsPerOp []float64
}

// Pair is a full benchmark and its bare counterpart.
type Pair struct {
	// Package is the benchmarks' package path.
	Package string
	// Name is the benchmark name without the Benchmark prefix, the /full
	// or /bare suffix and GOMAXPROCS.
	Name string
	// Procs is the GOMAXPROCS suffix of the names ("-2"), if any.
	Procs      string
	Full, Bare Side
}

// label is how a report names the pair: the last element of its package
// and its name, with GOMAXPROCS only when the pair was also run with
// another one.
func label(p Pair, pairs []Pair) string {
	l := path.Base(p.Package) + " " + p.Name
	for _, o := range pairs {
		if o.Package == p.Package && o.Name == p.Name && o.Procs != p.Procs {
			return l + p.Procs
		}
	}
	return l
}

// Summary is what a pair measured.
type Summary struct {
	Full, Bare benchmath.Summary
	// Allocs are the median allocs/op of each side.
	FullAllocs, BareAllocs float64
	// Paired says whether Kept is the median of the runs' ratios (the
	// sides have as many runs) rather than the ratio of the medians.
	Paired bool
	// Kept is bare ns/op ÷ full ns/op, with its 95% interval KeptLow to
	// KeptHigh: paired, the interval of the median ratio; otherwise the
	// ends of the two medians' intervals divided, a conservative one
	// (both sides at their worst at once). NaN when there were too few
	// runs for an interval.
	Kept, KeptLow, KeptHigh float64
}

// Summarize computes a pair's medians and ratio.
func (p Pair) Summarize() Summary {
	var s Summary
	s.Full = summary(p.Full.NsPerOp)
	s.Bare = summary(p.Bare.NsPerOp)
	s.FullAllocs = median(p.Full.AllocsPerOp)
	s.BareAllocs = median(p.Bare.AllocsPerOp)
	// Too few runs give no interval (benchmath needs about six).
	s.KeptLow, s.KeptHigh = math.NaN(), math.NaN()
	if ratios, ok := pairedRatios(p.Full.NsPerOp, p.Bare.NsPerOp); ok {
		r := summary(ratios)
		s.Paired, s.Kept = true, r.Center
		if known(r) {
			s.KeptLow, s.KeptHigh = r.Lo, r.Hi
		}
		return s
	}
	if s.Full.Center > 0 {
		s.Kept = s.Bare.Center / s.Full.Center
	}
	if known(s.Full) && known(s.Bare) {
		s.KeptLow = s.Bare.Lo / s.Full.Hi
		s.KeptHigh = s.Bare.Hi / s.Full.Lo
	}
	return s
}

// pairedRatios divides the i-th bare run by the i-th full run, when the
// sides have as many runs and none is zero.
func pairedRatios(full, bare []float64) ([]float64, bool) {
	if len(full) == 0 || len(full) != len(bare) {
		return nil, false
	}
	ratios := make([]float64, len(full))
	for i := range full {
		if full[i] <= 0 {
			return nil, false
		}
		ratios[i] = bare[i] / full[i]
	}
	return ratios, true
}

// known reports whether s has a confidence interval.
func known(s benchmath.Summary) bool {
	return s.Lo > 0 && s.Hi > 0 && !math.IsNaN(s.Lo) && !math.IsNaN(s.Hi) && !math.IsInf(s.Hi, 0)
}

var thresholds = benchmath.DefaultThresholds

func summary(values []float64) benchmath.Summary {
	if len(values) == 0 {
		return benchmath.Summary{}
	}
	// NewSample sorts what it is given: a copy keeps the runs in their
	// order, which pairs them.
	return benchmath.AssumeNothing.Summary(benchmath.NewSample(slices.Clone(values), &thresholds), 0.95)
}

func median(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	v := slices.Clone(values)
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// Read parses the output of go test -bench and returns the full/bare
// pairs in the order their first result appeared. A pair whose other
// side is missing is left out.
func Read(r io.Reader) ([]Pair, error) {
	br := benchfmt.NewReader(r, "")
	index := map[string]int{}
	var pairs []Pair
	var sides []map[string]bool
	for br.Scan() {
		res, ok := br.Result().(*benchfmt.Result)
		if !ok {
			continue // a syntax error or a unit line: not a result
		}
		base, parts := res.Name.Parts()
		// The last part is GOMAXPROCS ("-2") when present: runs with
		// different GOMAXPROCS are different pairs.
		procs := ""
		if n := len(parts); n > 0 && len(parts[n-1]) > 0 && parts[n-1][0] == '-' {
			procs = string(parts[n-1])
			parts = parts[:n-1]
		}
		if len(parts) == 0 {
			continue
		}
		kind := string(bytes.TrimPrefix(parts[len(parts)-1], []byte("/")))
		if kind != "full" && kind != "bare" {
			continue
		}
		name := strings.TrimPrefix(string(base), "Benchmark") + string(bytes.Join(parts[:len(parts)-1], nil))
		pkgPath := res.GetConfig("pkg")
		key := pkgPath + " " + name + procs
		i, seen := index[key]
		if !seen {
			i = len(pairs)
			index[key] = i
			pairs = append(pairs, Pair{Package: pkgPath, Name: name, Procs: procs})
			sides = append(sides, map[string]bool{})
		}
		side := &pairs[i].Full
		if kind == "bare" {
			side = &pairs[i].Bare
		}
		if ns, ok := res.Value("sec/op"); ok {
			side.NsPerOp = append(side.NsPerOp, ns*1e9)
		}
		if allocs, ok := res.Value("allocs/op"); ok {
			side.AllocsPerOp = append(side.AllocsPerOp, allocs)
		}
		sides[i][kind] = true
	}
	if err := br.Err(); err != nil {
		return nil, err
	}
	out := pairs[:0]
	for i, p := range pairs {
		if sides[i]["full"] && sides[i]["bare"] {
			out = append(out, p)
		}
	}
	return out, nil
}

// Target is the least share of bare throughput a pair should keep. It
// applies to the pairs that have Element as one element of their name.
type Target struct {
	Element string
	Kept    float64
}

// ParseTarget parses "element=percent", for example "memory=70".
func ParseTarget(s string) (Target, error) {
	element, percent, ok := strings.Cut(s, "=")
	var t Target
	if !ok || element == "" {
		return t, fmt.Errorf("target %q: want element=percent, for example memory=70", s)
	}
	if _, err := fmt.Sscanf(percent, "%g", &t.Kept); err != nil || t.Kept <= 0 || t.Kept > 100 {
		return t, fmt.Errorf("target %q: the percent must be a number in (0, 100]", s)
	}
	t.Element, t.Kept = element, t.Kept/100
	return t, nil
}

// targetOf returns the target that applies to name, if any: the last one
// given whose element is in name.
func targetOf(name string, targets []Target) (Target, bool) {
	elements := strings.Split(name, "/")
	for i := len(targets) - 1; i >= 0; i-- {
		if slices.Contains(elements, targets[i].Element) {
			return targets[i], true
		}
	}
	return Target{}, false
}

// Report writes one line per pair: the medians, allocations, the share
// kept with its interval when there were enough runs, and the target when
// one applies. It returns
// the number of pairs whose median misses its target.
func Report(w io.Writer, pairs []Pair, targets []Target) (missed int) {
	if len(pairs) == 0 {
		return 0
	}
	fmt.Fprintf(w, "\nshare of bare throughput kept: bare ns/op ÷ full ns/op, the median of the runs' ratios (the i-th run of each side paired)\n"+
		"with its 95%% interval; * marks a pair whose sides have different numbers of runs: the ratio of their medians, with a conservative interval\n")
	fmt.Fprintf(w, "  %-32s %12s %12s %13s %8s %15s  %s\n", "pair", "full ns/op", "bare ns/op", "allocs f/b", "kept", "interval", "target")
	for _, p := range pairs {
		s := p.Summarize()
		verdict := ""
		if t, ok := targetOf(p.Name, targets); ok {
			verdict = fmt.Sprintf("%.0f%% ", 100*t.Kept)
			switch {
			case s.Kept < t.Kept:
				verdict += "NOT MET"
				missed++
			case math.IsNaN(s.KeptLow) || s.KeptLow >= t.Kept:
				verdict += "met"
			default:
				verdict += "met by the median; the interval reaches below"
			}
		}
		interval := "(need 6 runs)"
		if !math.IsNaN(s.KeptLow) {
			interval = fmt.Sprintf("%5.1f–%5.1f%%", 100*s.KeptLow, 100*s.KeptHigh)
		}
		mark := " "
		if !s.Paired {
			mark = "*"
		}
		fmt.Fprintf(w, "  %-32s %12.0f %12.0f %6.0f/%-6.0f %6.1f%%%s %15s  %s\n",
			label(p, pairs), s.Full.Center, s.Bare.Center, s.FullAllocs, s.BareAllocs,
			100*s.Kept, mark, interval, verdict)
	}
	return missed
}
