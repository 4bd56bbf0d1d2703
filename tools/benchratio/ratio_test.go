package benchratio_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/charterhq/charter/tools/benchratio"
)

const output = `goos: linux
goarch: amd64
pkg: github.com/charterhq/charter/services/materials
cpu: Test CPU
BenchmarkStack/memory/get/full-2         	   51414	      8000 ns/op	    3553 B/op	      22 allocs/op
BenchmarkStack/memory/get/bare-2         	   82141	      4000 ns/op	    2033 B/op	      16 allocs/op
BenchmarkStack/memory/get/full-2         	   46378	      6000 ns/op	    3553 B/op	      22 allocs/op
BenchmarkStack/memory/get/bare-2         	   83215	      4500 ns/op	    2033 B/op	      16 allocs/op
BenchmarkStack/memory/get/full-2         	   48276	      5000 ns/op	    3553 B/op	      22 allocs/op
BenchmarkStack/memory/get/bare-2         	   84655	      4200 ns/op	    2033 B/op	      16 allocs/op
BenchmarkStack/sqlite/get/full-2         	   12321	     30000 ns/op	    5075 B/op	      72 allocs/op
BenchmarkStack/sqlite/get/bare-2         	   16706	     24000 ns/op	    3545 B/op	      57 allocs/op
BenchmarkOther-2                         	   10000	      1000 ns/op
BenchmarkLonely/full-2                   	   10000	      1000 ns/op
PASS
ok  	github.com/charterhq/charter/services/materials	14.022s
`

func TestReadPairsAndMedians(t *testing.T) {
	pairs, err := benchratio.Read(strings.NewReader(output))
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 2 {
		t.Fatalf("got %d pairs, want 2 (a lone full and an unpaired benchmark are left out): %+v", len(pairs), pairs)
	}
	p := pairs[0]
	if p.Package != "github.com/charterhq/charter/services/materials" || p.Name != "Stack/memory/get" || p.Procs != "-2" {
		t.Errorf("pair = %q %q %q, want services/materials Stack/memory/get -2", p.Package, p.Name, p.Procs)
	}
	s := p.Summarize()
	// Medians: full 6000 (not the mean 6333), bare 4200.
	if s.Full.Center != 6000 || s.Bare.Center != 4200 {
		t.Errorf("medians full %v bare %v, want 6000 and 4200", s.Full.Center, s.Bare.Center)
	}
	// Kept pairs the runs: 4000/8000, 4500/6000, 4200/5000 have the
	// median 0.75, where the ratio of the medians would be 0.7.
	if !s.Paired || math.Abs(s.Kept-0.75) > 1e-9 {
		t.Errorf("kept = %v (paired %v), want the median ratio 0.75", s.Kept, s.Paired)
	}
	if s.FullAllocs != 22 || s.BareAllocs != 16 {
		t.Errorf("allocs %v/%v, want 22/16", s.FullAllocs, s.BareAllocs)
	}
	if !math.IsNaN(s.KeptLow) || !math.IsNaN(s.KeptHigh) {
		t.Errorf("three runs gave the interval [%v, %v]; too few for one", s.KeptLow, s.KeptHigh)
	}
}

func TestIntervalWithEnoughRuns(t *testing.T) {
	var in strings.Builder
	in.WriteString("pkg: example.com/svc\n")
	for i := range 8 {
		fmt.Fprintf(&in, "BenchmarkX/full-2 1000 %d ns/op\nBenchmarkX/bare-2 1000 %d ns/op\n", 1000+10*i, 700+10*i)
	}
	pairs, err := benchratio.Read(strings.NewReader(in.String()))
	if err != nil || len(pairs) != 1 {
		t.Fatalf("Read = %v, %v", pairs, err)
	}
	s := pairs[0].Summarize()
	if math.IsNaN(s.KeptLow) || !(s.KeptLow < s.Kept && s.Kept < s.KeptHigh) {
		t.Errorf("interval [%v, %v] does not hold %v", s.KeptLow, s.KeptHigh, s.Kept)
	}
}

func TestReportTargets(t *testing.T) {
	pairs, err := benchratio.Read(strings.NewReader(output))
	if err != nil {
		t.Fatal(err)
	}
	var targets []benchratio.Target
	for _, s := range []string{"memory=70", "sqlite=85"} {
		tg, err := benchratio.ParseTarget(s)
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg)
	}
	var out strings.Builder
	missed := benchratio.Report(&out, pairs, targets)
	// memory keeps 75% (met); sqlite keeps 80% of 85% (missed).
	if missed != 1 {
		t.Errorf("missed = %d, want 1:\n%s", missed, out.String())
	}
	for _, want := range []string{"materials Stack/memory/get", "75.0%", "70% met", "80.0%", "85% NOT MET"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestParseTargetRefusesNonsense(t *testing.T) {
	for _, s := range []string{"memory", "=70", "memory=", "memory=abc", "memory=0", "memory=101"} {
		if _, err := benchratio.ParseTarget(s); err == nil {
			t.Errorf("ParseTarget(%q) accepted it", s)
		}
	}
}

func TestPairsKeepApartWhatDiffers(t *testing.T) {
	in := `pkg: example.com/services/materials
BenchmarkX/full 1000 1000 ns/op
BenchmarkX/bare 1000 800 ns/op
BenchmarkX/full-4 1000 900 ns/op
BenchmarkX/bare-4 1000 850 ns/op
pkg: example.com/stories/materials
BenchmarkX/full 1000 500 ns/op
BenchmarkX/bare 1000 400 ns/op
`
	pairs, err := benchratio.Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	// No GOMAXPROCS suffix (GOMAXPROCS=1) is still a pair; -4 is another
	// pair; the same name in another package with the same last element
	// is a third.
	if len(pairs) != 3 {
		t.Fatalf("got %d pairs, want 3: %+v", len(pairs), pairs)
	}
	var out strings.Builder
	benchratio.Report(&out, pairs, nil)
	for _, want := range []string{"materials X ", "materials X-4", "80.0%", "94.4%"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestUnevenSidesFallBackToTheMedians(t *testing.T) {
	in := `pkg: example.com/svc
BenchmarkX/full 1000 1000 ns/op
BenchmarkX/full 1000 2000 ns/op
BenchmarkX/full 1000 3000 ns/op
BenchmarkX/bare 1000 1500 ns/op
BenchmarkX/bare 1000 1500 ns/op
`
	pairs, err := benchratio.Read(strings.NewReader(in))
	if err != nil || len(pairs) != 1 {
		t.Fatalf("Read = %v, %v", pairs, err)
	}
	// Three runs against two cannot be paired: 1500 / 2000.
	if s := pairs[0].Summarize(); s.Paired || math.Abs(s.Kept-0.75) > 1e-9 {
		t.Errorf("kept = %v (paired %v), want the ratio of the medians 0.75, unpaired", s.Kept, s.Paired)
	}
	var out strings.Builder
	benchratio.Report(&out, pairs, nil)
	if !strings.Contains(out.String(), "75.0%*") {
		t.Errorf("report does not mark the unpaired ratio:\n%s", out.String())
	}
}
