package idempotency_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/platform/idempotency"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/access"
)

// spec declares one operation, createThing, with the Idempotency-Key
// header.
const spec = `
openapi: 3.0.3
info: {title: Things, version: 1.0.0}
paths:
  /things:
    post:
      operationId: createThing
      parameters:
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      responses:
        "201": {description: created}
`

// clock is a clock the tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// things is createThing behind the middleware, as the contract hands it
// a request: with its operation and caller accepted.
type things struct {
	handler http.Handler
	clock   *clock
	store   idempotency.Store
	created atomic.Int64
	// held, when set, holds the next request: it closes entered and
	// waits until release is closed.
	held atomic.Pointer[hold]
}

type hold struct{ entered, release chan struct{} }

func newThings(t *testing.T) *things {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	th := &things{clock: &clock{now: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)}, store: memory.NewIdempotencyKeys()}
	mw, err := idempotency.Middleware(idempotency.Options{Spec: doc, Store: th.store, Now: th.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	th.handler = mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := th.held.Swap(nil); h != nil {
			close(h.entered)
			<-h.release
		}
		n := th.created.Add(1)
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, strings.Repeat("x", int(n)))
	}))
	return th
}

// post sends createThing under key.
func (th *things) post(key string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/things", strings.NewReader(`{}`))
	r.Header.Set(idempotency.Header, key)
	scope := &request.Scope{ID: "req"}
	scope.Accept("createThing", &access.Caller{Subject: "ada"})
	r = r.WithContext(request.NewContext(r.Context(), scope))
	w := httptest.NewRecorder()
	th.handler.ServeHTTP(w, r)
	return w
}

// TestTakeoverKeepsTheTakersAnswer has a request outlive its key's lease:
// a retry takes the key over and is answered, and when the first request
// finishes at last it is told 409 and its answer is not kept.
func TestTakeoverKeepsTheTakersAnswer(t *testing.T) {
	th := newThings(t)
	h := &hold{entered: make(chan struct{}), release: make(chan struct{})}
	th.held.Store(h)
	slow := make(chan *httptest.ResponseRecorder)
	go func() { slow <- th.post("k") }()
	select {
	case <-h.entered:
	case <-time.After(time.Minute):
		t.Fatal("the first request never began its work")
	}
	if busy := th.post("k"); busy.Code != http.StatusConflict {
		t.Fatalf("within the lease, a retry = %d %s, want 409", busy.Code, busy.Body)
	}
	th.clock.Advance(idempotency.Lease + time.Second)
	taker := th.post("k")
	if taker.Code != http.StatusCreated {
		t.Fatalf("past the lease, a retry = %d %s, want 201", taker.Code, taker.Body)
	}
	close(h.release)
	if late := <-slow; late.Code != http.StatusConflict {
		t.Errorf("the slow request, finishing last = %d %s, want 409", late.Code, late.Body)
	}
	again := th.post("k")
	if again.Code != http.StatusCreated || again.Body.String() != taker.Body.String() {
		t.Errorf("a retry after both = %d %s, want the taker's 201 %s", again.Code, again.Body, taker.Body)
	}
}

// TestJobForgetsKeysPastTheirTime runs the sweep job: a key answered more
// than a TTL ago is forgotten, so that the same key runs again.
func TestJobForgetsKeysPastTheirTime(t *testing.T) {
	th := newThings(t)
	if first := th.post("old"); first.Code != http.StatusCreated {
		t.Fatalf("first = %d", first.Code)
	}
	th.clock.Advance(idempotency.TTL - time.Minute)
	if first := th.post("recent"); first.Code != http.StatusCreated {
		t.Fatalf("first = %d", first.Code)
	}
	th.clock.Advance(2 * time.Minute)
	job := idempotency.Job(th.store, th.clock.Now, nil)
	if job.Every <= 0 || job.Name == "" {
		t.Errorf("job %q every %v", job.Name, job.Every)
	}
	if err := job.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Only the old key is gone: what a reservation finds, with times that
	// would forget nothing, tells.
	for key, kept := range map[string]bool{"old": false, "recent": true} {
		held, err := th.store.Reserve(context.Background(), idempotency.Key{Subject: "ada", Value: key}, "h",
			th.clock.Now(), time.Time{}.Add(time.Hour), time.Time{}.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got := held != nil; got != kept {
			t.Errorf("%s: kept = %v, want %v", key, got, kept)
		}
	}
}
