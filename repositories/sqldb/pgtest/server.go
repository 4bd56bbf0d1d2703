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
	dir    string // temporary directory: data, socket and log
	port   int
	cmd    *exec.Cmd
	exited chan struct{} // closed when the server process has ended
	admin  *sql.DB       // to the "postgres" database, for CREATE DATABASE
	next   atomic.Int64  // number of the next database
	stop   sync.Once
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
		s, err := start(ctx, bin, dir, owner)
		if err == nil {
			return s, nil
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

func start(ctx context.Context, bin, dir string, owner *syscall.Credential) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "postgres.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child keeps its own descriptor
	cmd := exec.Command(filepath.Join(bin, "postgres"),
		"-D", filepath.Join(dir, "data"),
		"-p", strconv.Itoa(port),
		"-h", "127.0.0.1",
		"-k", dir,
		"-c", "max_connections=300",
		// Speed over durability: the cluster is deleted afterwards.
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
	)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = procAttr(owner)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pgtest: start postgres: %w", err)
	}
	s := &Server{dir: dir, port: port, cmd: cmd, exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(s.exited)
	}()
	s.admin, err = sql.Open("pgx", s.URL("postgres"))
	if err != nil {
		s.kill()
		return nil, err
	}

	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		if s.admin.PingContext(ctx) == nil {
			return s, nil
		}
		select {
		case <-s.exited:
			log, _ := os.ReadFile(logPath)
			s.admin.Close()
			if strings.Contains(string(log), "already in use") {
				return nil, errPortTaken
			}
			return nil, fmt.Errorf("pgtest: postgres exited at start:\n%s", log)
		case <-ctx.Done():
			s.kill()
			log, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("pgtest: postgres did not accept connections: %w\n%s", ctx.Err(), log)
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

// Stop shuts the server down, killing it if it does not stop within ten
// seconds, and removes its directory. Calling it again does nothing.
func (s *Server) Stop() error {
	var err error
	s.stop.Do(func() {
		s.stopped.Store(true)
		s.admin.Close()
		// SIGINT is PostgreSQL's fast shutdown: no waiting for clients.
		s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			s.kill()
		}
		err = os.RemoveAll(s.dir)
	})
	return err
}

func (s *Server) kill() {
	s.cmd.Process.Kill()
	<-s.exited
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
