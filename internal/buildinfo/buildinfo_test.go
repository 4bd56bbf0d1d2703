package buildinfo

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFormatNamesTheRevisionAndUncommittedChanges(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/charterhq/charter", Version: "v1.2.3-0.20261130031200-0123456789ab+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-11-30T03:12:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	got := From(bi).Format("charterd")
	for _, want := range []string{
		"charterd v1.2.3-0.20261130031200-0123456789ab+dirty\n",
		"module    github.com/charterhq/charter\n",
		"revision  0123456789abcdef0123456789abcdef01234567 (committed 2026-11-30T03:12:00Z) with uncommitted changes\n",
		"go        go1.26.8 ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Format lacks %q:\n%s", want, got)
		}
	}
}

func TestFormatSaysWhyTheRevisionIsUnknown(t *testing.T) {
	got := From(&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/charterhq/charter"}}).Format("charter")
	if !strings.HasPrefix(got, "charter (devel)\n") || !strings.Contains(got, "revision  unknown: the build recorded none") {
		t.Fatalf("Format of a build without version control information:\n%s", got)
	}
}

// A binary built with go build in a git clone names the commit it was
// built from, and says when the tree had uncommitted changes. The binary
// is a module of its own in a fresh repository, holding a copy of this
// package, so that the test does not depend on how the project itself is
// checked out.
func TestReadNamesTheCommitABinaryWasBuiltFrom(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skipf("git is not installed: %v", err)
	}
	dir := t.TempDir()
	src, err := os.ReadFile("buildinfo.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":                 "module example.com/stamped\n\ngo 1.26\n",
		"buildinfo/buildinfo.go": string(src),
		"main.go": `package main

import (
	"fmt"

	"example.com/stamped/buildinfo"
)

func main() { fmt.Print(buildinfo.Read().Format("stamped")) }
`,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		// The machine's go env may turn stamping off (GOFLAGS=-buildvcs=false);
		// the flag given below wins over it only when GOFLAGS is cleared here.
		cmd.Env = append(os.Environ(), "GOFLAGS=", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run(git, "init", "-q")
	run(git, "add", ".")
	run(git, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "stamped")
	head := strings.TrimSpace(run(git, "rev-parse", "HEAD"))

	bin := filepath.Join(dir, "stamped")
	run("go", "build", "-buildvcs=true", "-o", bin, ".")
	got := run(bin)
	if !strings.Contains(got, "revision  "+head+" (committed ") || strings.Contains(got, "uncommitted") {
		t.Fatalf("a clean build of %s says:\n%s", head, got)
	}
	if !strings.Contains(got, "module    example.com/stamped\n") {
		t.Fatalf("no module path:\n%s", got)
	}

	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(files["main.go"]+"\n// changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run("go", "build", "-buildvcs=true", "-o", bin, ".")
	if got := run(bin); !strings.Contains(got, head+" (committed ") || !strings.Contains(got, "with uncommitted changes") {
		t.Fatalf("a build with a changed file says:\n%s", got)
	}
}
