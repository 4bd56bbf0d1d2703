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
// that is not in a Go module, with and without the go command on PATH.
// The packages the generated clients import are built in, so the SDK
// check runs there too; only a client that imports another package (one
// a spec names in x-go-type-import) needs the go command and a module,
// and where it cannot have them the wire verdict and its exit code stand,
// with a word on why the clients were not compared.
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
	goType, err := filepath.Abs("../../diff/sdk/testdata/x-go-type-import")
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
			name string
			dir  string
			args []string
			code int
			want string
		}{
			{"additive", filepath.Join(corpus, "operation-added"), nil, 0, "Go SDK (generated client): 0 incompatible changes"},
			{"breaking", filepath.Join(corpus, "parameter-required-added"), nil, 1, "new required query parameter site"},
			// A renamed schema breaks only Go code built on the
			// generated client: reported apart, failing with --sdk fail.
			{"sdk-only", filepath.Join(corpus, "sdk-type-renamed"), nil, 0, "NewPart: removed"},
			{"sdk-only, --sdk fail", filepath.Join(corpus, "sdk-type-renamed"), []string{"--sdk", "fail"}, 1, "NewPart: removed"},
			// A client that imports github.com/google/uuid, which only
			// a module can provide.
			{"x-go-type-import", goType, nil, 1, "Go SDK (generated client): not compared: "},
			// --sdk fail asks for the SDK check's verdict, which cannot
			// be had there.
			{"x-go-type-import, --sdk fail", goType, []string{"--sdk", "fail"}, 2, "the generated Go clients cannot be compared here"},
		} {
			t.Run(path.name+"/"+pair.name, func(t *testing.T) {
				args := append(append([]string{"diff"}, pair.args...), filepath.Join(pair.dir, "base.yaml"), filepath.Join(pair.dir, "next.yaml"))
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
				if !strings.Contains(string(out), pair.want) {
					t.Errorf("want %q in the output:\n%s", pair.want, out)
				}
				if !strings.Contains(pair.want, "not compared") && strings.Contains(string(out), "not compared") {
					t.Errorf("the generated clients must be compared:\n%s", out)
				}
			})
		}
	}
}
