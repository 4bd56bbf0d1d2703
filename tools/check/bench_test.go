package check_test

import (
	"testing"
	"time"

	"github.com/charterhq/charter/tools/check"
	"github.com/charterhq/charter/tools/check/testdata/plantedserver"
)

// BenchmarkThroughput runs every check over the bug-free planted server
// in-process, response validation on, and reports requests per second.
func BenchmarkThroughput(b *testing.B) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		b.Fatal(err)
	}
	var requests int
	var elapsed time.Duration
	for b.Loop() {
		rep, err := check.Execute(doc, check.Handler(plantedserver.New(plantedserver.NoBug)), check.WithTokenFactory(plantedserver.Token))
		if err != nil {
			b.Fatal(err)
		}
		if rep.Failed() {
			b.Fatal(rep.Failures[0])
		}
		requests += rep.Requests
		elapsed += rep.Elapsed
	}
	b.ReportMetric(float64(requests)/elapsed.Seconds(), "requests/s")
}

// BenchmarkFindPlantedBug reports, per planted bug, the time into a
// default run at which the bug's first failing case came (find-ms), the
// requests shrinking it took (shrink-requests), and the time of the whole
// run with shrinking (ns/op).
func BenchmarkFindPlantedBug(b *testing.B) {
	doc, err := check.LoadSpec(plantedserver.Spec)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range plantedCases {
		b.Run(string(tc.bug), func(b *testing.B) {
			var found time.Duration
			n, shrink := 0, 0
			for b.Loop() {
				rep, err := check.Execute(doc, check.Handler(plantedserver.New(tc.bug)), check.WithTokenFactory(plantedserver.Token))
				if err != nil {
					b.Fatal(err)
				}
				if len(rep.Failures) == 0 {
					b.Fatalf("%s not found", tc.bug)
				}
				found += rep.Failures[0].FoundAfter
				shrink += rep.Failures[0].ShrinkRequests
				n++
			}
			b.ReportMetric(float64(found.Microseconds())/1000/float64(n), "find-ms")
			b.ReportMetric(float64(shrink)/float64(n), "shrink-requests")
		})
	}
}
