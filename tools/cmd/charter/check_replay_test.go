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

// TestCheckCommandReplaysOnAFreshServer writes the failures of a run
// with --replay-out and replays them with --replay on fresh servers: one
// with the bug, where the failure reproduces (exit 1), and one without,
// where it does not (exit 0).
func TestCheckCommandReplaysOnAFreshServer(t *testing.T) {
	file := filepath.Join(t.TempDir(), "replay.json")
	tokens := []string{"--token", "alice@a=" + tenantToken("a"), "--token", "bob@b=" + tenantToken("b")}
	srv := httptest.NewServer(plantedserver.New(plantedserver.TenantLeak))
	args := append([]string{"check", "--spec", plantedSpec, "--url", srv.URL, "--max-examples", "20", "--seed", "1", "--replay-out", file}, tokens...)
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	srv.Close()
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "--replay "+file) {
		t.Errorf("stdout does not say how to replay:\n%s", stdout.String())
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "planted:") {
		t.Errorf("the replay file holds a token:\n%s", b)
	}
	for _, tc := range []struct {
		name string
		bug  plantedserver.Bug
		want int
		out  string
	}{
		{"a fresh server with the bug reproduces it", plantedserver.TenantLeak, 1, "reproduces"},
		{"a fresh server without it does not", plantedserver.NoBug, 0, "does not reproduce"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fresh := httptest.NewServer(plantedserver.New(tc.bug))
			defer fresh.Close()
			var stdout, stderr bytes.Buffer
			args := append([]string{"check", "--replay", file, "--url", fresh.URL}, tokens...)
			if got := run(args, &stdout, &stderr); got != tc.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s\nfile:\n%s", got, tc.want, stdout.String(), stderr.String(), b)
			}
			out := stdout.String()
			for _, want := range []string{"check tenant_isolation on getWidget " + tc.out, `"Authorization: Bearer $TOKEN_BOB"`} {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "planted:") {
				t.Errorf("stdout shows a token:\n%s", out)
			}
		})
	}
	t.Run("a missing identity exits 2", func(t *testing.T) {
		fresh := httptest.NewServer(plantedserver.New(plantedserver.TenantLeak))
		defer fresh.Close()
		var stdout, stderr bytes.Buffer
		if got := run([]string{"check", "--replay", file, "--url", fresh.URL, "--token", "alice@a=" + tenantToken("a")}, &stdout, &stderr); got != 2 {
			t.Errorf("exit %d, want 2\n%s%s", got, stdout.String(), stderr.String())
		}
	})
}
