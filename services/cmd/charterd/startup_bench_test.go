package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkStartup measures how long a process takes from its start until
// both of charterd's ports answer GET /healthz: "full" is charterd with
// every service, in development mode (demo data, tokens printed) over
// SQLite files in a new temporary directory each time, so that every
// start creates, migrates and seeds its databases; "bare" is
// testdata/bareserver, an HTTP server that does nothing at start but
// listen on the same two ports. Both binaries are built once, with go
// build, before the timing. make bench prints bare ÷ full, the share of
// the bare start-up speed charterd keeps; the inverse is how many times
// longer charterd takes to start.
func BenchmarkStartup(b *testing.B) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command to build the binaries with:", err)
	}
	bin := b.TempDir()
	binaries := map[string]string{"full": ".", "bare": "./testdata/bareserver"}
	for kind, pkg := range binaries {
		binaries[kind] = filepath.Join(bin, kind)
		if out, err := exec.Command(gotool, "build", "-o", binaries[kind], pkg).CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	for _, kind := range []string{"full", "bare"} {
		b.Run(kind, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				env := startupEnv(b)
				cmd := exec.Command(binaries[kind])
				cmd.Env = env.vars
				var logs bytes.Buffer
				cmd.Stderr = &logs
				b.StartTimer()
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				exited := make(chan error, 1)
				go func() { exited <- cmd.Wait() }()
				err := startupWait(env.addrs, exited)
				b.StopTimer()
				if err != nil {
					cmd.Process.Kill()
					b.Fatalf("%s: %v\n%s", kind, err, logs.String())
				}
				startupStop(b, cmd, exited)
				b.StartTimer()
			}
		})
	}
}

// startupEnvironment is one start's environment and the addresses it
// tells the services to listen on.
type startupEnvironment struct {
	vars  []string
	addrs []string
}

// startupEnv returns the environment of one start: this process's,
// without any Charter, database or OpenTelemetry setting, plus
// development mode, a new data directory and a free loopback port for
// each service.
func startupEnv(b *testing.B) startupEnvironment {
	var e startupEnvironment
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CHARTER_") && !strings.HasPrefix(kv, "DATABASE_URL=") && !strings.HasPrefix(kv, "OTEL_") {
			e.vars = append(e.vars, kv)
		}
	}
	data, err := os.MkdirTemp(b.TempDir(), "data")
	if err != nil {
		b.Fatal(err)
	}
	// No drain: the time measured ends at SIGTERM, and the next run
	// should not wait for a load balancer there is none of.
	e.vars = append(e.vars, "CHARTER_DEV=1", "CHARTER_DATA_DIR="+data, "CHARTER_DRAIN_TIMEOUT=0")
	for _, name := range []string{"MATERIALS", "QUOTES"} {
		// A port free now, which nothing else in this process takes
		// before the server does.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		e.addrs = append(e.addrs, addr)
		e.vars = append(e.vars, "CHARTER_"+name+"_ADDR="+addr)
	}
	return e
}

// startupClient asks each time on a new connection, as a first request
// does.
var startupClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}

// startupWait returns once every address has answered GET /healthz with
// 200, trying each again every 200µs; it gives up when the process exits
// or after 30 seconds.
func startupWait(addrs []string, exited <-chan error) error {
	deadline := time.Now().Add(30 * time.Second)
	for len(addrs) > 0 {
		select {
		case err := <-exited:
			return fmt.Errorf("the process exited before answering: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%v did not answer in time", addrs)
		}
		left := addrs[:0:0]
		for _, addr := range addrs {
			resp, err := startupClient.Get("http://" + addr + "/healthz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					continue
				}
			}
			left = append(left, addr)
		}
		if addrs = left; len(addrs) > 0 {
			time.Sleep(200 * time.Microsecond)
		}
	}
	return nil
}

// startupStop stops the process as a supervisor would, with SIGTERM, and
// kills it if it has not exited after ten seconds.
func startupStop(b *testing.B, cmd *exec.Cmd, exited <-chan error) {
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-exited
		b.Error("the process did not stop within 10 s of SIGTERM")
	}
}
