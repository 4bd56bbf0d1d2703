package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The edits below are made to a copy of api/materials.yaml, the released
// baseline of the materials service.
const (
	isActiveProperty = "        is_active:\n          type: boolean\n          description: Whether the material can be used in new quotes.\n          example: true\n"
)

func edit(t *testing.T, spec string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		if strings.Count(spec, pairs[i]) != 1 {
			t.Fatalf("edit target %q is not unique in the spec", pairs[i])
		}
		spec = strings.Replace(spec, pairs[i], pairs[i+1], 1)
	}
	return spec
}

// apiDir lays out an api/ directory: next as api/materials.yaml and the
// repository's spec as its released baseline, each beside the shared
// components its $refs point into.
func apiDir(t *testing.T, next string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "api")
	if next == "" {
		next = released(t)
	}
	writeFile(t, filepath.Join(dir, "released", "materials.yaml"), released(t))
	writeFile(t, filepath.Join(dir, "released", "shared", "components.yaml"), sharedComponents(t))
	writeFile(t, filepath.Join(dir, "materials.yaml"), next)
	writeFile(t, filepath.Join(dir, "shared", "components.yaml"), sharedComponents(t))
	return dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func released(t *testing.T) string { return readFile(t, "../../../api/materials.yaml") }

// sharedComponents is api/shared/components.yaml, which the materials
// spec refers to.
func sharedComponents(t *testing.T) string { return readFile(t, "../../../api/shared/components.yaml") }

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// problemRequestID is the request_id property of the shared Problem.
const problemRequestID = "        request_id:\n          type: string\n          description: The ID of the request, to quote when asking for help.\n          example: 01JD2Y6S7M3Z9\n"

func runGate(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"diff"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// companyIDBlock is a company_id property of a schema, with its keywords.
var companyIDBlock = regexp.MustCompile(`(?m)^        company_id:\n(?:          .*\n)+`)

// removeCompanyID removes a property from the Material response and sets
// info.version to version.
func removeCompanyID(t *testing.T, version string) string {
	spec := released(t)
	// Other schemas may declare company_id too: the edit is the Material
	// schema's, whatever its description and example say.
	head, material, ok := strings.Cut(spec, "\n    Material:\n")
	property := companyIDBlock.FindString(material)
	if !ok || property == "" {
		t.Fatal("the spec has no Material schema with a company_id property")
	}
	spec = head + "\n    Material:\n" + strings.Replace(material, property, "", 1)
	return edit(t, spec,
		"required: [id, company_id, name, quality, thickness, is_active, created_at, updated_at]",
		"required: [id, name, quality, thickness, is_active, created_at, updated_at]",
		versionLine(t, spec), "  version: "+version+"\n")
}

// versionLine returns the info.version line of spec as it is, so that the
// edits hold whatever version the materials spec was last released at.
func versionLine(t *testing.T, spec string) string {
	t.Helper()
	line := regexp.MustCompile(`(?m)^  version: .*\n`).FindString(spec)
	if line == "" {
		t.Fatal("the spec has no info.version line")
	}
	return line
}

func TestGateFailsOnBreakingEditWithoutMajorBump(t *testing.T) {
	dir := apiDir(t, removeCompanyID(t, "1.1.0"))
	code, out, stderr := runGate(t, "--released", "--api", dir, "--no-sdk")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, stderr)
	}
	for _, want := range []string{"GET /materials/{material_id}", "response-property-removed", "Material.company_id", "/components/schemas/Material/properties/company_id", "FAIL"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestGatePassesOnBreakingEditWithMajorBump(t *testing.T) {
	dir := apiDir(t, removeCompanyID(t, "2.0.0"))
	code, out, stderr := runGate(t, "--released", "--api", dir, "--no-sdk")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, stderr)
	}
	if !strings.Contains(out, "accepted: major version bumped") || !strings.Contains(out, "recommended bump: major") {
		t.Errorf("report should list the accepted breaking changes:\n%s", out)
	}
}

func TestGatePassesOnOptionalFieldWithSDKCheck(t *testing.T) {
	next := edit(t, released(t), isActiveProperty, isActiveProperty+"        finish:\n          type: string\n          description: The surface finish.\n")
	dir := apiDir(t, next)
	code, out, stderr := runGate(t, "--released", "--api", dir, "--codegen-config", "../../../gen/oapi-codegen.yaml")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, stderr)
	}
	if !strings.Contains(out, "response-property-added") || !strings.Contains(out, "recommended bump: minor") {
		t.Errorf("report should list the new field and recommend a minor bump:\n%s", out)
	}
}

