package sdktest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// services are the services every scenario runs against.
var services = []string{"materials", "quotes"}

// live is `charterd serve --dev` running for the scenarios: every
// service on a free loopback port over SQLite in a directory of its own,
// with the demo tokens `charterd token` mints.
type live struct {
	// URLs are each service's base URL, by service name.
	URLs map[string]string
	// Tokens are the demo tokens, by role: staff, external (of company
	// 1) and viewer (of company 1, reading only).
	Tokens map[string]string
}

// Env is the environment a scenario runs with: CHARTER_<SERVICE>_URL and
// CHARTER_TOKEN_<ROLE> added to this process's.
func (c *live) Env() []string {
	env := os.Environ()
	for s, u := range c.URLs {
		env = append(env, "CHARTER_"+strings.ToUpper(s)+"_URL="+u)
	}
	for role, tok := range c.Tokens {
		env = append(env, "CHARTER_TOKEN_"+strings.ToUpper(role)+"="+tok)
	}
	return env
}

var (
	serverOnce sync.Once
	server     *live
	serverErr  error
	// stopServer ends the server once every test ran.
	stopServer = func() {}
)

func TestMain(m *testing.M) {
	code := m.Run()
	stopServer()
	os.Exit(code)
}

// running starts the server the first time a scenario needs it, and
// returns it.
func running(t *testing.T) *live {
	t.Helper()
	serverOnce.Do(func() { server, serverErr = start() })
	if serverErr != nil {
		t.Fatal(serverErr)
	}
	return server
}

// listening is the line host logs once a service accepts connections.
var listening = regexp.MustCompile(`msg=listening service=(\w+) addr=(\S+)`)

func start() (*live, error) {
	dir, err := os.MkdirTemp("", "charter-sdktest-")
	if err != nil {
		return nil, err
	}
	stop := []func(){func() { os.RemoveAll(dir) }}
	stopServer = func() {
		for i := len(stop) - 1; i >= 0; i-- {
			stop[i]()
		}
	}
	bin := filepath.Join(dir, "charterd")
	build := exec.Command(goCommand(), "build", "-o", bin, "github.com/charterhq/charter/services/cmd/charterd")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building charterd: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "serve", "--dev")
	cmd.Env = append(os.Environ(),
		"CHARTER_DATA_DIR="+filepath.Join(dir, "data"),
		"CHARTER_DRAIN_TIMEOUT=0",
		"CHARTER_LOG_FORMAT=text",
	)
	for _, s := range services {
		cmd.Env = append(cmd.Env, "CHARTER_"+strings.ToUpper(s)+"_ADDR=127.0.0.1:0")
	}
	cmd.Stdout = io.Discard
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	stop = append(stop, func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})

	// The log names the address each service listens on; the rest of it
	// is kept to tell why the server did not start.
	addrs := make(chan [2]string)
	var log bytes.Buffer
	var logMu sync.Mutex
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			logMu.Lock()
			log.WriteString(lines.Text() + "\n")
			logMu.Unlock()
			if m := listening.FindStringSubmatch(lines.Text()); m != nil {
				addrs <- [2]string{m[1], m[2]}
			}
		}
		cmd.Wait()
		close(exited)
	}()
	c := &live{URLs: map[string]string{}, Tokens: map[string]string{}}
	deadline := time.After(2 * time.Minute)
	for len(c.URLs) < len(services) {
		select {
		case a := <-addrs:
			c.URLs[a[0]] = "http://" + a[1]
		case <-exited:
			logMu.Lock()
			defer logMu.Unlock()
			return nil, fmt.Errorf("charterd exited before every service listened:\n%s", log.String())
		case <-deadline:
			logMu.Lock()
			defer logMu.Unlock()
			return nil, fmt.Errorf("charterd did not listen on every service within 2 minutes:\n%s", log.String())
		}
	}
	// The rest of the log is not read for addresses any more.
	go func() {
		for range addrs {
		}
	}()
	for _, u := range c.URLs {
		if err := ready(u + "/readyz"); err != nil {
			return nil, err
		}
	}

	out, err := exec.Command(bin, "token").Output()
	if err != nil {
		return nil, fmt.Errorf("charterd token: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		role, tok, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("charterd token printed %q, not a role and a token", line)
		}
		c.Tokens[role] = tok
	}
	for _, role := range []string{"staff", "external", "viewer"} {
		if c.Tokens[role] == "" {
			return nil, fmt.Errorf("charterd token printed no %s token", role)
		}
	}
	return c, nil
}

// ready polls url until it answers 200.
func ready(url string) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		cancel()
		if err == nil && resp.StatusCode == http.StatusOK {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer 200 within 2 minutes (last: %v)", url, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// goCommand is the go command of the toolchain running the tests.
func goCommand() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// repoRoot is the repository's root, two levels above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// missing skips t because a tool a scenario needs is not installed, except
// under CI, which installs every tool (.ci/run) and must run every
// scenario.
func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s, and CI must run every scenario", why)
	}
	t.Skip(why)
}

// runScenario runs cmd in dir with the server's environment and fails t
// with its output when it fails; the output is logged either way.
func runScenario(t *testing.T, c *live, dir string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = c.Env()
	out, err := cmd.CombinedOutput()
	t.Logf("%s %s:\n%s", name, strings.Join(args, " "), out)
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
}
