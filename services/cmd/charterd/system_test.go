package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	materialsapi "github.com/charterhq/charter/gen/materials"
	quotesapi "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/stories/access"
)

// The system tests run the services as the binary does, through host,
// both ways: every service in one host, where quotes calls materials in
// process, and each service in a host of its own, where quotes calls
// materials over loopback HTTP. The same journey passes both ways.

const systemSecret = "system-test-secret-of-at-least-32-bytes!"

func systemAuth() auth.Config {
	return auth.Config{Issuer: "charter", Audience: "charter", HMACSecret: []byte(systemSecret)}
}

// running is a host serving in the background.
type running struct {
	addrs map[string]string
	stop  func()
}

// startHost builds and serves the named services (every one when none is
// named) with env as their environment, every address on a free
// loopback port unless env gives one.
func startHost(t *testing.T, env map[string]string, names ...string) *running {
	t.Helper()
	if _, ok := env["CHARTER_DRAIN_TIMEOUT"]; !ok {
		// No load balancer to wait for.
		env["CHARTER_DRAIN_TIMEOUT"] = "0"
	}
	if _, ok := env["CHARTER_NATS_LISTEN"]; !ok {
		// The embedded broker on a free port, whatever else runs here.
		env["CHARTER_NATS_LISTEN"] = "127.0.0.1:0"
	}
	getenv := func(k string) string { return env[k] }
	for _, s := range services() {
		key := "CHARTER_" + map[string]string{"materials": "MATERIALS", "quotes": "QUOTES"}[s.Name] + "_ADDR"
		if _, ok := env[key]; !ok {
			env[key] = "127.0.0.1:0"
		}
	}
	cfg, err := host.FromEnv(getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Services = names
	cfg.Responses = "strict"
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	h, err := host.Build(ctx, cfg, host.Options{Services: services(), Auth: systemAuth(), Logger: logger, Getenv: getenv})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	r := &running{addrs: map[string]string{}}
	var mu sync.Mutex
	listening := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- h.Serve(ctx, func(run *host.Running, addr net.Addr) {
			mu.Lock()
			defer mu.Unlock()
			r.addrs[run.Service.Name] = addr.String()
			if len(r.addrs) == len(h.Running) {
				close(listening)
			}
		})
	}()
	select {
	case <-listening:
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v", err)
	}
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
			h.Close()
		})
	}
	t.Cleanup(r.stop)
	return r
}

