package pgtest_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/sqldb/pgtest"
)

func start(t *testing.T) *pgtest.Server {
	t.Helper()
	s, err := pgtest.Start(context.Background())
	if errors.Is(err, pgtest.ErrNoBinaries) {
		t.Skipf("skipping the PostgreSQL tests: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestServer(t *testing.T) {
	s := start(t)
	a, b := s.NewDatabase(t), s.NewDatabase(t)
	if a == b {
		t.Fatalf("two databases share the URL %s", a)
	}
	db, err := sqlx.Open("pgx", a)
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	if err := db.Get(&pid, "SELECT pg_backend_pid()"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if !postmasterFor(s.URL("postgres")) {
		t.Fatal("no postgres process found for a running server")
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if alive(pid) {
		t.Errorf("backend %d still runs after Stop", pid)
	}
	if postmasterFor(s.URL("postgres")) {
		t.Error("postgres still runs after Stop")
	}
}

// TestNoOrphanWhenTheTestProcessDies starts a server from a child process
// that then exits without stopping it, as a crashed or killed test binary
// would, and checks that the server dies with it.
func TestNoOrphanWhenTheTestProcessDies(t *testing.T) {
	if os.Getenv("PGTEST_ABANDON") != "" {
		s := start(t)
		out, _ := os.Create(os.Getenv("PGTEST_ABANDON"))
		out.WriteString(s.URL("postgres"))
		out.Close()
		os.Exit(0) // no Stop, no cleanup
	}
	if _, err := pgtest.Binaries(); err != nil {
		t.Skipf("skipping the PostgreSQL tests: %v", err)
	}
	// The abandoned cluster's directory lands in one this test removes; the
	// server's user must be able to reach it.
	tmp, err := os.MkdirTemp("", "pgtest-abandoned-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	if err := os.Chmod(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(t.TempDir(), "url")
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoOrphanWhenTheTestProcessDies$")
	cmd.Env = append(os.Environ(), "PGTEST_ABANDON="+report, "TMPDIR="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	url, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; { // a hang guard, not a speed target
		if !postmasterFor(string(url)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("postgres for %s outlived the process that started it", url)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// postmasterFor reports whether a postgres process was started for the
// port in url ("postgres://postgres@127.0.0.1:PORT/...").
func postmasterFor(url string) bool {
	_, rest, _ := strings.Cut(url, "127.0.0.1:")
	port, _, _ := strings.Cut(rest, "/")
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		cmdline, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		args := strings.Split(string(cmdline), "\x00")
		if filepath.Base(args[0]) == "postgres" && strings.Contains(string(cmdline), "\x00-p\x00"+port+"\x00") {
			return true
		}
	}
	return false
}

func alive(pid int) bool {
	return syscall.Kill(pid, 0) == nil && !zombie(pid)
}

func zombie(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	return err == nil && strings.Contains(string(stat), ") Z ")
}

func TestHaltAndResume(t *testing.T) {
	s := start(t)
	t.Cleanup(func() { s.Stop() })
	url := s.NewDatabase(t)
	db, err := sqlx.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	if err := s.Halt(); err != nil {
		t.Fatal(err)
	}
	if postmasterFor(url) {
		t.Fatal("postgres still runs after Halt")
	}
	if err := db.Ping(); err == nil {
		t.Fatal("a halted server answered a ping")
	}
	if err := s.Resume(context.Background()); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Get(&n, "SELECT n FROM kept"); err != nil || n != 42 {
		t.Fatalf("after Resume: n = %d, err = %v; want the row written before Halt", n, err)
	}
	if err := s.Resume(context.Background()); err != nil {
		t.Errorf("Resume of a running server: %v", err)
	}
}
