package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charterhq/charter/tools/check/testdata/plantedserver"
)

const plantedSpec = "../../check/testdata/plantedserver/widgets.yaml"

var allScopes = plantedserver.Token([]string{"widgets:read", "widgets:write"})

func TestCheckCommand(t *testing.T) {
	tests := []struct {
		name     string
		bug      plantedserver.Bug
		args     []string
		wantCode int
		wantOut  string
	}{
		{"a clean server exits 0 with a summary", plantedserver.NoBug, nil, 0, "0 failure(s)"},
		{"a failed check exits 1 with curl and seed", plantedserver.MissingField, nil, 1, "curl -i -X GET"},
		{"an unknown check exits 2", plantedserver.NoBug, []string{"--checks", "nope"}, 2, ""},
		{"a valid request refused with 422 fails by default", plantedserver.ValidRejected, nil, 1, "valid_accepted"},
		{"422 declared a legitimate refusal passes", plantedserver.ValidRejected, []string{"--rejected-statuses", "400"}, 0, "0 failure(s)"},
		{"a rejected status that is not one exits 2", plantedserver.NoBug, []string{"--rejected-statuses", "400,abc"}, 2, ""},
		{"422 declared a legitimate refusal of the operation that answers it passes", plantedserver.ValidRejected,
			[]string{"--rejected-statuses", "400,422", "--rejected-statuses", "createWidget=400"}, 0, "0 failure(s)"},
		{"422 declared a legitimate refusal of another operation fails", plantedserver.ValidRejected,
			[]string{"--rejected-statuses", "400", "--rejected-statuses", "createWidget=400,422"}, 1, "valid_accepted"},
		{"no status named for the operation passes", plantedserver.ValidRejected,
			[]string{"--rejected-statuses", "createWidget="}, 0, "0 failure(s)"},
		{"rejected statuses of an operation the spec lacks exit 2", plantedserver.NoBug,
			[]string{"--rejected-statuses", "createGadget=400"}, 2, ""},
		{"rejected statuses naming no operation exit 2", plantedserver.NoBug, []string{"--rejected-statuses", "=400"}, 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(plantedserver.New(tc.bug))
			defer srv.Close()
			junit := filepath.Join(t.TempDir(), "report.xml")
			args := append([]string{"check", "--spec", plantedSpec, "--url", srv.URL, "--token", allScopes,
				"--max-examples", "20", "--junit", junit}, tc.args...)
			var stdout, stderr bytes.Buffer
			if got := run(args, &stdout, &stderr); got != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tc.wantCode, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tc.wantOut, stdout.String())
			}
			if tc.wantCode == 2 {
				return
			}
			x, err := os.ReadFile(junit)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(x), `<testsuite name="listWidgets"`) {
				t.Errorf("junit report lacks the listWidgets suite:\n%s", x)
			}
		})
	}
}

func TestCheckCommandCannotRun(t *testing.T) {
	srv := httptest.NewServer(plantedserver.New(plantedserver.NoBug))
	url := srv.URL
	srv.Close() // nothing listens there any more
	for name, args := range map[string][]string{
		"no flags":           {"check"},
		"missing spec file":  {"check", "--spec", "does-not-exist.yaml", "--url", url},
		"unreachable target": {"check", "--spec", plantedSpec, "--url", url, "--max-examples", "5"},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run(args, &stdout, &stderr); got != 2 {
				t.Errorf("exit %d, want 2\n%s%s", got, stdout.String(), stderr.String())
			}
		})
	}
}

