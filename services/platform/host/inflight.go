package host

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/charterhq/charter/services/platform/answer"
	"github.com/charterhq/charter/services/platform/problem"
)

// inFlight records the requests a server is running, so that the end of
// a shutdown's grace period can answer each one that has not begun its
// response rather than cut its connection.
type inFlight struct {
	mu   sync.Mutex
	reqs map[*guarded]struct{}
}

// track serves h, recording each request while it runs.
func (f *inFlight) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g := &guarded{ResponseWriter: w, req: r}
		f.mu.Lock()
		f.reqs[g] = struct{}{}
		f.mu.Unlock()
		defer func() {
			g.finish()
			f.mu.Lock()
			delete(f.reqs, g)
			f.mu.Unlock()
		}()
		h.ServeHTTP(g, r)
	})
}

// answerUnavailable answers 503 every request in flight whose response
// has not begun, and returns how many it answered and how many it could
// not (their responses had begun).
func (f *inFlight) answerUnavailable() (answered, cut int) {
	f.mu.Lock()
	reqs := make([]*guarded, 0, len(f.reqs))
	for g := range f.reqs {
		reqs = append(reqs, g)
	}
	f.mu.Unlock()
	for _, g := range reqs {
		switch g.answerUnavailable() {
		case nil:
			answered++
		case errFinished:
		default:
			cut++
		}
	}
	return answered, cut
}

var (
	// errAnswered is what a handler's writes return once the server has
	// answered its request in its place.
	errAnswered = errors.New("host: the request was answered 503 at the end of the shutdown's grace period")
	// errBegun is why a request whose response has begun cannot be
	// answered.
	errBegun = errors.New("host: the response has begun")
	// errFinished says the handler returned meanwhile.
	errFinished = errors.New("host: the request finished")
)

// guarded is the response writer of one request in flight. Every write
// of the handler goes through its lock, so that answerUnavailable can
// tell, from another goroutine, whether the response has begun, and
// answer in the handler's place when it has not.
type guarded struct {
	http.ResponseWriter
	req *http.Request

	mu       sync.Mutex
	begun    bool // the handler wrote, flushed or hijacked
	finished bool // the handler returned
	answered bool // answerUnavailable answered in its place
}

func (g *guarded) WriteHeader(code int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.answered {
		return
	}
	g.begun = true
	g.ResponseWriter.WriteHeader(code)
}

func (g *guarded) Write(b []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.answered {
		return 0, errAnswered
	}
	g.begun = true
	return g.ResponseWriter.Write(b)
}

// FlushError keeps streaming responses streaming; http.ResponseController
// finds it before Unwrap.
func (g *guarded) FlushError() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.answered {
		return errAnswered
	}
	g.begun = true
	return http.NewResponseController(g.ResponseWriter).Flush()
}

// Flush is FlushError for the callers of http.Flusher.
func (g *guarded) Flush() { _ = g.FlushError() }

// Hijack keeps protocol upgrades working.
func (g *guarded) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.answered {
		return nil, nil, errAnswered
	}
	g.begun = true
	return http.NewResponseController(g.ResponseWriter).Hijack()
}

// Unwrap lets http.ResponseController reach the server's writer for
// what does not write (deadlines, full duplex).
func (g *guarded) Unwrap() http.ResponseWriter { return g.ResponseWriter }

func (g *guarded) finish() {
	g.mu.Lock()
	g.finished = true
	g.mu.Unlock()
}

// answerUnavailable answers the request 503 in the handler's place, if
// its response has not begun, and closes the connection. It takes the
// connection over, rather than writing through the handler's writer,
// because the handler may still be changing the header map. A handler
// holding the lock is writing: its response has begun.
func (g *guarded) answerUnavailable() error {
	if !g.mu.TryLock() {
		return errBegun
	}
	defer g.mu.Unlock()
	switch {
	case g.finished:
		return errFinished
	case g.begun:
		return errBegun
	}
	conn, _, err := http.NewResponseController(g.ResponseWriter).Hijack()
	if err != nil {
		return err
	}
	g.answered = true
	p := problem.New(http.StatusServiceUnavailable, "The service is shutting down; try again after Retry-After.")
	p.Instance = problem.Instance(g.req)
	body, _ := json.Marshal(p)
	body = append(body, '\n')
	resp := &http.Response{
		StatusCode: http.StatusServiceUnavailable,
		ProtoMajor: g.req.ProtoMajor, ProtoMinor: g.req.ProtoMinor,
		Header: http.Header{
			"Content-Type":           {problem.ContentType},
			"Retry-After":            {answer.RetryAfterHeader},
			"Cache-Control":          {"no-store"},
			"X-Content-Type-Options": {"nosniff"},
		},
		ContentLength: int64(len(body)),
		Body:          io.NopCloser(bytes.NewReader(body)),
		Close:         true, // Connection: close
	}
	_ = conn.SetWriteDeadline(time.Now().Add(answerLinger))
	err = resp.Write(conn)
	go closeAfterReading(conn)
	return err
}

// answerLinger bounds the write of a 503 that answerUnavailable sends
// and the wait for the client to close its end afterwards.
const answerLinger = 500 * time.Millisecond

// closeAfterReading closes conn once the client has closed its end, or
// after answerLinger. Closing a connection whose request the server has
// not read to its end would send a reset, which can make the client lose
// the answer it has not read yet; reading what is left first avoids
// that, as net/http does.
func closeAfterReading(conn net.Conn) {
	_ = conn.SetReadDeadline(time.Now().Add(answerLinger))
	_, _ = io.Copy(io.Discard, conn)
	_ = conn.Close()
}
