package host

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/go-chi/chi/v5"

	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/contract"
)

// hangGuard bounds every wait of these tests, so that a broken server
// fails them instead of hanging them; nothing is asserted about speed.
const hangGuard = 30 * time.Second

// slowSpec is the contract of slowService: one operation, no token.
const slowSpec = `openapi: 3.0.3
info: {title: Slow, version: 1.0.0}
paths:
  /slow:
    get:
      operationId: slow
      security: []
      responses:
        "200": {description: Done., content: {text/plain: {schema: {type: string}}}}
        "503": {description: Not now., content: {application/problem+json: {schema: {type: object}}}}
`

// slow is the behaviour of slowService's one operation: it counts the
// requests in it and holds each until release is closed, or until its
// context ends when untilCancelled is set.
type slow struct {
	release        chan struct{}
	untilCancelled bool
	inFlight       atomic.Int64
	maxInFlight    atomic.Int64
	entered        chan struct{} // one value per request that came in
}

func newSlow(n int) *slow {
	return &slow{release: make(chan struct{}), entered: make(chan struct{}, n)}
}

func (s *slow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for m := s.maxInFlight.Load(); n > m && !s.maxInFlight.CompareAndSwap(m, n); m = s.maxInFlight.Load() {
	}
	s.entered <- struct{}{}
	if s.untilCancelled {
		<-r.Context().Done()
		// Too late: the host answered already.
		io.WriteString(w, "late")
		return
	}
	<-s.release
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, "finished")
}

// slowService is a service with one operation that s serves.
func slowService(s *slow) Service {
	return Service{
		Name: "slow", Title: "Slow", Addr: "127.0.0.1:0",
		Spec: func() (*openapi3.T, error) { return openapi3.NewLoader().LoadFromData([]byte(slowSpec)) },
		SpecJSON: func() ([]byte, error) {
			doc, err := openapi3.NewLoader().LoadFromData([]byte(slowSpec))
			if err != nil {
				return nil, err
			}
			return json.Marshal(doc)
		},
		Build: func(context.Context, Env) (Built, error) {
			return Built{Mount: func(r chi.Router, _ *contract.Contract) { r.Method(http.MethodGet, "/slow", s) }}, nil
		},
	}
}

// served is a host serving slowService in the background.
type served struct {
	url    string
	addr   string
	cancel context.CancelFunc // as SIGTERM does
	done   chan error         // Serve's result, once
	once   sync.Once
	err    error
	ended  bool
}

// wait waits for Serve to return, at most hangGuard, and returns its
// error; ok is false when it did not return.
func (s *served) wait() (err error, ok bool) {
	s.once.Do(func() {
		select {
		case s.err = <-s.done:
			s.ended = true
		case <-time.After(hangGuard):
		}
	})
	return s.err, s.ended
}

