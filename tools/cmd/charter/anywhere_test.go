package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestInstalledBinaryWorksAnywhere runs the built command from a directory
// that is not in a Go module, with and without the go command on PATH:
// the SDK check cannot run there, and the wire verdict and its exit code
// must stand, with a word on why the generated clients were not compared.
func TestInstalledBinaryWorksAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "charter")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	corpus, err := filepath.Abs("../../diff/testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	goDir := ""
	if p, err := exec.LookPath("go"); err == nil {
		goDir = filepath.Dir(p)
	}
	var noGo []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if dir != goDir {
			noGo = append(noGo, dir)
		}
	}
	for _, path := range []struct{ name, value string }{
		{"go on PATH", os.Getenv("PATH")},
		{"no go on PATH", strings.Join(noGo, string(filepath.ListSeparator))},
	} {
		for _, pair := range []struct {
			dir  string
			args []string
			code int
		}{
			{"operation-added", nil, 0},
			{"parameter-required-added", nil, 1},
			// A renamed schema breaks only Go code built on the
			// generated client, which is not compared here.
			{"sdk-type-renamed", nil, 0},
			// --sdk fail asks for the SDK check's verdict, which cannot
			// be had here.
			{"operation-added", []string{"--sdk", "fail"}, 2},
		} {
			t.Run(path.name+"/"+pair.dir+strings.Join(pair.args, ""), func(t *testing.T) {
				args := append(append([]string{"diff"}, pair.args...), filepath.Join(corpus, pair.dir, "base.yaml"), filepath.Join(corpus, pair.dir, "next.yaml"))
				cmd := exec.Command(bin, args...)
				cmd.Dir = t.TempDir()
				cmd.Env = append(os.Environ(), "PATH="+path.value, "GOFLAGS=-mod=mod", "GOPROXY=off")
				out, err := cmd.CombinedOutput()
				code := 0
				var exit *exec.ExitError
				if errors.As(err, &exit) {
					code = exit.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if code != pair.code {
					t.Fatalf("exit %d, want %d\n%s", code, pair.code, out)
				}
				// The report says why the SDK check did not run; with
				// exit 2 there is no report, and the error says it.
				want := "Go SDK (generated client): not compared: "
				if pair.code == 2 {
					want = "the generated Go clients cannot be compared here"
				}
				if !strings.Contains(string(out), want) {
					t.Errorf("want %q in the output:\n%s", want, out)
				}
			})
		}
	}
}
