package call

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/sony/gobreaker/v2"
)

// ErrUnavailable is the error of a call the peer could not answer: it is
// down, it answered 5xx after every retry, or the breaker is open. A
// caller turns it into 503 with Retry-After.
var ErrUnavailable = errors.New("call: the service is unavailable")

// Options configure a Client.
type Options struct {
	// Name names the peer in errors and in the breaker.
	Name string
	// Transport carries the requests: in process or over the network.
	// Defaults to http.DefaultTransport.
	Transport http.RoundTripper
	// Token returns the bearer token to send; nil sends none.
	Token func(context.Context) (string, error)
	// Timeout bounds one attempt. Defaults to 2 s.
	Timeout time.Duration
	// Tries is how many attempts an idempotent request gets. Defaults
	// to 3.
	Tries uint
	// Backoff is the first wait between attempts; it doubles, with
	// jitter. Defaults to 50 ms.
	Backoff time.Duration
	// Failures is how many failed calls in a row open the breaker.
	// Defaults to 5.
	Failures uint32
	// OpenFor is how long the breaker stays open before it lets one call
	// try the peer again. Defaults to 5 s.
	OpenFor time.Duration
	// Wrap, when set, wraps the whole transport, for tracing.
	Wrap func(http.RoundTripper) http.RoundTripper
}

// NewClient returns an http.Client for a generated client of the peer.
func NewClient(o Options) *http.Client {
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	if o.Tries == 0 {
		o.Tries = 3
	}
	if o.Backoff <= 0 {
		o.Backoff = 50 * time.Millisecond
	}
	if o.Failures == 0 {
		o.Failures = 5
	}
	if o.OpenFor <= 0 {
		o.OpenFor = 5 * time.Second
	}
	t := &transport{o: o}
	t.breaker = gobreaker.NewCircuitBreaker[*http.Response](gobreaker.Settings{
		Name:    o.Name,
		Timeout: o.OpenFor,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			return c.ConsecutiveFailures >= o.Failures
		},
		// A caller that gave up is not the peer failing.
		IsExcluded: func(err error) bool {
			return errors.Is(err, context.Canceled)
		},
	})
	var rt http.RoundTripper = t
	if o.Wrap != nil {
		rt = o.Wrap(rt)
	}
	return &http.Client{Transport: rt}
}

type transport struct {
	o       Options
	breaker *gobreaker.CircuitBreaker[*http.Response]
}

// RoundTrip sends req through the breaker, retrying an idempotent request
// that failed for a reason a retry can mend.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.o.Token != nil {
		token, err := t.o.Token(req.Context())
		if err != nil {
			return nil, fmt.Errorf("call %s: token: %w", t.o.Name, err)
		}
		req = req.Clone(req.Context())
		req.Header.Set("Authorization", "Bearer "+token)
	}
	tries := uint(1)
	if idempotent(req) {
		tries = t.o.Tries
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = t.o.Backoff
	resp, err := backoff.Retry(req.Context(), func() (*http.Response, error) {
		resp, err := t.breaker.Execute(func() (*http.Response, error) { return t.attempt(req) })
		switch {
		case errors.Is(err, gobreaker.ErrOpenState), errors.Is(err, gobreaker.ErrTooManyRequests):
			// The breaker refused without calling: retrying now would
			// be refused too.
			return nil, backoff.Permanent(fmt.Errorf("call %s: %w (circuit open)", t.o.Name, ErrUnavailable))
		case err != nil && req.Context().Err() != nil:
			return nil, backoff.Permanent(err)
		}
		return resp, err
	}, backoff.WithBackOff(b), backoff.WithMaxTries(tries), backoff.WithMaxElapsedTime(0))
	if err != nil {
		if errors.Is(err, ErrUnavailable) || req.Context().Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("call %s: %w: %v", t.o.Name, ErrUnavailable, err)
	}
	return resp, nil
}

// attempt sends req once, within the attempt timeout. A 5xx answer counts
// as a failure of the peer: its body is read so that the connection can
// be reused, and it comes back as an error.
func (t *transport) attempt(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.o.Timeout)
	r := req.Clone(ctx)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			cancel()
			return nil, err
		}
		r.Body = body
	}
	resp, err := t.o.Transport.RoundTrip(r)
	if err != nil {
		cancel()
		return nil, err
	}
	if resp.StatusCode >= 500 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		cancel()
		return nil, fmt.Errorf("answered %s", resp.Status)
	}
	// The timeout ends with the body: reading it is part of the attempt.
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// idempotent reports whether req may be sent again without changing the
// outcome (RFC 9110 §9.2.2), or carries an Idempotency-Key that makes it so.
func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return req.Body == nil || req.GetBody != nil
	}
	return req.Header.Get("Idempotency-Key") != "" && (req.Body == nil || req.GetBody != nil)
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
