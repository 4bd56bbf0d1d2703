package quotes_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/stories/access"
)

// keyed is one answer of a request sent under an Idempotency-Key.
type keyed struct {
	status int
	header http.Header
	body   []byte
}

// keyedOps are the operations of api/quotes.yaml that take an
// Idempotency-Key, each sent through the generated client with key.
var keyedOps = map[string]func(s *system, t *testing.T, c access.Caller, id int64, key string) keyed{
	"create": func(s *system, t *testing.T, c access.Caller, _ int64, key string) keyed {
		lines := []api.NewQuoteLine{line(s.catalogue.steel, 10, 600, 400)}
		res, err := s.client.CreateQuoteWithResponse(context.Background(), &api.CreateQuoteParams{IdempotencyKey: &key}, api.NewQuote{Lines: &lines}, s.as(t, c))
		return answered(t, res.HTTPResponse, res.Body, err)
	},
	"submit": func(s *system, t *testing.T, c access.Caller, id int64, key string) keyed {
		res, err := s.client.SubmitQuoteWithResponse(context.Background(), id, &api.SubmitQuoteParams{IdempotencyKey: &key}, s.as(t, c))
		return answered(t, res.HTTPResponse, res.Body, err)
	},
	"accept": func(s *system, t *testing.T, c access.Caller, id int64, key string) keyed {
		res, err := s.client.AcceptQuoteWithResponse(context.Background(), id, &api.AcceptQuoteParams{IdempotencyKey: &key}, s.as(t, c))
		return answered(t, res.HTTPResponse, res.Body, err)
	},
	"reject": func(s *system, t *testing.T, c access.Caller, id int64, key string) keyed {
		res, err := s.client.RejectQuoteWithResponse(context.Background(), id, &api.RejectQuoteParams{IdempotencyKey: &key}, s.as(t, c))
		return answered(t, res.HTTPResponse, res.Body, err)
	},
}

func answered(t *testing.T, res *http.Response, body []byte, err error) keyed {
	t.Helper()
	if err != nil {
		t.Error(err)
		return keyed{}
	}
	return keyed{status: res.StatusCode, header: res.Header, body: body}
}

// keyedCase is one keyed operation: who sends it, over what quote, and
// what its one effect is.
type keyedCase struct {
	op     string
	caller access.Caller
	status int
	// prepare makes the quote the operation acts on; 0 for create.
	prepare func(s *system, t *testing.T) int64
	// effects counts, after the requests, how many times the operation
	// took effect: quotes created, or the quote moved to its state.
	effects func(s *system, t *testing.T, id int64) int
}

var keyedCases = []keyedCase{
	{op: "create", caller: bob, status: http.StatusCreated,
		effects: func(s *system, t *testing.T, _ int64) int { return int(s.all(t, bob).Count) }},
	{op: "submit", caller: bob, status: http.StatusOK,
		prepare: func(s *system, t *testing.T) int64 {
			return s.draft(t, bob, line(s.catalogue.steel, 10, 600, 400)).Id
		},
		effects: versionsSince(1)},
	{op: "accept", caller: ada, status: http.StatusOK, prepare: submitted, effects: versionsSince(2)},
	{op: "reject", caller: ada, status: http.StatusOK, prepare: submitted, effects: versionsSince(2)},
}

// submitted makes a submitted quote of bob's company, at version 2.
func submitted(s *system, t *testing.T) int64 {
	return s.submit(t, bob, s.draft(t, bob, line(s.catalogue.steel, 10, 600, 400)).Id).Id
}

// versionsSince counts the writes to a quote since it was at version v:
// each transition adds one.
func versionsSince(v int) func(s *system, t *testing.T, id int64) int {
	return func(s *system, t *testing.T, id int64) int {
		res, err := s.client.GetQuoteWithResponse(context.Background(), id, nil, s.as(t, ada))
		if err != nil || res.Headers200 == nil || res.Headers200.ETag == nil {
			t.Fatalf("get %d: %v %v", id, err, res.Status())
		}
		var version int
		if err := json.Unmarshal([]byte(strings.Trim(*res.Headers200.ETag, `"`)), &version); err != nil {
			t.Fatalf("ETag %s: %v", *res.Headers200.ETag, err)
		}
		return version - v
	}
}

