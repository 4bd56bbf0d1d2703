// Package sdktest runs the integrator scenarios of Charter's SDKs against
// the live server: it builds services/cmd/charterd, starts it on free
// loopback ports over a temporary data directory in development mode
// (demo data, the development signing key), mints a token per caller the
// scenarios need with `charterd token`, and runs each language's scenario
// with its usual runner, the URLs and tokens in its environment (see
// [Server.Env] for the variables).
//
// The scenarios themselves live beside this package, one directory per
// language (go/, typescript/, python/, browser/), each a project of its own
// that requires only the generated SDK of its language.
package sdktest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The callers a scenario acts as, by the name of their token in
// [Server.Tokens]; [Server.Env] passes each as CHARTER_TOKEN_<NAME>.
const (
	// Staff reads and changes every company's data.
	Staff = "staff"
	// External is a user of company [Company] with every scope.
	External = "external"
	// OtherCompany is a user of company [OtherCompanyID] with every scope:
	// what External creates does not exist for it.
	OtherCompany = "other_company"
	// Viewer is a user of company [Company] with the read scopes only.
	Viewer = "viewer"
)

// The companies of the external tokens. The demo data belongs to Company.
const (
	Company        = 1
	OtherCompanyID = 2
)

// Server is a charterd process serving every service for a test.
type Server struct {
	// URLs holds each service's base URL by service name ("materials",
	// "quotes"), such as http://127.0.0.1:41234.
	URLs map[string]string
	// Tokens holds a bearer token per caller (Staff, External,
	// OtherCompany, Viewer).
	Tokens map[string]string
	// Root is the repository's root directory.
	Root string
}

// Start builds charterd (once per test binary), starts it with every
// service on a free loopback port, waits until each is ready and stops it
// when t ends. It fails t when the server does not start.
func Start(t testing.TB) *Server {
	t.Helper()
	data := t.TempDir()
	s, stop, err := start(data)
	t.Cleanup(stop)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	sharedOnce sync.Once
	shared     *Server
	sharedErr  error
	stopShared = func() {}
)

