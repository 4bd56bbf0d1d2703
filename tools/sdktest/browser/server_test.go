package browser

import (
	"bufio"
	"errors"
	"fmt"
	"io"
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

// server is charterd serve --dev running as its own process, as a user
// runs it, on free loopback ports over a temporary data directory.
type server struct {
	bin  string
	urls map[string]string // service name → base URL
}

// startupDeadline bounds the build and the start; a cold build on a busy
// machine takes minutes.
const startupDeadline = 5 * time.Minute

// docsLine is a line of the welcome charterd --dev prints: a service's
// title and the URL of its docs.
var docsLine = regexp.MustCompile(`^\s+(\S+)\s+(http://\S+)/docs$`)

// startServer builds services/cmd/charterd and serves every service.
func startServer(t *testing.T, root string) *server {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "charterd")
	build := exec.Command("go", "build", "-o", bin, "./services/cmd/charterd")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./services/cmd/charterd: %v\n%s", err, out)
	}

	cmd := exec.Command(bin, "serve", "--dev")
	cmd.Env = append(hermeticEnv(),
		"CHARTER_DATA_DIR="+t.TempDir(),
		"CHARTER_MATERIALS_ADDR=127.0.0.1:0",
		"CHARTER_QUOTES_ADDR=127.0.0.1:0",
		"CHARTER_DRAIN_TIMEOUT=0",
	)
	var logs syncBuffer
	cmd.Stderr = &logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start charterd: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(time.Minute):
			_ = cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("charterd's log:\n%s", logs.String())
		}
	})

	// The welcome lists each service's docs, then the tokens: by the time
	// it is printed every service listens.
	urls := make(chan map[string]string, 1)
	go func() {
		found := map[string]string{}
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := docsLine.FindStringSubmatch(sc.Text()); m != nil {
				found[strings.ToLower(m[1])] = m[2]
			}
			if strings.HasPrefix(sc.Text(), "Press Authorize") {
				urls <- found
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case u := <-urls:
		return &server{bin: bin, urls: u}
	case err := <-exited:
		t.Fatalf("charterd exited before serving: %v\n%s", err, logs.String())
	case <-time.After(startupDeadline):
		t.Fatalf("charterd printed no docs URLs within %v\n%s", startupDeadline, logs.String())
	}
	return nil
}

// token signs a development token for one of the demo roles.
func (s *server) token(t *testing.T, role string) string {
	t.Helper()
	cmd := exec.Command(s.bin, "token", "--role", role)
	cmd.Env = hermeticEnv()
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			err = fmt.Errorf("%w: %s", err, exit.Stderr)
		}
		t.Fatalf("charterd token --role %s: %v", role, err)
	}
	return strings.TrimSpace(string(out))
}

// hermeticEnv is the test's environment without the configuration a
// developer's shell may hold for their own charterd.
func hermeticEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "CHARTER_") || strings.HasPrefix(kv, "DATABASE_URL=") || strings.HasPrefix(kv, "OTEL_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
