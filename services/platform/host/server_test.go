package host

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestServeFinishesRequestsInFlightOnShutdown(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := Defaults()
	c.ShutdownTimeout = 5 * time.Second
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- NewServer(c, h, logger).Serve(ctx, ln) }()

	body := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			body <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		body <- string(b)
	}()
	<-started
	stop() // as SIGTERM does
	// New connections are refused while the request in flight goes on
	// (it waits for release): the listener closes at some point after
	// stop, so poll, with a deadline that guards against a hang only.
	for deadline := time.Now().Add(time.Minute); ; {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), 10*time.Second)
		if err != nil {
			break
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("new connections were still accepted a minute into the shutdown")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	if got, want := <-body, "finished"; got != want {
		t.Fatalf("in-flight request got %q, want %q", got, want)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}