// Shared is one server for every test of the binary that asks for it,
// started by the first; [Cleanup] stops it. Scenarios that only add data
// of their own share it, and the machine builds and starts one server.
func Shared(t testing.TB) *Server {
	t.Helper()
	sharedOnce.Do(func() {
		data, err := os.MkdirTemp("", "sdktest-data-")
		if err != nil {
			sharedErr = err
			return
		}
		var stop func()
		shared, stop, sharedErr = start(data)
		stopShared = func() {
			stop()
			_ = os.RemoveAll(data)
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// start starts charterd over the data directory data; stop stops it,
// whether or not it started.
func start(data string) (s *Server, stop func(), err error) {
	stop = func() {}
	bin, root, err := charterd()
	if err != nil {
		return nil, stop, err
	}
	env := append(withoutCharter(os.Environ()),
		"CHARTER_DATA_DIR="+data,
		"CHARTER_MATERIALS_ADDR=127.0.0.1:0",
		"CHARTER_QUOTES_ADDR=127.0.0.1:0",
		"CHARTER_DRAIN_TIMEOUT=0",
		"CHARTER_LOG_FORMAT=json",
	)
	cmd := exec.Command(bin, "serve", "--dev")
	cmd.Dir = data
	cmd.Env = env
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, stop, err
	}
	logPath := filepath.Join(data, "charterd.log")
	logs, err := os.Create(logPath)
	if err != nil {
		return nil, stop, err
	}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		_ = logs.Close()
		return nil, stop, fmt.Errorf("starting charterd: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		_ = logs.Close()
	}

	urls, err := readWelcome(stdout, exited, 5*time.Minute)
	if err != nil {
		return nil, stop, fmt.Errorf("charterd did not start: %v\n%s", err, tail(logPath))
	}
	for name, url := range urls {
		if err := waitReady(url, exited, 2*time.Minute); err != nil {
			return nil, stop, fmt.Errorf("%s did not become ready: %v\n%s", name, err, tail(logPath))
		}
	}
	s = &Server{URLs: urls, Tokens: map[string]string{}, Root: root}
	for company, names := range map[int][]string{Company: {Staff, External, Viewer}, OtherCompanyID: {External}} {
		tokens, err := mint(bin, env, company)
		if err != nil {
			return nil, stop, err
		}
		for _, name := range names {
			key := name
			if company == OtherCompanyID {
				key = OtherCompany
			}
			if tokens[name] == "" {
				return nil, stop, fmt.Errorf("charterd token --company %d printed no %s token", company, name)
			}
			s.Tokens[key] = tokens[name]
		}
	}
	return s, stop, nil
}

// Env is the environment a scenario runs in: the test's own plus (taking
// their place where the test's has them)
//
//	CHARTER_<SERVICE>_URL   each service's base URL (CHARTER_MATERIALS_URL, CHARTER_QUOTES_URL)
//	CHARTER_TOKEN_<CALLER>  each caller's bearer token (CHARTER_TOKEN_STAFF, CHARTER_TOKEN_EXTERNAL,
//	                        CHARTER_TOKEN_OTHER_COMPANY, CHARTER_TOKEN_VIEWER)
//	CHARTER_COMPANY_ID, CHARTER_OTHER_COMPANY_ID  the companies of the external tokens
func (s *Server) Env() []string {
	// exec keeps the last value of a variable set twice.
	env := os.Environ()
	for name, url := range s.URLs {
		env = append(env, "CHARTER_"+strings.ToUpper(name)+"_URL="+url)
	}
	for name, token := range s.Tokens {
		env = append(env, "CHARTER_TOKEN_"+strings.ToUpper(name)+"="+token)
	}
	return append(env,
		fmt.Sprintf("CHARTER_COMPANY_ID=%d", Company),
		fmt.Sprintf("CHARTER_OTHER_COMPANY_ID=%d", OtherCompanyID),
	)
}

// Command is name run with args in dir (absolute, or relative to the
// repository's root) and [Server.Env], its output going to the test's log.
func (s *Server) Command(t testing.TB, dir, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if !filepath.IsAbs(dir) {
		cmd.Dir = filepath.Join(s.Root, dir)
	}
	cmd.Env = s.Env()
	w := newLogWriter(t)
	cmd.Stdout, cmd.Stderr = w, w
	t.Cleanup(w.flush)
	return cmd
}

// Run runs name with args in dir (absolute, or relative to the
// repository's root) and
// [Server.Env], and fails t when it does not exit 0.
func (s *Server) Run(t testing.TB, dir, name string, args ...string) {
	t.Helper()
	if err := s.Command(t, dir, name, args...).Run(); err != nil {
		t.Fatalf("%s %s in %s: %v", name, strings.Join(args, " "), dir, err)
	}
}

// logWriter writes a command's output to the test's log, a line at a
// time as it comes.
type logWriter struct {
	t    testing.TB
	mu   *sync.Mutex
	line *[]byte
}

func newLogWriter(t testing.TB) logWriter {
	return logWriter{t: t, mu: new(sync.Mutex), line: new([]byte)}
}

func (w logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	*w.line = append(*w.line, p...)
	for {
		i := bytes.IndexByte(*w.line, '\n')
		if i < 0 {
			break
		}
		w.t.Log(string((*w.line)[:i]))
		*w.line = (*w.line)[i+1:]
	}
	return len(p), nil
}

// flush logs what is left of a last line without a line feed.
func (w logWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(*w.line) > 0 {
		w.t.Log(string(*w.line))
		*w.line = nil
	}
}

var (
	buildOnce sync.Once
	builtBin  string
	builtRoot string
	buildErr  error
)

// charterd builds services/cmd/charterd once per test binary and returns
// the binary and the repository's root.
func charterd() (bin, root string, err error) {
	buildOnce.Do(func() {
		out, err := exec.Command("go", "env", "GOMOD").Output()
		if err != nil {
			buildErr = fmt.Errorf("go env GOMOD: %w", err)
			return
		}
		builtRoot = filepath.Dir(strings.TrimSpace(string(out)))
		dir, err := os.MkdirTemp("", "sdktest-charterd-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "charterd")
		build := exec.Command("go", "build", "-o", builtBin, "./services/cmd/charterd")
		build.Dir = builtRoot
		if out, err := build.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build charterd: %v\n%s", err, out)
		}
	})
	return builtBin, builtRoot, buildErr
}

// Cleanup stops the [Shared] server and removes what the package built;
// call it from TestMain after m.Run.
func Cleanup() {
	stopShared()
	if builtBin != "" {
		_ = os.RemoveAll(filepath.Dir(builtBin))
	}
}

// Missing skips t because a tool a scenario needs is not installed, except
// under CI (CI set), which installs every tool (.ci/run) and must run
// every scenario: there it fails t.
func Missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s, and CI must run every scenario", why)
	}
	t.Skip(why)
}

// welcomeLine is a service's line in the development welcome:
// "  Materials  http://127.0.0.1:41234/docs".
var welcomeLine = regexp.MustCompile(`^\s+(\S.*?)\s+(http://\S+)/docs$`)

// readWelcome reads the addresses of the services from the welcome that
// charterd prints in development mode once every service listens, and
// then keeps draining its output.
func readWelcome(stdout io.Reader, exited <-chan error, within time.Duration) (map[string]string, error) {
	type result struct {
		urls map[string]string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		urls := map[string]string{}
		lines := bufio.NewScanner(stdout)
		lines.Buffer(make([]byte, 64*1024), 1024*1024)
		sent := false
		for lines.Scan() {
			line := lines.Text()
			if m := welcomeLine.FindStringSubmatch(line); m != nil && !sent {
				urls[strings.ToLower(m[1])] = m[2]
				continue
			}
			if len(urls) > 0 && !sent && strings.HasPrefix(line, "Press Authorize") {
				done <- result{urls: urls}
				sent = true
			}
		}
		if !sent {
			done <- result{err: errors.New("its output ended before it named the services' addresses")}
		}
	}()
	select {
	case r := <-done:
		return r.urls, r.err
	case err := <-exited:
		return nil, fmt.Errorf("it exited: %v", err)
	case <-time.After(within):
		return nil, fmt.Errorf("it named no addresses within %s", within)
	}
}

// waitReady polls url's /readyz until it answers 200.
func waitReady(url string, exited <-chan error, within time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/readyz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("/readyz answered %s", resp.Status)
		}
		last = err
		select {
		case err := <-exited:
			return fmt.Errorf("charterd exited: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("%v (last: %v)", ctx.Err(), last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// mint runs `charterd token --company company` and returns its tokens by
// role.
func mint(bin string, env []string, company int) (map[string]string, error) {
	cmd := exec.Command(bin, "token", "--company", fmt.Sprint(company))
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("charterd token --company %d: %w", company, err)
	}
	tokens := map[string]string{}
	for line := range strings.Lines(string(out)) {
		name, token, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if ok {
			tokens[name] = token
		}
	}
	return tokens, nil
}

// withoutCharter is env less Charter's own configuration, so that a
// developer's settings do not reach the server.
func withoutCharter(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "CHARTER_") || strings.HasPrefix(kv, "DATABASE_URL=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// tail is the end of the file at path, for a failure message.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