// TestSDKRenameIsReportedApart renames a schema: nothing changes on the
// wire, and code that names the generated type no longer compiles. That
// fails the gate only with --sdk fail.
func TestSDKRenameIsReportedApart(t *testing.T) {
	next := strings.ReplaceAll(released(t), "MaterialUpdate", "MaterialChange")
	dir := apiDir(t, next)
	for _, tc := range []struct {
		mode  string
		code  int
		label string // what the text report labels the finding with
	}{{"report", 0, "WARN "}, {"fail", 1, "ERROR"}} {
		code, out, _ := runGate(t, "--released", "--api", dir, "--codegen-config", "../../../gen/oapi-codegen.yaml", "--sdk", tc.mode)
		if code != tc.code || !strings.Contains(out, "sdk-incompatible") || !strings.Contains(out, "MaterialUpdate: removed") {
			t.Fatalf("--sdk %s: exit %d, want %d with an sdk-incompatible finding:\n%s", tc.mode, code, tc.code, out)
		}
		// ERROR is what fails the gate, and only that.
		if !strings.Contains(out, tc.label+" generated Go client: MaterialUpdate: removed") {
			t.Errorf("--sdk %s: the finding is not labelled %q:\n%s", tc.mode, tc.label, out)
		}
		if tc.code == 0 && strings.Contains(out, "ERROR") {
			t.Errorf("--sdk %s: a gate that passes labels a finding ERROR:\n%s", tc.mode, out)
		}
		for _, want := range []string{"Go SDK (generated client): 2 incompatible changes", "schemas renamed: types renamed: 2",
			"to keep it: x-go-name: MaterialUpdate", "0 breaking changes, 2 incompatible Go SDK changes", "recommended bump: patch"} {
			if !strings.Contains(out, want) {
				t.Errorf("--sdk %s: report lacks %q:\n%s", tc.mode, want, out)
			}
		}
		if strings.Contains(out, "request-") || strings.Contains(out, "response-") {
			t.Errorf("a rename changes nothing on the wire:\n%s", out)
		}
	}
}

// TestSDKFindingsAreGroupedByCause adds operationIds to every operation,
// which renames each generated method, and makes a request property
// optional, which makes its Go field a pointer: each cause is one group,
// capped, with the spec change that keeps the old Go API.
func TestSDKFindingsAreGroupedByCause(t *testing.T) {
	next := released(t)
	base := regexp.MustCompile(`(?m)^      operationId: .*\n`).ReplaceAllString(next, "")
	base = edit(t, base, "      required: [name, quality, thickness]\n", "      required: [name, quality, thickness, is_active]\n")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "base.yaml"), base)
	writeFile(t, filepath.Join(dir, "next.yaml"), next)
	writeFile(t, filepath.Join(dir, "shared", "components.yaml"), sharedComponents(t))
	code, out, stderr := runGate(t, filepath.Join(dir, "base.yaml"), filepath.Join(dir, "next.yaml"), "--codegen-config", "../../../gen/oapi-codegen.yaml")
	if code != 0 {
		t.Fatalf("exit %d, want 0: nothing breaks on the wire\n%s%s", code, out, stderr)
	}
	for _, want := range []string{
		"operationIds added or changed: methods, functions and types renamed: ",
		"to keep it: operationId: getMaterialsMaterialId",
		"… and ",
		"properties made optional or nullable: fields became pointers: 1",
		"to keep it: x-go-type-skip-optional-pointer: true",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "ERROR"); n > 15 {
		t.Errorf("%d ERROR lines: each cause lists at most a few\n%s", n, out)
	}
}

