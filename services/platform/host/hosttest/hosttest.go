// Package hosttest serves services as charterd does, through host.Build
// and Host.Serve, each on a loopback port, and drives them with concurrent
// clients: the harness of the services' load benchmarks.
package hosttest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/stories/access"
)

// secret signs the tokens of Auth.
const secret = "hosttest-secret-of-at-least-32-bytes!!"

// Auth is the configuration the hosts of Start verify tokens with and
// Tokens signs them with.
func Auth() auth.Config {
	return auth.Config{Issuer: "charter", Audience: "charter", HMACSecret: []byte(secret)}
}

// Start builds services in one host and serves each on a port of
// 127.0.0.1, as charterd serves them outside development mode: the
// telemetry, the access log (to a logger that discards it) and the
// sampled response check included, no demo data, no drain at the end
// (Config.DrainTimeout). store is "memory", "sqlite" for a SQLite file
// per service in a temporary directory, or "postgres" for a database of
// the throwaway PostgreSQL server of pgtest, a schema per service (which
// skips tb when PostgreSQL's binaries are missing). Start
// returns each service's base URL by name; the host stops when tb ends.
func Start(tb testing.TB, store string, services ...host.Service) map[string]string {
	tb.Helper()
	cfg := host.Defaults()
	// No load balancer to wait for when the benchmark ends.
	cfg.DrainTimeout = 0
	// Tests run side by side: each embedded broker on a port of its own.
	cfg.Events.Listen = "127.0.0.1:0"
	// The broker's streams, whatever the store.
	cfg.DataDir = tb.TempDir()
	switch store {
	case "memory":
		cfg.DatabaseURL = "memory"
	case "sqlite":
		cfg.DataDir = tb.TempDir()
	case "postgres":
		cfg.DatabaseURL = pgtest.NewDatabase(tb)
	default:
		tb.Fatalf("hosttest: no store %q (memory, sqlite or postgres)", store)
	}
	getenv := func(key string) string {
		// Every service on a free loopback port.
		if strings.HasPrefix(key, "CHARTER_") && strings.HasSuffix(key, "_ADDR") {
			return "127.0.0.1:0"
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	h, err := host.Build(ctx, cfg, host.Options{
		Services: services, Auth: Auth(), Logger: slog.New(slog.DiscardHandler), Getenv: getenv, AccessLog: true,
	})
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	urls := map[string]string{}
	var mu sync.Mutex
	listening := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- h.Serve(ctx, func(r *host.Running, addr net.Addr) {
			mu.Lock()
			defer mu.Unlock()
			urls[r.Service.Name] = "http://" + addr.String()
			if len(urls) == len(h.Running) {
				close(listening)
			}
		})
	}()
	select {
	case <-listening:
	case err := <-served:
		cancel()
		h.Close()
		tb.Fatalf("hosttest: serve: %v", err)
	}
	tb.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			tb.Errorf("hosttest: serve: %v", err)
		}
		h.Close()
	})
	mu.Lock()
	defer mu.Unlock()
	return urls
}

// Tokens signs n tokens for c, valid for an hour, each with a subject of
// its own: a load whose every client sent one token would have the
// verifier's cache answer all of them from one entry.
func Tokens(tb testing.TB, c access.Caller, n int) []string {
	tb.Helper()
	signer, err := auth.NewSigner(Auth())
	if err != nil {
		tb.Fatal(err)
	}
	subject := c.Subject
	tokens := make([]string, n)
	for i := range tokens {
		c.Subject = subject + "-" + strconv.Itoa(i)
		if tokens[i], err = signer.Sign(c, time.Hour); err != nil {
			tb.Fatal(err)
		}
	}
	return tokens
}

// Send sends one request with token and a JSON body (nil for none) and
// fails tb unless the answer has status; it returns the answer's body.
// Benchmarks seed their data with it before the load.
func Send(tb testing.TB, method, url, token string, body []byte, status int) []byte {
	tb.Helper()
	got, data, err := send(http.DefaultClient, method, url, token, body, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if got != status {
		tb.Fatalf("%s %s: status %d, want %d: %s", method, url, got, status, data)
	}
	return data
}

// send sends a request, with header's fields besides its own, and reads
// the whole answer, so that the connection can carry the next one.
func send(c *http.Client, method, url, token string, body []byte, header http.Header) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, nil, err
	}
	for name, values := range header {
		req.Header[name] = values
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}
