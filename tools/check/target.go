package check

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
)

// Target is the server under test: an http.Handler called in-process, or
// a server at a base URL.
type Target struct {
	handler http.Handler
	base    string
	client  *http.Client
}

// Handler targets h in-process: requests never touch the network, which
// is what makes thousands of cases per second possible in go test.
func Handler(h http.Handler) Target { return Target{handler: h} }

// URL targets the server at base, e.g. "http://localhost:8080".
func URL(base string) Target {
	return Target{base: strings.TrimSuffix(base, "/"), client: &http.Client{}}
}

// response is what came back from one request.
type response struct {
	status int
	header http.Header
	body   []byte
	// events are what the service recorded while serving the request,
	// read from eventSource; nil without WithEvents (events.go).
	events      []RecordedEvent
	eventSource *eventSource
}

// do sends r and reads the whole response.
func (tg Target) do(r Request) (*response, error) {
	var body io.Reader = http.NoBody
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	base := tg.base
	if tg.handler != nil {
		base = "http://check.local"
	}
	req, err := http.NewRequest(r.Method, base+r.Target, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	for n, vs := range r.Header {
		req.Header[n] = vs
	}
	if tg.handler != nil {
		rec := httptest.NewRecorder()
		tg.handler.ServeHTTP(rec, req)
		return &response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}, nil
	}
	res, err := tg.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: b}, nil
}

// curlBase is where printed curl commands point: the URL under test, or a
// default for in-process targets.
func (tg Target) curlBase(def string) string {
	if tg.base != "" {
		return tg.base
	}
	return def
}
