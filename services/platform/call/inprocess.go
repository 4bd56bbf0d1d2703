package call

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"time"
)

// InProcess returns a transport that serves requests with h in this
// process, through h's whole stack (authentication, validation), as if
// they had come over the network, without a socket. It is how services
// hosted in one binary call each other.
func InProcess(h http.Handler) http.RoundTripper { return inProcess{h} }

type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	// The peer sees the call as it would over the network: the caller's
	// deadline and cancellation, none of its context's values (its
	// router's state, its request's scope and caller), which would
	// otherwise be taken for the peer's own.
	r := req.Clone(valueless{req.Context()})
	r.RequestURI = req.URL.RequestURI()
	r.RemoteAddr = "in-process"
	if r.Body == nil {
		r.Body = http.NoBody
	}
	w := &recorder{header: http.Header{}}
	t.h.ServeHTTP(w, r)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return &http.Response{
		Status:        strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.header,
		Body:          io.NopCloser(&w.body),
		ContentLength: int64(w.body.Len()),
		Request:       req,
	}, nil
}

// recorder is the response writer of an in-process call.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

// valueless is a context with its parent's deadline and cancellation and
// none of its values.
type valueless struct{ parent context.Context }

func (c valueless) Deadline() (time.Time, bool) { return c.parent.Deadline() }
func (c valueless) Done() <-chan struct{}       { return c.parent.Done() }
func (c valueless) Err() error                  { return c.parent.Err() }
func (c valueless) Value(any) any               { return nil }
