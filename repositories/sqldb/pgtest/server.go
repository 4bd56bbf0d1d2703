// Package pgtest runs a throwaway PostgreSQL server from the machine's
// PostgreSQL binaries, so that tests prove the PostgreSQL repositories
// against the real thing without any set-up: initdb into a temporary
// directory, a server on a free loopback port, a fresh database per test.
//
// A test package uses the shared server like this:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		url := pgtest.NewDatabase(t) // skips when PostgreSQL is not installed
//		...
//	}
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver of the admin pool
)

// ErrNoBinaries is returned by Start when neither PATH nor
// /usr/lib/postgresql/*/bin holds initdb and postgres.
var ErrNoBinaries = errors.New("PostgreSQL binaries (initdb and postgres) not found on PATH or in /usr/lib/postgresql/*/bin")

// superuser is the role initdb creates and tests connect as, whatever the
// operating-system user the server runs as.
const superuser = "postgres"

// Server is a running throwaway PostgreSQL server. Its methods are safe for
// concurrent use.
type Server struct {
	dir   string // temporary directory: data, socket and log
	port  int
	bin   string              // directory of the PostgreSQL programs
	owner *syscall.Credential // the user they run as, or nil for this one
	admin *sql.DB             // to the "postgres" database, for CREATE DATABASE
	next  atomic.Int64        // number of the next database
	stop  sync.Once
	// mu guards the server process, which Halt and Resume replace.
	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when the server process has ended
	// stopped tells the cleanups of databases that the server, and so
	// every database, is already gone.
	stopped atomic.Bool
}

// Start initializes a cluster in a new temporary directory and starts a
// server on a free port of 127.0.0.1. When the process runs as root, which
// initdb and postgres refuse, both run as the "postgres" user, or "nobody"
// when there is none; the temporary directory (TMPDIR) must then be
// reachable by that user. The server is killed if this process dies; Stop shuts
// it down and removes the directory. Returns ErrNoBinaries when PostgreSQL
// is not installed.
func Start(ctx context.Context) (*Server, error) {
	bin, err := Binaries()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	owner, err := unprivileged()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if owner != nil {
		if err := os.Chown(dir, int(owner.Uid), int(owner.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	if err := initdb(ctx, bin, dir, owner); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// Another process may take the free port between our probe and the
	// server's bind; a few attempts make that harmless.
	for attempt := 0; ; attempt++ {
		port, err := freePort()
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		s := &Server{dir: dir, port: port, bin: bin, owner: owner}
		if err = s.run(ctx); err == nil {
			return s, nil
		}
		if s.admin != nil {
			s.admin.Close()
		}
		if attempt == 2 || !errors.Is(err, errPortTaken) {
			os.RemoveAll(dir)
			return nil, err
		}
	}
}

var errPortTaken = errors.New("port taken")

func initdb(ctx context.Context, bin, dir string, owner *syscall.Credential) error {
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"--pgdata", filepath.Join(dir, "data"),
		"--username", superuser,
		"--auth", "trust",
		"--encoding", "UTF8",
		"--locale", "C",
		"--no-sync", // a throwaway cluster needs no durability
	)
	cmd.Dir = dir
	cmd.SysProcAttr = procAttr(owner)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pgtest: initdb: %w\n%s", err, out)
	}
	return nil
}

// run starts the server process on s.port and waits until it accepts
// connections.
func (s *Server) run(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	logPath := filepath.Join(s.dir, "postgres.log")
	// A resumed server appends to the log of its first run.
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close() // the child keeps its own descriptor
	cmd := exec.Command(filepath.Join(s.bin, "postgres"),
		"-D", filepath.Join(s.dir, "data"),
		"-p", strconv.Itoa(s.port),
		"-h", "127.0.0.1",
		"-k", s.dir,
		"-c", "max_connections=300",
		// Speed over durability: the cluster is deleted afterwards.
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
	)
	cmd.Dir = s.dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = procAttr(s.owner)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pgtest: start postgres: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	s.cmd, s.exited = cmd, exited
	if s.admin == nil {
		if s.admin, err = sql.Open("pgx", s.URL("postgres")); err != nil {
			s.killLocked()
			return err
		}
	}

	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		if s.admin.PingContext(ctx) == nil {
			return nil
		}
		select {
		case <-exited:
			log, _ := os.ReadFile(logPath)
			if strings.Contains(string(log), "already in use") {
				return errPortTaken
			}
			return fmt.Errorf("pgtest: postgres exited at start:\n%s", log)
		case <-ctx.Done():
			s.killLocked()
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("pgtest: postgres did not accept connections: %w\n%s", ctx.Err(), log)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// URL returns the URL of database on the server, as the superuser.
func (s *Server) URL(database string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, s.port, database)
}

// CreateDatabase creates an empty database and returns its URL.
func (s *Server) CreateDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("test_%d", s.next.Add(1))
	// name is ours, never caller text.
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("pgtest: %w", err)
	}
	return s.URL(name), nil
}

// NewDatabase creates an empty database for tb and returns its URL. The
// database is dropped when tb ends, after the cleanups tb registers later,
// such as closing a pool on it.
func (s *Server) NewDatabase(tb testing.TB) string {
	tb.Helper()
	url, err := s.CreateDatabase(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	name := url[strings.LastIndex(url, "/")+1 : strings.Index(url, "?")]
	tb.Cleanup(func() {
		if s.stopped.Load() {
			return
		}
		if _, err := s.admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: drop %s: %v", name, err)
		}
	})
	return url
}

// Halt shuts the server down the way an outage does, keeping its data:
// the connections open to it are terminated (57P01) and new ones refused
// until Resume starts it again on the same port. A test uses it to see
// what its code does while the database is gone.
func (s *Server) Halt() error {
	if s.stopped.Load() {
		return errors.New("pgtest: the server is stopped")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shutdownLocked()
	return nil
}

// Resume starts a halted server again, on the same port with the same
// databases, and returns once it accepts connections. It does nothing to
// a server that runs.
func (s *Server) Resume(ctx context.Context) error {
	if s.stopped.Load() {
		return errors.New("pgtest: the server is stopped")
	}
	s.mu.Lock()
	running := s.cmd != nil && !closed(s.exited)
	s.mu.Unlock()
	if running {
		return nil
	}
	return s.run(ctx)
}

// Stop shuts the server down, killing it if it does not stop within ten
// seconds, and removes its directory. Calling it again does nothing.
func (s *Server) Stop() error {
	var err error
	s.stop.Do(func() {
		s.stopped.Store(true)
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.admin != nil {
			s.admin.Close()
		}
		s.shutdownLocked()
		err = os.RemoveAll(s.dir)
	})
	return err
}

// shutdownLocked stops the server process, killing it if it does not
// stop within ten seconds.
func (s *Server) shutdownLocked() {
	if s.cmd == nil || closed(s.exited) {
		return
	}
	// SIGINT is PostgreSQL's fast shutdown: no waiting for clients.
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.killLocked()
	}
}

func (s *Server) killLocked() {
	s.cmd.Process.Kill()
	<-s.exited
}

func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// freePort returns a loopback port that nothing listens on right now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
