package diff_test

import (
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charterhq/charter/tools/diff"
	"github.com/charterhq/charter/tools/diff/benchspec"
)

// BenchmarkCompareLargeSpecs loads and compares two ~2 MB specs, the whole
// wire-level job of the gate for one spec; it reports the peak heap.
func BenchmarkCompareLargeSpecs(b *testing.B) {
	dir := b.TempDir()
	spec := benchspec.Spec(600, 400, 4, false)
	base := write(b, dir, "base.yaml", spec)
	next := write(b, dir, "next.yaml", benchspec.Spec(600, 400, 4, true))

	var peak, peakLive atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		// The heap in use (live objects, garbage not yet swept and free
		// slots in in-use spans), as runtime.MemStats.HeapInuse, read
		// without stopping the world.
		samples := []metrics.Sample{
			{Name: "/memory/classes/heap/objects:bytes"},
			{Name: "/memory/classes/heap/unused:bytes"},
			{Name: "/gc/heap/live:bytes"},
		}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			if v := samples[0].Value.Uint64() + samples[1].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			if v := samples[2].Value.Uint64(); v > peakLive.Load() {
				peakLive.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	var findings int
	b.ResetTimer()
	for b.Loop() {
		res, err := diff.ComparePair(diff.Pair{Name: "bench.yaml", Base: base, Next: next}, diff.Options{})
		if err != nil {
			b.Fatal(err)
		}
		findings = len(res.Findings)
	}
	b.StopTimer()
	close(done)
	<-stopped
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	// The largest heap a collection found live: the part of the peak that
	// the collector's headroom (GOGC) does not explain.
	b.ReportMetric(float64(peakLive.Load())/(1<<20), "peak-live-MiB")
	b.ReportMetric(float64(findings), "findings")
	b.ReportMetric(float64(len(spec))/(1<<20), "spec-MiB")
}
