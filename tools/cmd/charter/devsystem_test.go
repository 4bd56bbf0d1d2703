package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/stories/access"
)

// devSystem is charterd serve --dev, as make run starts it, on loopback
// ports over SQLite files in a directory of its own: the URL of each
// service and the development tokens its welcome prints.
type devSystem struct {
	urls   map[string]string
	tokens []devToken
}

type devToken struct{ name, token string }

var (
	docsLine  = regexp.MustCompile(`^  (\S+)\s+(http://\S+)/docs$`)
	tokenHead = regexp.MustCompile(`^  ([a-z]+) — `)
)

// startDevSystem builds charterd, starts it in development mode and reads
// the services' addresses and the tokens from what it prints.
func startDevSystem(t *testing.T) *devSystem {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "charterd")
	if out, err := exec.Command("go", "build", "-o", bin, "../../../services/cmd/charterd").CombinedOutput(); err != nil {
		t.Fatalf("go build charterd: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--dev")
	cmd.Env = append(os.Environ(),
		"CHARTER_DATA_DIR="+filepath.Join(dir, "var"),
		"CHARTER_MATERIALS_ADDR=127.0.0.1:0", "CHARTER_QUOTES_ADDR=127.0.0.1:0",
		"CHARTER_DRAIN_TIMEOUT=0", "CHARTER_RESPONSE_CHECK=strict", "DATABASE_URL=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs, err := os.Create(filepath.Join(dir, "charterd.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logs.Close()
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		if t.Failed() {
			b, _ := os.ReadFile(logs.Name())
			t.Logf("charterd's log:\n%s", b)
		}
	})
	welcome := make(chan *devSystem, 1)
	go func() { welcome <- readWelcome(stdout) }()
	select {
	case s := <-welcome:
		if len(s.urls) != 2 || len(s.tokens) == 0 {
			t.Fatalf("charterd's welcome named services %v and %d token(s)", s.urls, len(s.tokens))
		}
		return s
	case <-time.After(3 * time.Minute): // a hang guard, not a speed target
		b, _ := os.ReadFile(logs.Name())
		t.Fatalf("charterd printed no welcome; its log:\n%s", b)
	}
	return nil
}

// readWelcome reads the welcome charterd prints once every service
// listens, up to its curl example, and drains the rest.
func readWelcome(r io.Reader) *devSystem {
	s := &devSystem{urls: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	var name string
	for sc.Scan() {
		line := sc.Text()
		if m := docsLine.FindStringSubmatch(line); m != nil {
			s.urls[strings.ToLower(m[1])] = m[2]
			continue
		}
		if m := tokenHead.FindStringSubmatch(line); m != nil {
			name = m[1]
			continue
		}
		if name != "" && strings.HasPrefix(line, "  ey") {
			s.tokens = append(s.tokens, devToken{name, strings.TrimSpace(line)})
			name = ""
			continue
		}
		if strings.HasPrefix(line, "Or: curl") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, r) }()
	return s
}

// TestCheckPassesOnTheDevelopmentSystem runs charter check, as a user
// would after make run, against each service with each development token
// charterd prints (staff, an external user, a viewer): every check passes
// with the default settings, 400 and 422 counting as refusals of a valid
// request. A rule the schema cannot say is answered otherwise by the
// services (403 for what depends on the token, 409 for what depends on
// the state), so that no caller needs a flag to get a clean run.
func TestCheckPassesOnTheDevelopmentSystem(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs charterd")
	}
	sys := startDevSystem(t)
	names := map[string]bool{}
	for _, tok := range sys.tokens {
		names[tok.name] = true
	}
	for _, want := range []string{"staff", "external", "viewer"} {
		if !names[want] {
			t.Errorf("charterd printed no %s token (it printed %v)", want, names)
		}
	}
	for _, tok := range sys.tokens {
		for _, svc := range []string{"materials", "quotes"} {
			t.Run(tok.name+"/"+svc, func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				args := []string{"check", "--spec", "../../../api/" + svc + ".yaml", "--url", sys.urls[svc], "--token", tok.token}
				if code := run(args, &stdout, &stderr); code != 0 {
					t.Fatalf("charter check as %s on %s: exit %d, want 0\n%s%s", tok.name, svc, code, stdout.String(), stderr.String())
				}
				if !strings.Contains(stdout.String(), " 0 failure(s)") {
					t.Errorf("the summary does not say 0 failure(s):\n%s", stdout.String())
				}
			})
		}
	}
}

// TestCheckIsolatesTenantsOfTheDevelopmentSystem runs charter check with
// two identities of different companies, given as --token name@tenant=,
// against each service of the running system: what one creates, the
// other can neither reach nor list, and the run says so.
func TestCheckIsolatesTenantsOfTheDevelopmentSystem(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs charterd")
	}
	sys := startDevSystem(t)
	var company1 string
	for _, tok := range sys.tokens {
		if tok.name == "external" {
			company1 = tok.token
		}
	}
	if company1 == "" {
		t.Fatal("charterd printed no external token")
	}
	company2 := companyToken(t, 2)
	// Beside isolation, the stateful properties a service gives a
	// chance: a walk through every page of its list, and an update
	// read back.
	stateful := map[string][][2]string{
		"materials": {{"listMaterials", "pages_complete"}, {"updateMaterial", "update_persisted"}},
		"quotes":    {{"listQuotes", "pages_complete"}},
	}
	for svc, get := range map[string]string{"materials": "getMaterial", "quotes": "getQuote"} {
		t.Run(svc, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := []string{"check", "--spec", "../../../api/" + svc + ".yaml", "--url", sys.urls[svc],
				"--token", "one@company1=" + company1, "--token", "two@company2=" + company2}
			if code := run(args, &stdout, &stderr); code != 0 {
				t.Fatalf("charter check with two tenants on %s: exit %d, want 0\n%s%s", svc, code, stdout.String(), stderr.String())
			}
			if got := outcome(stdout.String(), get, "tenant_isolation"); got != "passed" {
				t.Errorf("tenant_isolation on %s is %q, want passed:\n%s", get, got, stdout.String())
			}
			for _, c := range stateful[svc] {
				if got := outcome(stdout.String(), c[0], c[1]); got != "passed" {
					t.Errorf("%s on %s is %q, want passed:\n%s", c[1], c[0], got, stdout.String())
				}
			}
			for _, secret := range []string{company1, company2} {
				if strings.Contains(stdout.String()+stderr.String(), secret) {
					t.Error("the output shows a token")
				}
			}
		})
	}
}

// companyToken signs a development token of an external user of company,
// with every scope, as charterd token signs the demo roles'.
func companyToken(t *testing.T, company int64) string {
	t.Helper()
	signer, err := auth.NewSigner(auth.DevelopmentConfig())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := signer.Sign(access.Caller{
		Subject: fmt.Sprintf("dev-external-%d", company), CompanyID: company, Roles: []access.Role{access.External},
		Scopes: []string{"materials:read", "materials:write", "quotes:read", "quotes:write"},
	}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// outcome reads the outcome of check on op from the summary table.
func outcome(summary, op, check string) string {
	var columns []string
	for _, line := range strings.Split(summary, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if fields[0] == "operation" {
			columns = fields
			continue
		}
		if fields[0] == op && len(fields) == len(columns) {
			for i, c := range columns {
				if c == check {
					return fields[i]
				}
			}
		}
	}
	return ""
}
