package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/charterhq/charter/tools/diff/benchspec"
)

// BenchmarkDiffLargeSpecs runs charter diff on a pair of ~2 MB specs, as
// CI would: by default, the Go SDK check included (its generated clients
// narrowed to what can differ), and wire-only (--no-sdk). Where oasdiff is
// on PATH, oasdiff breaking runs on the same files, the mark to stay
// under. Each reports its CPU time per run beside the wall time: on a
// busy machine the wall time says more about the machine.
func BenchmarkDiffLargeSpecs(b *testing.B) {
	dir := b.TempDir()
	base, next := filepath.Join(dir, "base.yaml"), filepath.Join(dir, "next.yaml")
	spec := benchspec.Spec(600, 400, 4, false)
	if err := os.WriteFile(base, spec, 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(next, benchspec.Spec(600, 400, 4, true), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name string
		args []string
	}{
		{"default", []string{"--codegen-config", "../../../gen/oapi-codegen.yaml"}},
		{"wire-only", []string{"--no-sdk"}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			args := append(append([]string{"diff"}, mode.args...), base, next)
			measureCPU(b, func() {
				// Exit 1: the pair holds breaking changes.
				if code := run(args, io.Discard, io.Discard); code != 1 {
					b.Fatalf("charter diff exit %d, want 1", code)
				}
			})
			b.ReportMetric(float64(len(spec))/(1<<20), "spec-MiB")
		})
	}
	b.Run("oasdiff-breaking", func(b *testing.B) {
		oasdiff, err := exec.LookPath("oasdiff")
		if err != nil {
			b.Skip("oasdiff is not on PATH (go install github.com/oasdiff/oasdiff@latest)")
		}
		measureCPU(b, func() {
			// oasdiff breaking exits 0 unless --fail-on is given.
			if out, err := exec.Command(oasdiff, "breaking", base, next).CombinedOutput(); err != nil {
				b.Fatalf("oasdiff: %v\n%.2000s", err, out)
			}
		})
	})
}

// measureCPU runs op b.N times and reports its CPU time per run.
func measureCPU(b *testing.B, op func()) {
	before, ok := cpuSeconds()
	for b.Loop() {
		op()
	}
	if after, _ := cpuSeconds(); ok {
		b.ReportMetric((after-before)/float64(b.N), "cpu-s/op")
	}
}
