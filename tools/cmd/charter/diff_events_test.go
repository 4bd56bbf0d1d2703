package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// eventsAPIDir lays out an api/ directory whose released baseline is the
// repository's materials spec and event contract, and whose working tree
// has the event contract next (the repository's when empty).
func eventsAPIDir(t *testing.T, next string) string {
	t.Helper()
	dir := apiDir(t, "")
	contract := readFile(t, "../../../api/events/materials.yaml")
	envelope := readFile(t, "../../../api/events/shared/cloudevents.yaml")
	if next == "" {
		next = contract
	}
	writeFile(t, filepath.Join(dir, "released", "events", "materials.yaml"), contract)
	writeFile(t, filepath.Join(dir, "released", "events", "shared", "cloudevents.yaml"), envelope)
	writeFile(t, filepath.Join(dir, "events", "materials.yaml"), next)
	writeFile(t, filepath.Join(dir, "events", "shared", "cloudevents.yaml"), envelope)
	return dir
}

// infoVersion is the first version line of a contract, its info.version.
var infoVersion = regexp.MustCompile(`(?m)^(  version: )\S+$`)

func TestGateComparesEventContracts(t *testing.T) {
	contract := readFile(t, "../../../api/events/materials.yaml")
	renamed := strings.Replace(contract, "address: charter.materials.material.deleted", "address: charter.materials.material.removed", 1)
	for _, tc := range []struct {
		name, next string
		code       int
		says       string
	}{
		{"unchanged", "", 0, "events/materials.yaml"},
		{"subject changed", renamed, 1, "event-subject-changed"},
		{"subject changed with a major bump", infoVersion.ReplaceAllString(renamed, "${1}99.0.0"), 0, "accepted: major version bumped"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The default --sdk report: the generated-client check runs on
			// OpenAPI pairs only.
			code, out, stderr := runGate(t, "--released", "--api", eventsAPIDir(t, tc.next), "--codegen-config", "../../../gen/oapi-codegen.yaml")
			if code != tc.code || !strings.Contains(out, tc.says) {
				t.Fatalf("exit %d, want %d, with %q in:\n%s%s", code, tc.code, tc.says, out, stderr)
			}
		})
	}
}
