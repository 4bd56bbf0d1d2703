package browser

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// scenarioDeadline bounds the browser scenario: a hang, not a speed.
const scenarioDeadline = 10 * time.Minute

// TestDocsInBrowser opens /docs of every service in Chromium, authorizes
// through Swagger UI's dialog and runs each service's list and create
// operations with what the page prefills (docs.test.mjs). The screenshots
// go to the directory the test logs.
func TestDocsInBrowser(t *testing.T) {
	node := need(t, "node", "Node.js runs the browser scenario")
	chromium := chromiumPath(t)
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	installModules(t)
	artifacts := artifactsDir(t, root)
	srv := startServer(t, root)
	for _, name := range []string{"materials", "quotes"} {
		if srv.urls[name] == "" {
			t.Fatalf("charterd printed no docs URL for %s: %v", name, srv.urls)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), scenarioDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", "docs.test.mjs")
	cmd.Env = append(hermeticEnv(),
		"CHARTER_MATERIALS_URL="+srv.urls["materials"],
		"CHARTER_QUOTES_URL="+srv.urls["quotes"],
		"CHARTER_TOKEN_EXTERNAL="+srv.token(t, "external"),
		"CHARTER_CHROMIUM="+chromium,
		"CHARTER_ARTIFACTS="+artifacts,
		"NO_COLOR=1",
	)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test docs.test.mjs:\n%s", out)
	t.Logf("screenshots in %s", artifacts)
	if err != nil {
		t.Fatalf("the docs scenario failed: %v", err)
	}
	for _, shot := range []string{
		"materials-1-docs", "materials-2-authorize", "materials-3-listMaterials", "materials-4-createMaterial",
		"quotes-1-docs", "quotes-2-authorize", "quotes-3-listQuotes", "quotes-4-createQuote",
	} {
		if fi, err := os.Stat(filepath.Join(artifacts, shot+".png")); err != nil || fi.Size() == 0 {
			t.Errorf("no screenshot %s.png: %v", shot, err)
		}
	}
}

// need finds a program on PATH, or skips the test saying what it is for.
// Where CI is set, a missing program fails the test instead: CI installs
// everything and must never skip.
func need(t *testing.T, name, why string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, "%s is not installed (%s): %v", name, why, err)
	}
	return p
}

func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, and "+format, args...)
	}
	t.Skipf("skipping the docs browser test: "+format, args...)
}

// chromiumPath is the browser to drive: $CHARTER_CHROMIUM, else Debian's
// /usr/bin/chromium, else chromium on PATH. The test never downloads one.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHARTER_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "Chromium is not installed (apt-get install chromium), nor named by CHARTER_CHROMIUM")
	return ""
}

// installModules installs the pinned playwright-core with npm ci when
// node_modules does not hold what package-lock.json pins. A stamp of the
// lock file's hash says what the last install was made from.
func installModules(t *testing.T) {
	t.Helper()
	lock, err := os.ReadFile("package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(lock)
	want := hex.EncodeToString(sum[:])
	stamp := filepath.Join("node_modules", ".charter-lock-sha256")
	if got, err := os.ReadFile(stamp); err == nil && string(got) == want {
		return
	}
	npm := need(t, "npm", "npm installs playwright-core")
	ctx, cancel := context.WithTimeout(context.Background(), scenarioDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("npm ci in tools/sdktest/browser: %v\n%s", err, out)
	}
	if err := os.WriteFile(stamp, []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
}

// artifactsDir is where the screenshots go, emptied first:
// $CHARTER_TEST_ARTIFACTS/docs-browser, else var/test-artifacts/docs-browser
// in the repository (which git ignores).
func artifactsDir(t *testing.T, root string) string {
	t.Helper()
	base := os.Getenv("CHARTER_TEST_ARTIFACTS")
	if base == "" {
		base = filepath.Join(root, "var", "test-artifacts")
	}
	dir := filepath.Join(base, "docs-browser")
	if err := os.RemoveAll(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
