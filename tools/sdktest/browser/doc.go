// Package browser tests the services' docs in a real browser: Swagger UI
// at /docs of every service, in the system's Chromium driven by
// playwright-core (docs.test.mjs, its version pinned in package.json and
// package-lock.json; it never downloads a browser), against charterd
// serve --dev. The Go test starts the server and runs the scenario with
// node --test, so that make test runs it; it skips, saying why, where
// node, npm or Chromium is missing.
package browser
