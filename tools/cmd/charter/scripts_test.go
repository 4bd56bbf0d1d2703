package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestScriptsKeepTheExitCode runs the gate the way CI and make do, on a
// spec it cannot read: exit 2 (the gate could not run) must reach the
// caller as 2, not as the 1 of a breaking change. go run turns every
// non-zero exit into 1, so the scripts build the binary and run it.
func TestScriptsKeepTheExitCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	broken := apiDir(t, "openapi: 3.0.3\ninfo:\n  title: [broken\n")

	t.Run(".ci/breaking exits 2", func(t *testing.T) {
		cmd := exec.Command(filepath.Join(root, ".ci", "breaking"), "--api", broken, "--no-sdk")
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Fatalf("err %v, want exit status 2\n%s", err, out)
		}
	})
	// make itself exits 2 whenever a recipe fails; what it reports is
	// the recipe's own code.
	t.Run("make breaking reports Error 2", func(t *testing.T) {
		if _, err := exec.LookPath("make"); err != nil {
			t.Skip("make not installed")
		}
		cmd := exec.Command("make", "-C", root, "breaking", "BASE=refs/heads/no-such-branch-for-this-test")
		out, _ := cmd.CombinedOutput()
		if !strings.Contains(string(out), "Error 2") {
			t.Fatalf("want make to report Error 2:\n%s", out)
		}
	})
}

func TestReleasedWithNoSpecsExits2(t *testing.T) {
	for name, dir := range map[string]string{
		"no directory":           filepath.Join(t.TempDir(), "api"),
		"an empty directory":     t.TempDir(),
		"specs but no baselines": withoutReleased(t),
	} {
		t.Run(name, func(t *testing.T) {
			code, out, stderr := runGate(t, "--released", "--api", dir, "--no-sdk")
			if code != 2 || strings.Contains(out, "PASS") || !strings.Contains(stderr, "no released specs") {
				t.Fatalf("exit %d, want 2 with a message and no verdict\nstdout: %s\nstderr: %s", code, out, stderr)
			}
		})
	}
}

// withoutReleased is an api/ directory whose specs were never released.
func withoutReleased(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "api")
	writeFile(t, filepath.Join(dir, "materials.yaml"), released(t))
	writeFile(t, filepath.Join(dir, "shared", "components.yaml"), sharedComponents(t))
	return dir
}
