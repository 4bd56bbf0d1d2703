package quotes_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/services/platform/answer"
	"github.com/charterhq/charter/services/platform/call"
)

// TestMaterialsDown checks what a company meets when it submits while
// materials cannot price: 503 with Retry-After, the draft left a draft,
// and, once materials is back, a submission that goes through.
func TestMaterialsDown(t *testing.T) {
	cases := []struct {
		name string
		opts []systemOption
		fail func(t *testing.T, s *system)
		// tries is how many calls reach materials: every try of the
		// client (two in these tests), or none when nothing listens.
		tries int64
		heals bool
	}{
		{name: "in process, materials answering 500", fail: func(t *testing.T, s *system) { s.materials.answer(failing) },
			tries: 2, heals: true},
		{name: "over HTTP, materials answering 500", opts: []systemOption{overHTTP()},
			fail: func(t *testing.T, s *system) { s.materials.answer(failing) }, tries: 2, heals: true},
		{name: "over HTTP, nothing listening", opts: []systemOption{overHTTP()},
			fail: func(t *testing.T, s *system) { s.materials.stop(t) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := startSystem(t, c.opts...)
			q := s.draft(t, bob, line(s.catalogue.steel, 1, 1000, 1000))
			c.fail(t, s)
			before, calls := stored(t, s.repo), s.materials.calls.Load()

			res, err := s.client.SubmitQuoteWithResponse(context.Background(), q.Id, nil, s.as(t, bob))
			must(t, err)
			p := assertProblem(t, res.HTTPResponse, res.Body, http.StatusServiceUnavailable)
			if got, want := res.HTTPResponse.Header.Get("Retry-After"), answer.RetryAfterHeader; got != want {
				t.Errorf("Retry-After = %q, want %q", got, want)
			}
			if res.Headers503 == nil || res.Headers503.RetryAfter == nil || *res.Headers503.RetryAfter != answer.RetryAfter {
				t.Errorf("the generated client reads Retry-After as %+v, want %d", res.Headers503, answer.RetryAfter)
			}
			if !strings.Contains(p.Detail, "materials") {
				t.Errorf("detail %q does not say what cannot be reached", p.Detail)
			}
			if got, want := s.materials.calls.Load()-calls, c.tries; got != want {
				t.Errorf("materials was called %d times, want %d", got, want)
			}
			assertUnchanged(t, s.repo, before)
			if got := s.get(t, bob, q.Id); got.State != api.Draft || got.Total != nil {
				t.Errorf("after the refusal the quote is %+v, want the draft unpriced", got)
			}

			if !c.heals {
				return
			}
			s.materials.restore()
			if got := s.submit(t, bob, q.Id); got.State != api.Submitted || got.Total == nil || got.Total.Amount != 12000 {
				t.Errorf("once materials is back, submitted %+v, want 120.00 EUR", got)
			}
		})
	}
}

// TestMaterialsBreaker checks that once materials has failed often
// enough, quotes stops calling it for a while and answers 503 at once,
// even though materials would now answer.
func TestMaterialsBreaker(t *testing.T) {
	s := startSystem(t, withCall(call.Options{Failures: 2, OpenFor: time.Hour}))
	q := s.draft(t, bob, line(s.catalogue.steel, 1, 1000, 1000))
	s.materials.answer(failing)
	res, err := s.client.SubmitQuoteWithResponse(context.Background(), q.Id, nil, s.as(t, bob))
	must(t, err)
	assertProblem(t, res.HTTPResponse, res.Body, http.StatusServiceUnavailable)

	s.materials.restore()
	calls := s.materials.calls.Load()
	res, err = s.client.SubmitQuoteWithResponse(context.Background(), q.Id, nil, s.as(t, bob))
	must(t, err)
	assertProblem(t, res.HTTPResponse, res.Body, http.StatusServiceUnavailable)
	if got, want := res.HTTPResponse.Header.Get("Retry-After"), answer.RetryAfterHeader; got != want {
		t.Errorf("Retry-After = %q, want %q", got, want)
	}
	if got := s.materials.calls.Load() - calls; got != 0 {
		t.Errorf("the open breaker let %d calls through", got)
	}
}

// TestMaterialsSlow checks that a materials service that takes its time
// does not hold a submission: each attempt ends at the client's attempt
// timeout, and the company gets 503 rather than a hung request. The
// deadline below only guards against a hang; it is not a timing claim.
func TestMaterialsSlow(t *testing.T) {
	for name, opts := range map[string][]systemOption{"in process": nil, "over HTTP": {overHTTP()}} {
		t.Run(name, func(t *testing.T) {
			s := startSystem(t, append(opts, withCall(call.Options{Timeout: 50 * time.Millisecond}))...)
			q := s.draft(t, bob, line(s.catalogue.steel, 1, 1000, 1000))
			s.materials.answer(hanging)
			before, calls := stored(t, s.repo), s.materials.calls.Load()

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := s.client.SubmitQuoteWithResponse(ctx, q.Id, nil, s.as(t, bob))
			if ctx.Err() != nil {
				t.Fatalf("the submission hung while materials did not answer: %v", err)
			}
			must(t, err)
			assertProblem(t, res.HTTPResponse, res.Body, http.StatusServiceUnavailable)
			if got, want := res.HTTPResponse.Header.Get("Retry-After"), answer.RetryAfterHeader; got != want {
				t.Errorf("Retry-After = %q, want %q", got, want)
			}
			if got, want := s.materials.calls.Load()-calls, int64(2); got != want {
				t.Errorf("materials was called %d times, want an attempt per try, %d", got, want)
			}
			assertUnchanged(t, s.repo, before)
		})
	}
}
