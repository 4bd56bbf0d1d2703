package main

import (
	"strings"
	"testing"
)

func TestRunEchoesAndReports(t *testing.T) {
	in := "pkg: example.com/svc\nBenchmarkX/full-2 1000 1000 ns/op\nBenchmarkX/bare-2 1000 800 ns/op\nPASS\n"
	var out, errOut strings.Builder
	if code := run(strings.NewReader(in), &out, &errOut, nil); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), in) {
		t.Errorf("the input is not echoed first:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "svc X") || !strings.Contains(out.String(), "80.0%") {
		t.Errorf("no ratio for the pair:\n%s", out.String())
	}
}

func TestRunFailsWhenTheBenchmarksFailed(t *testing.T) {
	in := "pkg: example.com/svc\n--- FAIL: BenchmarkX/full\nFAIL\texample.com/svc\t0.1s\n"
	var out, errOut strings.Builder
	if code := run(strings.NewReader(in), &out, &errOut, nil); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
}
