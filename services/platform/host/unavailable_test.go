package host_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/stories/access"
)

// TestDatabaseOutage serves materials on a PostgreSQL server of its own
// and halts the server: requests are answered 503 with Retry-After, as
// is /readyz, rather than 500; once the server is back they are answered
// 200 again, with no restart of the service.
func TestDatabaseOutage(t *testing.T) {
	server, err := pgtest.Start(context.Background())
	if errors.Is(err, pgtest.ErrNoBinaries) {
		t.Skipf("skipping the PostgreSQL tests: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Stop() })

	cfg := host.Defaults()
	cfg.DataDir = t.TempDir() // the embedded broker's streams, not in the repository
	cfg.DatabaseURL = server.NewDatabase(t)
	cfg.Services = []string{"materials"}
	cfg.Responses = "strict"
	cfg.DrainTimeout = 0
	authCfg := auth.Config{Issuer: "charter", Audience: "charter", HMACSecret: []byte("outage-test-secret-of-at-least-32-bytes")}
	getenv := func(k string) string {
		if k == "CHARTER_MATERIALS_ADDR" {
			return "127.0.0.1:0"
		}
		return ""
	}
	ctx, cancel := context.WithCancel(context.Background())
	h, err := host.Build(ctx, cfg, host.Options{
		Services: []host.Service{materials.Service()}, Auth: authCfg,
		Logger: slog.New(slog.DiscardHandler), Getenv: getenv,
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	served := make(chan error, 1)
	go func() {
		served <- h.Serve(ctx, func(_ *host.Running, a net.Addr) { addr <- "http://" + a.String() })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
		h.Close()
	})
	base := <-addr
	signer, err := auth.NewSigner(authCfg)
	if err != nil {
		t.Fatal(err)
	}
	token, err := signer.Sign(access.Caller{Subject: "ada", Roles: []access.Role{access.Staff}, Scopes: []string{"materials:read"}}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}

	if resp := get("/materials"); resp.StatusCode != http.StatusOK {
		t.Fatalf("before the outage: status %d, want 200", resp.StatusCode)
	}
	if err := server.Halt(); err != nil {
		t.Fatal(err)
	}
	// The first requests find the pool's connections terminated (57P01),
	// the later ones find nothing listening: each is unavailability.
	for i := range 3 {
		resp := get("/materials")
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
			resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("request %d while the database is down: status %d, Retry-After %q, Content-Type %q; want 503 with Retry-After, a problem",
				i, resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("Content-Type"))
		}
	}
	if resp := get("/readyz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz while the database is down: status %d, want 503", resp.StatusCode)
	}

	if err := server.Resume(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A hang guard only: the pool replaces its broken connections at once.
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp := get("/materials")
		if resp.StatusCode == http.StatusOK {
			break
		}
		if resp.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline) {
			t.Fatalf("after the database is back: status %d, want 200", resp.StatusCode)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if resp := get("/readyz"); resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz once the database is back: status %d, want 200", resp.StatusCode)
	}
}
