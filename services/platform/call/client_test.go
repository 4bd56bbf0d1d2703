package call_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charterhq/charter/services/platform/call"
)

// peer is a service whose answers a test scripts: each request gets the
// next status of the script, the last one repeating.
type peer struct {
	calls  atomic.Int32
	script []int
	auth   atomic.Value
}

func (p *peer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(p.calls.Add(1)) - 1
	p.auth.Store(r.Header.Get("Authorization"))
	status := p.script[min(n, len(p.script)-1)]
	w.WriteHeader(status)
	io.WriteString(w, http.StatusText(status))
}

func client(p *peer, o call.Options) *http.Client {
	o.Name = "peer"
	o.Transport = call.InProcess(p)
	o.Backoff = time.Millisecond
	return call.NewClient(o)
}

func get(t *testing.T, c *http.Client, method string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, "http://peer/things/1", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err == nil {
		defer resp.Body.Close()
		io.ReadAll(resp.Body)
	}
	return resp, err
}

func TestClient(t *testing.T) {
	t.Run("an idempotent read is retried past a failure of the peer", func(t *testing.T) {
		p := &peer{script: []int{500, 503, 200}}
		resp, err := get(t, client(p, call.Options{Tries: 3}), http.MethodGet)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || p.calls.Load() != 3 {
			t.Fatalf("status %d after %d calls, want 200 after 3", resp.StatusCode, p.calls.Load())
		}
	})
	t.Run("a read that keeps failing is ErrUnavailable", func(t *testing.T) {
		p := &peer{script: []int{500}}
		_, err := get(t, client(p, call.Options{Tries: 3, Failures: 100}), http.MethodGet)
		if !errors.Is(err, call.ErrUnavailable) || p.calls.Load() != 3 {
			t.Fatalf("err %v after %d calls, want ErrUnavailable after 3", err, p.calls.Load())
		}
	})
	t.Run("a POST without an idempotency key is sent once", func(t *testing.T) {
		p := &peer{script: []int{500, 200}}
		_, err := get(t, client(p, call.Options{Tries: 3, Failures: 100}), http.MethodPost)
		if !errors.Is(err, call.ErrUnavailable) || p.calls.Load() != 1 {
			t.Fatalf("err %v after %d calls, want ErrUnavailable after 1", err, p.calls.Load())
		}
	})
	t.Run("a client error of the peer is its answer, not a failure", func(t *testing.T) {
		p := &peer{script: []int{404}}
		resp, err := get(t, client(p, call.Options{Tries: 3}), http.MethodGet)
		if err != nil || resp.StatusCode != 404 || p.calls.Load() != 1 {
			t.Fatalf("%v, %v after %d calls, want 404 after 1", resp, err, p.calls.Load())
		}
	})
	t.Run("the breaker opens after failures and stops calling the peer", func(t *testing.T) {
		p := &peer{script: []int{500}}
		c := client(p, call.Options{Tries: 1, Failures: 2, OpenFor: time.Hour})
		for range 2 {
			if _, err := get(t, c, http.MethodGet); !errors.Is(err, call.ErrUnavailable) {
				t.Fatalf("err %v, want ErrUnavailable", err)
			}
		}
		before := p.calls.Load()
		_, err := get(t, c, http.MethodGet)
		if !errors.Is(err, call.ErrUnavailable) || !strings.Contains(err.Error(), "circuit open") {
			t.Fatalf("err %v, want ErrUnavailable with the circuit open", err)
		}
		if p.calls.Load() != before {
			t.Fatal("the open breaker called the peer")
		}
	})
	t.Run("the token goes with every attempt", func(t *testing.T) {
		p := &peer{script: []int{200}}
		c := client(p, call.Options{Token: func(context.Context) (string, error) { return "secret", nil }})
		if _, err := get(t, c, http.MethodGet); err != nil {
			t.Fatal(err)
		}
		if got := p.auth.Load(); got != "Bearer secret" {
			t.Fatalf("Authorization = %v", got)
		}
	})
	t.Run("a peer that does not answer in time is a failure", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		srv := httptest.NewServer(slow)
		defer srv.Close()
		c := call.NewClient(call.Options{Name: "slow", Timeout: 10 * time.Millisecond, Tries: 2, Backoff: time.Millisecond})
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if _, err := c.Do(req); !errors.Is(err, call.ErrUnavailable) {
			t.Fatalf("err %v, want ErrUnavailable", err)
		}
	})
}