// serveSlow builds a host of slowService over cfg and serves it until the
// test ends. endDrain, when not nil, ends the drain when it is closed,
// whatever cfg.DrainTimeout says.
func serveSlow(t *testing.T, cfg Config, s *slow, endDrain chan time.Time) *served {
	t.Helper()
	cfg.DatabaseURL = "memory"
	cfg.Responses = "off"
	h, err := Build(context.Background(), cfg, Options{
		Services: []Service{slowService(s)},
		Auth:     auth.Config{Issuer: "charter", Audience: "charter", HMACSecret: []byte("shutdown-test-secret-of-at-least-32-bytes")},
		Logger:   slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	if endDrain != nil {
		h.afterDrain = func(time.Duration) <-chan time.Time { return endDrain }
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := &served{cancel: cancel, done: make(chan error, 1)}
	addr := make(chan net.Addr, 1)
	go func() { srv.done <- h.Serve(ctx, func(_ *Running, a net.Addr) { addr <- a }) }()
	select {
	case a := <-addr:
		srv.addr = a.String()
		srv.url = "http://" + srv.addr
	case err := <-srv.done:
		t.Fatalf("serve: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if endDrain != nil {
			select {
			case <-endDrain:
			default:
				close(endDrain)
			}
		}
		if _, ok := srv.wait(); !ok {
			t.Error("Serve did not return")
		}
		h.Close()
	})
	return srv
}

// waitEntered waits until n requests have come into s.
func waitEntered(t *testing.T, s *slow, n int) {
	t.Helper()
	for i := range n {
		select {
		case <-s.entered:
		case <-time.After(hangGuard):
			t.Fatalf("%d of %d requests came in", i, n)
		}
	}
}

// result is what one client got: a whole response or an error.
type result struct {
	status int
	header http.Header
	close  bool // the server closes the connection after it
	body   string
	err    error
}

// getOnOwnConnection sends GET url on a connection of its own and reads
// the whole answer.
func getOnOwnConnection(url string) result {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: hangGuard}
	resp, err := client.Get(url)
	if err != nil {
		return result{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, close: resp.Close, body: string(body), err: err}
}

// TestShutdownAnswersEveryAcceptedRequest sends N concurrent slow requests,
// each on a connection of its own, and shuts the host down as SIGTERM
// does: every client gets a whole response, 200 when its request finished
// within the grace period and a 503 problem when it did not, never a cut
// connection.
func TestShutdownAnswersEveryAcceptedRequest(t *testing.T) {
	const n = 24
	t.Run("requests that finish within the grace period", func(t *testing.T) {
		cfg := Defaults()
		cfg.DrainTimeout = 0
		cfg.ShutdownTimeout = hangGuard
		s := newSlow(n)
		srv := serveSlow(t, cfg, s, nil)
		results := make(chan result, n)
		for range n {
			go func() { results <- getOnOwnConnection(srv.url + "/slow") }()
		}
		waitEntered(t, s, n)
		srv.cancel()
		close(s.release)
		for range n {
			if r := <-results; r.err != nil || r.status != http.StatusOK || r.body != "finished" {
				t.Errorf("got status %d, body %q, err %v; want 200 finished", r.status, r.body, r.err)
			}
		}
		if err, _ := srv.wait(); err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	t.Run("requests still running at the end of the grace period", func(t *testing.T) {
		cfg := Defaults()
		cfg.DrainTimeout = 0
		cfg.ShutdownTimeout = 100 * time.Millisecond
		s := newSlow(n)
		s.untilCancelled = true
		srv := serveSlow(t, cfg, s, nil)
		results := make(chan result, n)
		for range n {
			go func() { results <- getOnOwnConnection(srv.url + "/slow") }()
		}
		waitEntered(t, s, n)
		srv.cancel()
		for range n {
			r := <-results
			if r.err != nil {
				t.Errorf("the connection was cut: %v", r.err)
				continue
			}
			var p struct{ Status int }
			if r.status != http.StatusServiceUnavailable || r.header.Get("Content-Type") != "application/problem+json" ||
				json.Unmarshal([]byte(r.body), &p) != nil || p.Status != http.StatusServiceUnavailable {
				t.Errorf("got status %d, Content-Type %q, body %q; want a 503 problem", r.status, r.header.Get("Content-Type"), r.body)
			}
			if r.header.Get("Retry-After") == "" || !r.close {
				t.Errorf("Retry-After %q, Connection: close %v; want a Retry-After and Connection: close", r.header.Get("Retry-After"), r.close)
			}
		}
		if err, ok := srv.wait(); !ok || err != nil {
			t.Fatalf("Serve after the grace period: returned %v, err %v", ok, err)
		}
	})
}

// TestDrain shuts the host down as SIGTERM does and, until the drain
// ends, finds /readyz answering 503 while requests on new connections are
// still served.
func TestDrain(t *testing.T) {
	cfg := Defaults()
	cfg.DrainTimeout = time.Hour // ended by the test
	s := newSlow(100)
	close(s.release)
	endDrain := make(chan time.Time)
	srv := serveSlow(t, cfg, s, endDrain)
	if r := getOnOwnConnection(srv.url + "/readyz"); r.status != http.StatusOK {
		t.Fatalf("/readyz before the shutdown: %d %v", r.status, r.err)
	}

	srv.cancel()
	for deadline := time.Now().Add(hangGuard); ; {
		r := getOnOwnConnection(srv.url + "/readyz")
		if r.err != nil {
			t.Fatalf("/readyz during the drain: %v; want an answer", r.err)
		}
		if r.status == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz during the drain: status %d, want 503", r.status)
		}
		time.Sleep(time.Millisecond)
	}
	for i := range 3 {
		if r := getOnOwnConnection(srv.url + "/slow"); r.err != nil || r.status != http.StatusOK || r.body != "finished" {
			t.Errorf("request %d during the drain: status %d, body %q, err %v; want 200 finished", i, r.status, r.body, r.err)
		}
	}
	select {
	case err := <-srv.done:
		srv.err, srv.ended = err, true
		srv.once.Do(func() {})
		t.Fatalf("Serve returned during the drain: %v", err)
	default:
	}

	close(endDrain)
	if err, ok := srv.wait(); !ok || err != nil {
		t.Fatalf("Serve after the drain: returned %v, err %v", ok, err)
	}
	if r := getOnOwnConnection(srv.url + "/slow"); r.err == nil {
		t.Errorf("a request after the shutdown got status %d", r.status)
	}
}

// TestConnectionLimit opens limit+k connections, each with a request that
// the service holds: limit of them are served and the k others wait in
// the listen queue, unrefused, to be served once the first are done.
func TestConnectionLimit(t *testing.T) {
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		t.Skip("reading a listen queue needs Linux's /proc/net/tcp")
	}
	t.Run("the connections over the limit wait", testConnectionsOverTheLimitWait)
	t.Run("idle connections make way at the limit", testIdleConnectionsMakeWay)
}

func testConnectionsOverTheLimitWait(t *testing.T) {
	const limit, k = 3, 2
	cfg := Defaults()
	cfg.DrainTimeout = 0
	cfg.MaxConnections = limit
	s := newSlow(limit + k)
	srv := serveSlow(t, cfg, s, nil)

	var conns []net.Conn
	send := func() {
		c, err := net.DialTimeout("tcp", srv.addr, hangGuard)
		if err != nil {
			t.Fatalf("connection %d was refused: %v", len(conns)+1, err)
		}
		t.Cleanup(func() { c.Close() })
		if _, err := io.WriteString(c, "GET /slow HTTP/1.1\r\nHost: slow\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for range limit {
		send()
	}
	waitEntered(t, s, limit)
	for range k {
		send()
	}
	// The k extra connections are established (the kernel completed them)
	// and wait to be accepted.
	for deadline := time.Now().Add(hangGuard); ; {
		queued, err := acceptQueue(srv.addr)
		if err != nil {
			t.Fatal(err)
		}
		if n := s.inFlight.Load(); n > limit {
			t.Fatalf("%d requests in flight at once with a limit of %d connections", n, limit)
		}
		if queued == k {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections wait to be accepted, want %d", queued, k)
		}
		time.Sleep(time.Millisecond)
	}

	close(s.release)
	var wg sync.WaitGroup
	statuses := make([]int, len(conns))
	for i, c := range conns {
		wg.Go(func() {
			c.SetDeadline(time.Now().Add(hangGuard))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for i, status := range statuses {
		if status != http.StatusOK {
			t.Errorf("connection %d: status %d, want 200", i+1, status)
		}
	}
	if got := s.maxInFlight.Load(); got != limit {
		t.Errorf("at most %d requests were in flight at once, want %d", got, limit)
	}
}

// testIdleConnectionsMakeWay has one keep-alive connection sit idle after
// its answer while another holds a request, which brings the server to
// its limit of two: a third connection is served while that request is
// still held, since the idle one made way, rather than waiting for the
// idle timeout or for the held request.
func testIdleConnectionsMakeWay(t *testing.T) {
	const limit = 2
	cfg := Defaults()
	cfg.DrainTimeout = 0
	cfg.MaxConnections = limit
	s := newSlow(1)
	srv := serveSlow(t, cfg, s, nil)
	keepAlive := &http.Client{Transport: &http.Transport{}, Timeout: hangGuard}
	t.Cleanup(keepAlive.CloseIdleConnections)
	resp, err := keepAlive.Get(srv.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	held := make(chan result, 1)
	go func() { held <- getOnOwnConnection(srv.url + "/slow") }()
	waitEntered(t, s, 1)
	if r := getOnOwnConnection(srv.url + "/healthz"); r.err != nil || r.status != http.StatusOK {
		t.Fatalf("a new connection with the limit held by an idle one and a busy one: status %d, err %v; want 200", r.status, r.err)
	}
	if n := s.inFlight.Load(); n != 1 {
		t.Fatalf("%d requests held, want the one", n)
	}
	close(s.release)
	if r := <-held; r.err != nil || r.status != http.StatusOK {
		t.Errorf("the held request: status %d, err %v; want 200", r.status, r.err)
	}
}

// acceptQueue returns how many established connections wait to be
// accepted on the loopback listener at addr, from /proc/net/tcp, where a
// listening socket's rx_queue is its accept queue.
func acceptQueue(addr string) (int, error) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, err
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return 0, err
	}
	data, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return 0, err
	}
	local := fmt.Sprintf("0100007F:%04X", p)
	for _, line := range strings.Split(string(data), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 5 || f[1] != local || f[3] != "0A" { // 0A: LISTEN
			continue
		}
		_, rx, _ := strings.Cut(f[4], ":")
		n, err := strconv.ParseInt(rx, 16, 64)
		return int(n), err
	}
	return 0, errors.New("no listening socket at " + addr)
}
