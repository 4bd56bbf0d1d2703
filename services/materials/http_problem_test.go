package materials_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/services/platform/edge"
)

// TestEveryProblemLooksTheSame provokes a problem from each layer that
// answers one (edge, contract, controller, the internal-error handler)
// and holds them to one envelope: a problem document naming the request's
// path and ID, that no cache keeps and no browser sniffs.
func TestEveryProblemLooksTheSame(t *testing.T) {
	repo := &brokenRepository{Repository: newMemory()}
	f := newFixtureOver(t, repo, withBodyLimit(1024))
	tok := f.token(t, staff(readWrite...))
	cases := []struct {
		name, method, target, token, body string
		status                            int
		before                            func()
	}{
		{name: "edge: an unknown route", method: "GET", target: "/materialz", status: 404},
		{name: "edge: a method the route does not have", method: "PATCH", target: idPath(f.own.Id), status: 405},
		{name: "edge: a body over the limit", method: "POST", target: "/materials", token: tok, body: `{"name":"` + strings.Repeat("n", 2048) + `"}`, status: 413},
		{name: "contract: no token", method: "GET", target: "/materials", status: 401},
		{name: "contract: an invalid parameter", method: "GET", target: "/materials?limit=0", token: tok, status: 400},
		{name: "contract: a path parameter that decodes to a NUL", method: "GET", target: "/materials/%00", token: tok, status: 400},
		{name: "edge: an unknown route that decodes to control characters", method: "GET", target: "/materialz/%01%1F", status: 404},
		{name: "controller: a material that does not exist", method: "GET", target: "/materials/999999", token: tok, status: 404},
		{name: "controller: a rule of the story", method: "POST", target: "/materials", token: tok,
			body: `{"name":"x","quality":"steel","thickness":2}`, status: 403},
		{name: "internal error", method: "GET", target: idPath(f.own.Id), token: tok, status: 500,
			before: func() { repo.breakMethod("Get") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.before != nil {
				c.before()
				t.Cleanup(func() { repo.breakMethod("") })
			}
			contentType := ""
			if c.body != "" {
				contentType = "application/json"
			}
			res, body := f.do(t, c.method, c.target, c.token, contentType, c.body)
			p := assertProblem(t, res, body, c.status)
			if got, want := p.Instance, strings.SplitN(c.target, "?", 2)[0]; got != want {
				t.Errorf("instance = %q, want the request's path %q: %s", got, want, body)
			}
			if got, want := p.RequestID, res.Header.Get(edge.RequestIDHeader); got != want {
				t.Errorf("request_id = %q, want the X-Request-Id %q", got, want)
			}
			for header, want := range map[string]string{"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"} {
				if got := res.Header.Get(header); got != want {
					t.Errorf("%s = %q, want %q", header, got, want)
				}
			}
		})
	}
}

// TestRequestsNetHTTPRefuses sends what a client can send over the wire.
// A request that reaches the service is answered with a problem document,
// whatever is wrong with it. Go's HTTP server refuses some requests itself
// before any handler runs, writing a fixed plain-text answer straight to
// the connection, which no handler or option can change; the README lists
// them under "Errors", and this test tells when that list goes stale.
func TestRequestsNetHTTPRefuses(t *testing.T) {
	f := newFixture(t, withBodyLimit(1024))
	tok := f.token(t, staff(readWrite...))
	get := func(target string, headers ...string) string {
		return "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tok + "\r\n" + strings.Join(headers, "") + "Connection: close\r\n\r\n"
	}
	cases := []struct {
		name, request string
		status        int
		// byServer: net/http answers, in plain text.
		byServer bool
	}{
		{name: "a percent-encoded NUL in the path", request: get("/materials/%00"), status: 400},
		{name: "a percent-encoded slash in the path", request: get("/materials/1%2F2"), status: 400},
		{name: "a percent-encoded letter in the path", request: get("/materials/%31"), status: 200},
		{name: "an unknown path with a valid escape", request: get("/materials%20x"), status: 404},

		{name: "a lone percent sign in the path", request: get("/materials/%"), status: 400, byServer: true},
		{name: "a percent sign without two hex digits", request: get("/materials/%zz"), status: 400, byServer: true},
		{name: "a NUL in a header value", request: get("/materials", "X-Note: a\x00b\r\n"), status: 400, byServer: true},
		{name: "a header name with a space", request: get("/materials", "X Note: a\r\n"), status: 400, byServer: true},
		{name: "no Host header", request: "GET /materials HTTP/1.1\r\nConnection: close\r\n\r\n", status: 400, byServer: true},
		{name: "a request line that is not HTTP", request: "GET /materials\r\n\r\n", status: 400, byServer: true},
		{name: "headers over a megabyte", request: get("/materials", "X-Big: "+strings.Repeat("a", 1<<20+4096)+"\r\n"), status: 431, byServer: true},
		{name: "an unsupported transfer coding", request: "POST /materials HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n", status: 501, byServer: true},
		{name: "an unsupported HTTP version", request: "GET /materials HTTP/2.1\r\nHost: x\r\n\r\n", status: 505, byServer: true},
		{name: "both Content-Length and a different Content-Length", request: "POST /materials HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n", status: 400, byServer: true},
		{name: "an expectation other than 100-continue", request: get("/materials", "Expect: teapot\r\n"), status: 417, byServer: true},
	}
	addr := strings.TrimPrefix(f.url, "http://")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, body := rawExchange(t, addr, c.request)
			if res.StatusCode != c.status {
				t.Fatalf("status = %d, want %d: %s", res.StatusCode, c.status, body)
			}
			if c.byServer {
				if got := res.Header.Get("Content-Type"); got == "application/problem+json" {
					t.Errorf("net/http no longer answers this itself (Content-Type %q): update the README's Errors", got)
				}
				return
			}
			if c.status >= 400 {
				assertProblem(t, res, body, c.status)
			}
		})
	}
}

// rawExchange writes request as it is on a new connection and reads one
// response.
func rawExchange(t *testing.T, addr, request string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	must(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	// The server may answer and close before reading all of a large
	// request; the write error that follows says nothing.
	go func() { _, _ = io.WriteString(conn, request) }()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}