func TestIgnoredFindingsAreListed(t *testing.T) {
	dir := apiDir(t, removeCompanyID(t, "1.1.0"))
	ignore := "ignore:\n  - rule: response-property-removed\n    location: /components/schemas/Material/properties/company_id\n    reason: the field moved to the company resource\n"
	if err := os.WriteFile(filepath.Join(dir, ".breaking-ignore.yaml"), []byte(ignore), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runGate(t, "--released", "--api", dir, "--no-sdk", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", code, out, stderr)
	}
	var report struct {
		Results []struct {
			Findings []struct {
				Rule    string `json:"rule"`
				Ignored bool   `json:"ignored"`
				Reason  string `json:"reason"`
			} `json:"findings"`
		} `json:"results"`
		Summary struct {
			Ignored int `json:"ignored"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatal(err)
	}
	if report.Summary.Ignored == 0 || !report.Results[0].Findings[0].Ignored || report.Results[0].Findings[0].Reason == "" {
		t.Errorf("ignored findings must stay in the report with their reason:\n%s", out)
	}
}

func TestFormatsAndFailOn(t *testing.T) {
	deprecated := edit(t, released(t), "      operationId: listMaterials\n", "      operationId: listMaterials\n      deprecated: true\n")
	dir := apiDir(t, deprecated)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--format", "markdown"}, 0, "| 🟡 warning | GET /materials |"},
		{[]string{"--format", "junit"}, 0, "<testsuite name=\"materials.yaml\""},
		{[]string{"--fail-on", "warning"}, 1, "deprecated-without-sunset"},
		{[]string{"--fail-on", "warning", "--format", "junit"}, 1, "<failure message="},
		{[]string{"--format", "yaml"}, 2, ""},
	} {
		code, out, _ := runGate(t, append([]string{"--released", "--api", dir, "--no-sdk"}, tc.args...)...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%v: exit %d (want %d), output lacks %q:\n%s", tc.args, code, tc.code, tc.want, out)
		}
	}
}

func TestUnreadableSpecExits2WithFileAndLine(t *testing.T) {
	dir := apiDir(t, "openapi: 3.0.3\ninfo:\n  title: [broken\n")
	code, _, stderr := runGate(t, "--released", "--api", dir, "--no-sdk")
	if code != 2 || !strings.Contains(stderr, "materials.yaml:") {
		t.Fatalf("exit %d, want 2 with file:line, stderr %q", code, stderr)
	}
}

// TestGitMode compares api/ at a commit with the working tree, the way
// make breaking BASE=<ref> does.
func TestGitMode(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	repo := t.TempDir()
	gitRun := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	// The specs are read before the test moves into the repository.
	base, shared := released(t), sharedComponents(t)
	withoutCompanyID := removeCompanyID(t, "1.0.0")
	withoutRequestID := edit(t, shared, problemRequestID, "")
	api := filepath.Join(repo, "api")
	writeFile(t, filepath.Join(api, "materials.yaml"), base)
	writeFile(t, filepath.Join(api, "shared", "components.yaml"), shared)
	gitRun("init", "-q")
	gitRun("add", ".")
	gitRun("commit", "-qm", "base")
	wd, _ := os.Getwd()
	if err := os.Chdir(repo); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)

	t.Run("a change to the service's spec", func(t *testing.T) {
		writeFile(t, filepath.Join(api, "materials.yaml"), withoutCompanyID)
		defer writeFile(t, filepath.Join(api, "materials.yaml"), base)
		code, out, stderr := runGate(t, "--base", "HEAD", "--no-sdk")
		if code != 1 || !strings.Contains(out, "response-property-removed") {
			t.Fatalf("exit %d, want 1 with the removed field\n%s%s", code, out, stderr)
		}
	})
	// The base side's $refs must resolve to the shared components as
	// they were at the ref, not as they are in the working tree.
	t.Run("a change to the shared components only", func(t *testing.T) {
		writeFile(t, filepath.Join(api, "shared", "components.yaml"), withoutRequestID)
		defer writeFile(t, filepath.Join(api, "shared", "components.yaml"), shared)
		code, out, stderr := runGate(t, "--base", "HEAD", "--no-sdk")
		if code != 1 || !strings.Contains(out, "materials.yaml") || !strings.Contains(out, "Problem.request_id") {
			t.Fatalf("exit %d, want 1 with Problem.request_id removed from materials.yaml\n%s%s", code, out, stderr)
		}
	})
}

// TestSharedChangeIsReportedForTheService removes a property of the shared
// Problem: every operation of the service that answers with a problem
// loses it, and the gate says so for the service.
func TestSharedChangeIsReportedForTheService(t *testing.T) {
	dir := apiDir(t, "")
	writeFile(t, filepath.Join(dir, "shared", "components.yaml"), edit(t, sharedComponents(t), problemRequestID, ""))
	code, out, stderr := runGate(t, "--released", "--api", dir, "--no-sdk")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, stderr)
	}
	for _, want := range []string{"materials.yaml", "GET /materials/{material_id}", "response-property-removed", "Problem.request_id"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