// TestCheckCommandFollowsRefsIntoOtherFiles checks a service whose spec
// takes its problem response and security scheme from a shared file, as
// the services' specs take theirs from api/shared/components.yaml.
func TestCheckCommandFollowsRefsIntoOtherFiles(t *testing.T) {
	spec, err := os.ReadFile(plantedSpec)
	if err != nil {
		t.Fatal(err)
	}
	split := strings.ReplaceAll(string(spec), `{$ref: "#/components/responses/Problem"}`, `{$ref: "shared/components.yaml#/components/responses/Problem"}`)
	own := "  securitySchemes:\n    bearerAuth: {type: http, scheme: bearer}\n  responses:\n    Problem:\n      description: An RFC 9457 problem.\n      content:\n        application/problem+json:\n          schema: {$ref: \"#/components/schemas/Problem\"}\n"
	if !strings.Contains(split, own) {
		t.Fatal("the planted spec's components are not as this test expects")
	}
	split = strings.Replace(split, own, "  securitySchemes:\n    bearerAuth: {$ref: \"shared/components.yaml#/components/securitySchemes/bearerAuth\"}\n", 1)
	shared := "openapi: 3.0.3\ninfo: {title: Shared, version: 1.0.0}\npaths: {}\ncomponents:\n" + own +
		"  schemas:\n    Problem:\n      type: object\n      required: [title, status]\n      properties:\n        title: {type: string}\n        status: {type: integer}\n        detail: {type: string}\n"
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{"widgets.yaml": split, "shared/components.yaml": shared} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(plantedserver.New(plantedserver.NoBug))
	defer srv.Close()
	var stdout, stderr bytes.Buffer
	args := []string{"check", "--spec", filepath.Join(dir, "widgets.yaml"), "--url", srv.URL, "--token", allScopes, "--max-examples", "20"}
	if got := run(args, &stdout, &stderr); got != 0 {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", got, stdout.String(), stderr.String())
	}
}

// tenantToken is a token of the planted server for tenant, with every scope.
func tenantToken(tenant string) string {
	return plantedserver.TenantToken(tenant)([]string{"widgets:read", "widgets:write"})
}

// TestCheckCommandActsAsSeveralIdentities finds the planted tenant leak
// with identities given by --token and by --auth, and never prints a
// token: the curl commands read them from $TOKEN_<NAME>.
func TestCheckCommandActsAsSeveralIdentities(t *testing.T) {
	dir := t.TempDir()
	authFile := filepath.Join(dir, "auth.yaml")
	t.Setenv("BOB_TOKEN", tenantToken("b"))
	file := "alice: {token: \"" + tenantToken("a") + "\", tenant: a}\nbob: {token_env: BOB_TOKEN, tenant: b}\n"
	if err := os.WriteFile(authFile, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, idArgs := range map[string][]string{
		"--token":       {"--token", "alice@a=" + tenantToken("a"), "--token", "bob@b=" + tenantToken("b")},
		"--auth":        {"--auth", authFile},
		"--token first": {"--token", "alice@a=" + tenantToken("a"), "--auth", filepath.Join(dir, "bob.json")},
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(dir, "bob.json"), []byte(`{"bob": {"token_env": "BOB_TOKEN", "tenant": "b"}}`), 0o600); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(plantedserver.New(plantedserver.TenantLeak))
			defer srv.Close()
			args := append([]string{"check", "--spec", plantedSpec, "--url", srv.URL, "--max-examples", "20", "--seed", "1"}, idArgs...)
			var stdout, stderr bytes.Buffer
			if got := run(args, &stdout, &stderr); got != 1 {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", got, stdout.String(), stderr.String())
			}
			out := stdout.String()
			for _, want := range []string{"check tenant_isolation failed on getWidget", `-H "Authorization: Bearer $TOKEN_BOB"`, "$TOKEN_ALICE (alice)"} {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "planted:") {
				t.Errorf("stdout shows a token:\n%s", out)
			}
		})
	}
}

func TestCheckCommandRefusesBadIdentities(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for name, args := range map[string][]string{
		"a plain token among named ones": {"--token", allScopes, "--token", "bob=x"},
		"an unknown field in --auth":     {"--auth", write("unknown.yaml", "alice: {tokn: x}\n")},
		"an empty token_env":             {"--auth", write("env.yaml", "alice: {token_env: CHARTER_CHECK_NO_SUCH_VARIABLE}\n")},
		"a missing --auth file":          {"--auth", filepath.Join(dir, "nope.yaml")},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"check", "--spec", plantedSpec, "--url", "http://127.0.0.1:1"}, args...)
			if got := run(args, &stdout, &stderr); got != 2 {
				t.Errorf("exit %d, want 2\n%s%s", got, stdout.String(), stderr.String())
			}
		})
	}
}
