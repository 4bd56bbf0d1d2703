package sdktest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestDocsInBrowser uses the docs of every service as a person does:
// Swagger UI at /docs in Chromium, driven by playwright-core (pinned in
// tools/sdktest/browser/package.json and its lock; it never downloads a
// browser), authorized with a bearer token through the Authorize dialog,
// then each service's list and create operations executed with what the
// page prefills and their answers checked; then the page of the service's
// event contract that /docs links (browser/docs.test.mjs). The
// screenshots of each step go to the directory the test logs.
func TestDocsInBrowser(t *testing.T) {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing(t, fmt.Sprintf("%s is not installed: the docs browser test needs Node.js and npm (Debian: nodejs npm)", tool))
		}
	}
	chromium := chromiumPath(t)
	root := repoRoot(t)
	dir := filepath.Join(root, "tools", "sdktest", "browser")
	c := running(t)

	artifacts := artifactsDir(t, root)
	t.Logf("screenshots in %s", artifacts)
	t.Setenv("CHARTER_CHROMIUM", chromium)
	t.Setenv("CHARTER_ARTIFACTS", artifacts)
	runScenario(t, c, dir, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	runScenario(t, c, dir, "node", "--test", "--test-reporter=spec", "docs.test.mjs")
	for _, shot := range []string{
		"materials-1-docs", "materials-2-authorize", "materials-3-listMaterials", "materials-4-createMaterial",
		"materials-5-events",
		"quotes-1-docs", "quotes-2-authorize", "quotes-3-listQuotes", "quotes-4-createQuote",
		"quotes-5-events",
	} {
		if fi, err := os.Stat(filepath.Join(artifacts, shot+".png")); err != nil || fi.Size() == 0 {
			t.Errorf("no screenshot %s.png: %v", shot, err)
		}
	}
}

// chromiumPath is the browser to drive: $CHARTER_CHROMIUM, else Debian's
// /usr/bin/chromium, else chromium on PATH. The test never downloads one.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHARTER_CHROMIUM"); p != "" {
		return p
	}
	if fileExists("/usr/bin/chromium") {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "Chromium is not installed (Debian: chromium) nor named by CHARTER_CHROMIUM: the docs browser test drives it")
	return ""
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
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