func signFor(t *testing.T, c access.Caller) string {
	t.Helper()
	s, err := auth.NewSigner(systemAuth())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Sign(c, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func bearer(token string) func(context.Context, *http.Request) error {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

var (
	staffCaller    = access.Caller{Subject: "ada", Roles: []access.Role{access.Staff}, Scopes: []string{"materials:read", "materials:write", "quotes:read", "quotes:write"}}
	externalCaller = access.Caller{Subject: "bob", CompanyID: 7, Roles: []access.Role{access.External}, Scopes: []string{"materials:read", "quotes:read", "quotes:write"}}
)

// journey creates a priced material as staff, then a draft quote over it
// as an external user, submits it and checks the prices materials gave.
// It returns the submitted quote's ID.
func journey(t *testing.T, materialsURL, quotesURL string) int64 {
	t.Helper()
	ctx := context.Background()
	mc, err := materialsapi.NewClientWithResponses("http://" + materialsURL)
	if err != nil {
		t.Fatal(err)
	}
	company := int64(7)
	created, err := mc.CreateMaterialWithResponse(ctx, nil, materialsapi.NewMaterial{
		CompanyId: &company, Name: "steel " + strconv.FormatInt(time.Now().UnixNano(), 36), Quality: "steel", Thickness: 10,
		PricePerSquareMetre: &shared.Money{Amount: 12000, Currency: "EUR"},
	}, bearer(signFor(t, staffCaller)))
	if err != nil || created.JSON201 == nil {
		t.Fatalf("create material: %v %s", err, created.Body)
	}
	qc, err := quotesapi.NewClientWithResponses("http://" + quotesURL)
	if err != nil {
		t.Fatal(err)
	}
	ext := bearer(signFor(t, externalCaller))
	lines := []quotesapi.NewQuoteLine{{MaterialId: created.JSON201.Id, Quantity: 3, WidthMm: 500, HeightMm: 300}}
	draft, err := qc.CreateQuoteWithResponse(ctx, nil, quotesapi.NewQuote{Lines: &lines}, ext)
	if err != nil || draft.JSON201 == nil {
		t.Fatalf("create quote: %v %s", err, draft.Body)
	}
	submitted, err := qc.SubmitQuoteWithResponse(ctx, draft.JSON201.Id, nil, ext)
	if err != nil || submitted.JSON200 == nil {
		t.Fatalf("submit: %v %d %s", err, submitted.StatusCode(), submitted.Body)
	}
	q := submitted.JSON200
	// 0.5 m × 0.3 m = 0.15 m² at 120.00 EUR/m² is 18.00 EUR a part.
	if q.State != quotesapi.Submitted || q.Total == nil || q.Total.Amount != 3*1800 || q.Total.Currency != "EUR" {
		t.Fatalf("submitted quote: state %s total %+v, want submitted at 5400 EUR", q.State, q.Total)
	}
	if l := q.Lines[0]; l.UnitPrice == nil || l.UnitPrice.Amount != 1800 || l.MaterialName == nil {
		t.Fatalf("line: %+v, want priced at 1800 with the material's name", l)
	}
	return q.Id
}

func TestSystemInOneHost(t *testing.T) {
	dir := t.TempDir()
	r := startHost(t, map[string]string{"CHARTER_DATA_DIR": dir})
	journey(t, r.addrs["materials"], r.addrs["quotes"])
	// Each service owns its database: a SQLite file of its own.
	for _, name := range []string{"materials.db", "quotes.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	// The embedded broker's address, for charter events; gone once the
	// process stops.
	url, err := os.ReadFile(filepath.Join(dir, host.BrokerURLFile))
	if err != nil || !strings.HasPrefix(string(url), "nats://127.0.0.1:") {
		t.Errorf("%s holds %q (%v), want the embedded broker's address", host.BrokerURLFile, url, err)
	}
	r.stop()
	if _, err := os.Stat(filepath.Join(dir, host.BrokerURLFile)); !os.IsNotExist(err) {
		t.Errorf("%s is left behind after the stop: %v", host.BrokerURLFile, err)
	}
}

func TestSystemInHostsOfTheirOwn(t *testing.T) {
	dir := t.TempDir()
	// Processes of their own share a broker, as they would a cluster.
	broker := startBroker(t)
	materials := startHost(t, map[string]string{"CHARTER_DATA_DIR": dir, "NATS_URL": broker}, "materials")
	quotes := startHost(t, map[string]string{
		"CHARTER_DATA_DIR": dir, "CHARTER_MATERIALS_URL": "http://" + materials.addrs["materials"], "NATS_URL": broker,
	}, "quotes")
	journey(t, materials.addrs["materials"], quotes.addrs["quotes"])

	t.Run("with materials stopped, a material without a copy answers 503 with Retry-After, and quotes stays ready", func(t *testing.T) {
		// A draft to submit, made while materials runs, of a material
		// quotes has no copy of.
		ctx := context.Background()
		qc, _ := quotesapi.NewClientWithResponses("http://" + quotes.addrs["quotes"])
		ext := bearer(signFor(t, externalCaller))
		lines := []quotesapi.NewQuoteLine{{MaterialId: 999, Quantity: 1, WidthMm: 100, HeightMm: 100}}
		draft, err := qc.CreateQuoteWithResponse(ctx, nil, quotesapi.NewQuote{Lines: &lines}, ext)
		if err != nil || draft.JSON201 == nil {
			t.Fatalf("create quote: %v", err)
		}
		materials.stop()
		resp, err := qc.SubmitQuoteWithResponse(ctx, draft.JSON201.Id, nil, ext)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode() != http.StatusServiceUnavailable || resp.HTTPResponse.Header.Get("Retry-After") == "" {
			t.Fatalf("submit with materials down: %d %q %s", resp.StatusCode(), resp.HTTPResponse.Header.Get("Retry-After"), resp.Body)
		}
		ready, err := http.Get("http://" + quotes.addrs["quotes"] + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		ready.Body.Close()
		if ready.StatusCode != http.StatusOK {
			t.Errorf("/readyz of quotes with materials down: %d, want 200: it prices from its copies", ready.StatusCode)
		}

		// Materials comes back on the same address: quotes heals
		// without a restart once its breaker lets a call through.
		startHost(t, map[string]string{"CHARTER_DATA_DIR": dir, "CHARTER_MATERIALS_ADDR": materials.addrs["materials"], "NATS_URL": broker}, "materials")
		deadline := time.Now().Add(2 * time.Minute) // a hang guard, not a speed target
		for {
			resp, err := qc.SubmitQuoteWithResponse(ctx, draft.JSON201.Id, nil, ext)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode() != http.StatusServiceUnavailable {
				if resp.StatusCode() != http.StatusOK && resp.StatusCode() != http.StatusConflict {
					t.Fatalf("submit after materials came back: %d %s", resp.StatusCode(), resp.Body)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("quotes did not heal after materials came back")
			}
			time.Sleep(200 * time.Millisecond)
		}
	})
}