// TestIdempotencyKeyOnEveryStore checks every keyed operation of quotes
// over every store: a retry gets the first answer (status, ETag, body)
// without the work done again, another request under the same key is 422,
// and of concurrent retries with one key exactly one takes effect while
// the others are told 409 or given the first answer.
func TestIdempotencyKeyOnEveryStore(t *testing.T) {
	for _, store := range stores {
		for _, c := range keyedCases {
			send := keyedOps[c.op]
			t.Run(store.name+"/"+c.op+"/a retry gets the first answer and does nothing again", func(t *testing.T) {
				s := startSystem(t, store.open(t))
				var id int64
				if c.prepare != nil {
					id = c.prepare(s, t)
				}
				priced := s.materials.calls.Load()
				first := send(s, t, c.caller, id, "k-1")
				if first.status != c.status {
					t.Fatalf("first: status %d, want %d: %s", first.status, c.status, first.body)
				}
				if first.header.Get("ETag") == "" {
					t.Error("first answer has no ETag")
				}
				pricedOnce := s.materials.calls.Load()
				again := send(s, t, c.caller, id, "k-1")
				if again.status != first.status || string(again.body) != string(first.body) {
					t.Fatalf("retry = %d %s, want %d %s", again.status, again.body, first.status, first.body)
				}
				for _, h := range []string{"ETag", "Location", "Content-Type"} {
					if got, want := again.header.Get(h), first.header.Get(h); got != want {
						t.Errorf("retry %s = %q, want %q", h, got, want)
					}
				}
				if got := c.effects(s, t, id); got != 1 {
					t.Errorf("%d effects, want 1", got)
				}
				if got := s.materials.calls.Load(); got != pricedOnce {
					t.Errorf("the retry called materials %d times, want none", got-pricedOnce)
				}
				if c.op == "submit" && pricedOnce == priced {
					t.Error("the first submission did not call materials")
				}
			})
			t.Run(store.name+"/"+c.op+"/the same key with another request is 422", func(t *testing.T) {
				s := startSystem(t, store.open(t))
				var id, other int64
				if c.prepare != nil {
					id, other = c.prepare(s, t), c.prepare(s, t)
				}
				if first := send(s, t, c.caller, id, "k-2"); first.status != c.status {
					t.Fatalf("first: status %d, want %d: %s", first.status, c.status, first.body)
				}
				// Another quote for a transition; another body for
				// create.
				var res keyed
				if c.op == "create" {
					r, err := s.client.CreateQuoteWithResponse(context.Background(), &api.CreateQuoteParams{IdempotencyKey: ptr("k-2")}, api.NewQuote{}, s.as(t, c.caller))
					res = answered(t, r.HTTPResponse, r.Body, err)
				} else {
					res = send(s, t, c.caller, other, "k-2")
				}
				if res.status != http.StatusUnprocessableEntity {
					t.Fatalf("status = %d, want 422: %s", res.status, res.body)
				}
				if c.op == "create" {
					if got := c.effects(s, t, 0); got != 1 {
						t.Errorf("%d quotes, want 1", got)
					}
				} else if got := c.effects(s, t, other); got != 0 {
					t.Errorf("the other quote changed %d times, want 0", got)
				}
			})
			t.Run(store.name+"/"+c.op+"/ten concurrent retries with one key take effect once", func(t *testing.T) {
				s := startSystem(t, store.open(t))
				var id int64
				if c.prepare != nil {
					id = c.prepare(s, t)
				}
				const n = 10
				answers := make([]keyed, n)
				var wg sync.WaitGroup
				for i := range n {
					wg.Go(func() { answers[i] = send(s, t, c.caller, id, "k-3") })
				}
				wg.Wait()
				var first *keyed
				for i, a := range answers {
					switch a.status {
					case c.status:
						if first != nil && (string(a.body) != string(first.body) || a.header.Get("ETag") != first.header.Get("ETag")) {
							t.Errorf("two different answers: %s and %s", first.body, a.body)
						}
						first = &answers[i]
					case http.StatusConflict:
						var p problemDoc
						if err := json.Unmarshal(a.body, &p); err != nil || !strings.Contains(p.Detail, "Idempotency-Key") {
							t.Errorf("request %d: 409 that is not about the key: %s", i, a.body)
						}
					default:
						t.Errorf("request %d: status %d, want %d or 409: %s", i, a.status, c.status, a.body)
					}
				}
				if first == nil {
					t.Fatalf("no request got %d", c.status)
				}
				// Once the first is answered, every retry gets its answer.
				again := send(s, t, c.caller, id, "k-3")
				if again.status != first.status || string(again.body) != string(first.body) {
					t.Errorf("retry after the race = %d %s, want %d %s", again.status, again.body, first.status, first.body)
				}
				if got := c.effects(s, t, id); got != 1 {
					t.Errorf("%d effects, want exactly 1", got)
				}
			})
		}
	}
}
