package sdktest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestPythonSDKs runs the integrator scenarios of tools/sdktest/python with
// pytest against charterd: the SDKs of gen/sdk/python installed as packages
// into a virtual environment under var/sdktest that holds the pinned
// pytest and the SDKs' dependencies (tools/sdktest/python/requirements.txt).
func TestPythonSDKs(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		missing(t, "python3 is not installed: the Python SDK scenarios need it (Debian: python3 python3-venv)")
	}
	if err := exec.Command("python3", "-c", "import venv, ensurepip").Run(); err != nil {
		missing(t, "python3 cannot make virtual environments: the Python SDK scenarios need venv (Debian: python3-venv)")
	}
	root := repoRoot(t)
	dir := filepath.Join(root, "tools", "sdktest", "python")
	c := running(t)

	requirements := filepath.Join(dir, "requirements.txt")
	venv := filepath.Join(root, "var", "sdktest", "venv")
	python := filepath.Join(venv, "bin", "python")
	pip := []string{"-m", "pip", "--disable-pip-version-check", "--quiet"}
	// The environment is made again only when the requirements change.
	stamp := filepath.Join(venv, "installed-from.txt")
	want, err := os.ReadFile(requirements)
	if err != nil {
		t.Fatal(err)
	}
	if have, err := os.ReadFile(stamp); err != nil || !bytes.Equal(have, want) {
		if err := os.RemoveAll(venv); err != nil {
			t.Fatal(err)
		}
		runScenario(t, c, root, "python3", "-m", "venv", venv)
		runScenario(t, c, root, python, append(pip, "install", "-r", requirements)...)
		if err := os.WriteFile(stamp, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The SDKs as generated now; their dependencies are the pinned ones,
	// and pip check fails when an SDK asks for others.
	runScenario(t, c, root, python, append(pip, "install", "--no-deps", "--no-build-isolation", "--force-reinstall",
		filepath.Join("gen", "sdk", "python", "materials"), filepath.Join("gen", "sdk", "python", "quotes"))...)
	runScenario(t, c, root, python, "-m", "pip", "check")
	runScenario(t, c, dir, python, "-m", "pytest", "-v")
}
