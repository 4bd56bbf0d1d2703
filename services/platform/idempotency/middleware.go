package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	stored "github.com/charterhq/charter/repositories/idempotency"
	"github.com/charterhq/charter/services/platform/problem"
	"github.com/charterhq/charter/services/platform/request"
)

// Options are what Middleware is built from.
type Options struct {
	// Spec is the service's contract: the operations that declare the
	// Idempotency-Key header parameter are the ones the middleware acts
	// on. Required.
	Spec *openapi3.T
	// Store keeps the keys. Required.
	Store Store
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives the store's failures. Defaults to slog.Default().
	Logger *slog.Logger
}

// Middleware returns the middleware that makes the operations of o.Spec
// that declare the Idempotency-Key header idempotent under it. It wraps
// the operations inside the contract, where a request's operation and
// caller are known; a request without the header, or of another
// operation, goes through untouched.
func Middleware(o Options) (func(http.Handler) http.Handler, error) {
	if o.Spec == nil || o.Store == nil {
		return nil, errors.New("idempotency: a spec and a store are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	marked := Operations(o.Spec)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			value := r.Header.Get(Header)
			scope := request.ScopeFrom(r.Context())
			if value == "" || scope == nil || !marked[scope.Operation()] {
				next.ServeHTTP(w, r)
				return
			}
			caller, _ := scope.Caller()
			serve(w, r, next, o, Key{Subject: caller.Subject, Value: value})
		})
	}, nil
}

// Operations returns the ids of the operations of spec that declare the
// Idempotency-Key header parameter.
func Operations(spec *openapi3.T) map[string]bool {
	marked := make(map[string]bool)
	if spec == nil || spec.Paths == nil {
		return marked
	}
	for _, item := range spec.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p != nil && p.Value != nil && p.Value.In == openapi3.ParameterInHeader && http.CanonicalHeaderKey(p.Value.Name) == Header {
					marked[op.OperationID] = true
				}
			}
		}
	}
	return marked
}

// serve answers r under key k: replayed, refused, or run once with its
// answer recorded in the transaction of its work.
func serve(w http.ResponseWriter, r *http.Request, next http.Handler, o Options, k Key) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		// The edge's body limit, or a client gone: the contract read
		// this body already, so this is not the place to explain it.
		problem.Write(w, r, problem.New(http.StatusBadRequest, "The request body could not be read."))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	hash := requestHash(r, body)

	now := o.Now()
	held, err := o.Store.Reserve(r.Context(), k, hash, now, now.Add(-TTL), now.Add(-Lease))
	if err != nil {
		o.Logger.ErrorContext(r.Context(), "idempotency: reserve", "error", err)
		problem.Write(w, r, problem.New(http.StatusInternalServerError, ""))
		return
	}
	switch {
	case held != nil && held.Hash != hash:
		problem.Write(w, r, problem.New(http.StatusUnprocessableEntity,
			"This Idempotency-Key was used for another request: send a new key with a changed request."))
		return
	case held != nil && !held.Done:
		problem.Write(w, r, inFlight())
		return
	case held != nil:
		replay(w, held.Response)
		return
	}

	var rec *recorder
	err = o.Store.Complete(r.Context(), k, now, func(ctx context.Context) (*Response, error) {
		rec = newRecorder()
		next.ServeHTTP(rec, r.WithContext(ctx))
		if rec.status < 200 || rec.status > 299 {
			// A failure did nothing to keep: its work is rolled back
			// and a retry runs again.
			return nil, nil
		}
		return &Response{Status: rec.status, Header: rec.header.Clone(), Body: rec.body.Bytes()}, nil
	})
	if err != nil || rec == nil || rec.status < 200 || rec.status > 299 {
		if rerr := o.Store.Release(r.Context(), k, now); rerr != nil {
			o.Logger.ErrorContext(r.Context(), "idempotency: release", "error", rerr)
		}
	}
	if errors.Is(err, stored.ErrTakenOver) {
		// This request outlived its lease and another took the key
		// over: its work did not commit, and the taker's answer is the
		// one a retry gets.
		o.Logger.WarnContext(r.Context(), "idempotency: key taken over while its request ran")
		problem.Write(w, r, inFlight())
		return
	}
	if err != nil {
		// The work did not commit: whatever it answered is not true.
		o.Logger.ErrorContext(r.Context(), "idempotency: complete", "error", err)
		problem.Write(w, r, problem.New(http.StatusInternalServerError, ""))
		return
	}
	replay(w, Response{Status: rec.status, Header: rec.header, Body: rec.body.Bytes()})
}

// inFlight is the answer to a request whose key another request holds.
func inFlight() problem.Problem {
	return problem.New(http.StatusConflict,
		"A request with this Idempotency-Key is still running: retry once it has been answered.")
}

// requestHash identifies a request for its key: its method, path and
// body, byte for byte (a retry sends the same bytes).
func requestHash(r *http.Request, body []byte) string {
	h := sha256.New()
	io.WriteString(h, r.Method+" "+r.URL.Path+"\n")
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// replay sends resp.
func replay(w http.ResponseWriter, resp Response) {
	for name, values := range resp.Header {
		w.Header()[name] = append([]string(nil), values...)
	}
	w.WriteHeader(resp.Status)
	w.Write(resp.Body)
}

// recorder holds a response back until its work has committed.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: make(http.Header)} }

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
