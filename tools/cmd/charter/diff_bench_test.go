package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/charterhq/charter/tools/diff/benchspec"
)

// BenchmarkDiffLargeSpecs runs charter diff on a pair of ~2 MB specs, as
// CI would: by default, the Go SDK check included (its generated clients
// narrowed to what can differ), and wire-only (--no-sdk).
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
			for b.Loop() {
				// Exit 1: the pair holds breaking changes.
				if code := run(args, io.Discard, io.Discard); code != 1 {
					b.Fatalf("charter diff exit %d, want 1", code)
				}
			}
			b.ReportMetric(float64(len(spec))/(1<<20), "spec-MiB")
		})
	}
}
