package quotes_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/platform/answer"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/quotes"
)

// target names the quote a case's path points at, among the fixture's.
type target int

const (
	noQuote      target = iota // the operation names none
	ownDraft                   // ownCompany's draft of two priced lines
	ownEmpty                   // ownCompany's draft without lines
	ownSubmitted               // ownCompany's quote, submitted
	theirDraft                 // otherCompany's draft
	missingQuote               // an ID nobody has
	zeroID                     // 0, which the contract refuses
	// ownCompany's drafts whose second line cannot be priced.
	unknownLine  // a material nobody has
	foreignLine  // otherCompany's material
	inactiveLine // an inactive material
	unpricedLine // a material without a price
	dollarsLine  // a material priced in USD after one in EUR
	costlyLine   // a part whose price would exceed the largest amount
)

// fixture is the whole system over an in-memory store that can break,
// with materials over HTTP, holding one quote of each target.
type fixture struct {
	*system
	broken *brokenRepository
	quotes map[target]int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	broken := &brokenRepository{Repository: memory.NewQuotes()}
	s := startSystem(t, over(broken, nil), overHTTP())
	c := s.catalogue
	bob := external(ownCompany, readWrite...)
	priced := line(c.steel, 10, 600, 400)
	secondOf := func(l api.NewQuoteLine) int64 { return s.draft(t, bob, priced, l).Id }
	return &fixture{system: s, broken: broken, quotes: map[target]int64{
		ownDraft:     secondOf(line(c.stainless, 4, 1200, 250)),
		ownEmpty:     s.draft(t, bob).Id,
		ownSubmitted: s.submit(t, bob, s.draft(t, bob, priced).Id).Id,
		theirDraft:   s.draft(t, external(otherCompany, readWrite...), line(c.foreign, 1, 100, 100)).Id,
		missingQuote: 987654321,
		zeroID:       0,
		unknownLine:  secondOf(api.NewQuoteLine{MaterialId: 987654321, Quantity: 1, WidthMm: 100, HeightMm: 100}),
		foreignLine:  secondOf(line(c.foreign, 1, 100, 100)),
		inactiveLine: secondOf(line(c.inactive, 1, 100, 100)),
		unpricedLine: secondOf(line(c.unpriced, 1, 100, 100)),
		dollarsLine:  secondOf(line(c.dollars, 1, 100, 100)),
		costlyLine:   secondOf(line(c.costly, 1, 10000, 10000)),
	}}
}

// The bodies of the cases; material 1 is the catalogue's steel.
const (
	validNew   = `{"lines":[{"material_id":1,"quantity":1,"width_mm":100,"height_mm":100}]}`
	validLines = `{"lines":[{"material_id":1,"quantity":2,"width_mm":300,"height_mm":200}]}`
)

// overLimit is a body over the 1 MiB every service accepts.
var overLimit = `{"lines":[]` + strings.Repeat(" ", 2<<20) + `}`

// What happens before a case's request.
var (
	materialsFailing  = func(t *testing.T, f *fixture) { f.materials.answer(failing) }
	materialsStopped  = func(t *testing.T, f *fixture) { f.materials.stop(t) }
	materialsRefusing = func(t *testing.T, f *fixture) { f.materials.answer(refusing(f.materials.real)) }
	validityPassed    = func(t *testing.T, f *fixture) { f.clock.Advance(domain.DefaultValidity + time.Second) }
	// keyInFlight has bob create a draft under the Idempotency-Key
	// "busy" and keeps that request running until the case is over.
	keyInFlight = func(t *testing.T, f *fixture) {
		entered, release := f.broken.holdCreate()
		done := make(chan struct{})
		as := f.as(t, bob)
		go func() {
			defer close(done)
			res, err := f.client.CreateQuoteWithBodyWithResponse(context.Background(), &api.CreateQuoteParams{IdempotencyKey: ptr("busy")},
				"application/json", strings.NewReader(validNew), as)
			if err != nil || res.StatusCode() != http.StatusCreated {
				t.Errorf("the first request under the key: %v, %v", err, res)
			}
		}()
		t.Cleanup(func() { close(release); <-done })
		select {
		case <-entered:
		case <-done:
			t.Fatal("the first request under the key ended before it stored its quote")
		case <-time.After(time.Minute):
			t.Fatal("the first request under the key never stored its quote")
		}
	}
	// keyUsed has staff create a draft under the Idempotency-Key "used".
	keyUsed = func(t *testing.T, f *fixture) {
		res, err := f.client.CreateQuoteWithResponse(context.Background(), &api.CreateQuoteParams{IdempotencyKey: ptr("used")},
			api.NewQuote{CompanyId: ptr[int64](ownCompany)}, f.as(t, ada))
		if err != nil || res.StatusCode() != http.StatusCreated {
			t.Fatalf("creating under the key: %v, %v", err, res)
		}
	}
	// linesReplacedMeanwhile has the company replace the draft's lines
	// while materials prices them, once.
	linesReplacedMeanwhile = func(t *testing.T, f *fixture) {
		var once sync.Once
		as := f.as(t, bob)
		f.materials.answer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			once.Do(func() {
				res, err := f.client.ReplaceQuoteLinesWithBodyWithResponse(r.Context(), f.quotes[ownDraft], nil, "application/json", strings.NewReader(validLines), as)
				if err != nil || res.StatusCode() != http.StatusOK {
					t.Errorf("replacing the lines meanwhile: %v, %v", err, res)
				}
			})
			f.materials.real.ServeHTTP(w, r)
		}))
	}
)

// statusCase is one request through the whole stack and the status it
// must get.
type statusCase struct {
	op, name string
	status   int
	who      access.Caller
	quote    target
	params   *api.ListQuotesParams
	// tag is sent as If-None-Match by getQuote and as If-Match by
	// replaceQuoteLines and deleteQuote; none when empty.
	tag string
	// key is sent as Idempotency-Key by the operations that take one;
	// none when empty.
	key string
	// body is the raw JSON of createQuote and replaceQuoteLines, a valid
	// one when empty, sent as contentType (application/json when empty).
	body, contentType string
	// broken is the repository method that fails for good, if any; down
	// the one whose database is unavailable for now.
	broken, down string
	// arrange runs before the request: materials failing, time passing.
	arrange func(t *testing.T, f *fixture)
	// pointers are the field errors of a refusal.
	pointers []string
	// detail is part of a refusal's detail, for a status several reasons
	// share.
	detail string
	// cause is what the logs of a 500 name: brokenText when empty.
	cause string
	// changes says the request changes the store although it is refused.
	changes bool
	check   func(t *testing.T, f *fixture, e exchange)
}

// preempted are the documented statuses no request can get through the
// stack, and why. The cases show what answers instead.
var preempted = map[string]map[int]string{
	"replaceQuoteLines": {422: "every rule the story holds lines to (at most 100, each material ID, quantity, width and height in range) " +
		"is in the schema too, so the contract answers 400 before the story runs; the answer stays for defence in depth"},
}

// TestEveryDocumentedStatus provokes each status the spec documents for
// each operation through the generated client, the real server and a real
// materials service, and checks that a refused request leaves the store
// as it was.
func TestEveryDocumentedStatus(t *testing.T) {
	priced := func(want int64) func(t *testing.T, f *fixture, e exchange) {
		return func(t *testing.T, f *fixture, e exchange) {
			var q api.Quote
			decode(t, e.body, &q)
			if q.State != api.Submitted || q.Total == nil || q.Total.Amount != want || q.Total.Currency != "EUR" {
				t.Errorf("submitted %+v, want a total of %d EUR", q, want)
			}
		}
	}
	wants := func(state api.QuoteState) func(t *testing.T, f *fixture, e exchange) {
		return func(t *testing.T, f *fixture, e exchange) {
			var q api.Quote
			decode(t, e.body, &q)
			if q.State != state {
				t.Errorf("state = %q, want %q", q.State, state)
			}
		}
	}
	cases := []statusCase{
		// listQuotes: 200 400 401 403 500
		{op: "listQuotes", name: "lists every company's quotes to staff", status: 200, who: adaReads,
			check: func(t *testing.T, f *fixture, e exchange) {
				var p api.QuotePage
				decode(t, e.body, &p)
				if got, want := p.Count, int64(len(f.quotes)-2); got != want || p.Limit != 20 || p.Offset != 0 {
					t.Errorf("count %d, limit %d, offset %d; want %d, 20, 0", got, p.Limit, p.Offset, want)
				}
			}},
		{op: "listQuotes", name: "refuses a limit over 100", status: 400, who: bobReads,
			params: &api.ListQuotesParams{Limit: ptr[int32](101)}, pointers: []string{"#/query/limit"}},
		{op: "listQuotes", name: "refuses an ordering on a field that is not sortable", status: 400, who: bobReads,
			params: &api.ListQuotesParams{Ordering: ptr(api.QuoteOrdering("total"))}, pointers: []string{"#/query/ordering"}},
		{op: "listQuotes", name: "refuses a request without a token", status: 401, who: nobody},
		{op: "listQuotes", name: "refuses a token without quotes:read", status: 403, who: bobWrites},
		{op: "listQuotes", name: "refuses a token with no role", status: 403, who: roleless},
		{op: "listQuotes", name: "answers 500 when counting fails", status: 500, who: bob, broken: "Count"},
		{op: "listQuotes", name: "answers 500 when finding fails", status: 500, who: ada, broken: "Find"},
		{op: "listQuotes", name: "answers 503 while the database is unavailable", status: 503, who: bob, down: "Count"},

		// createQuote: 201 400 401 403 409 413 415 422 500
		{op: "createQuote", name: "creates a draft and says where", status: 201, who: bob,
			check: func(t *testing.T, f *fixture, e exchange) {
				var q api.Quote
				decode(t, e.body, &q)
				if got, want := e.res.Header.Get("Location"), idPath(q.Id); got != want {
					t.Errorf("Location = %q, want %q", got, want)
				}
				if q.CompanyId != ownCompany || q.State != api.Draft || len(q.Lines) != 1 {
					t.Errorf("created %+v", q)
				}
			}},
		{op: "createQuote", name: "refuses a quantity of zero", status: 400, who: bob,
			body: `{"lines":[{"material_id":1,"quantity":0,"width_mm":100,"height_mm":100}]}`, pointers: []string{"#/lines/0/quantity"}},
		{op: "createQuote", name: "refuses a request without a token", status: 401, who: nobody},
		{op: "createQuote", name: "refuses a token without quotes:write", status: 403, who: bobReads},
		{op: "createQuote", name: "refuses an external caller creating for another company", status: 403, who: bob,
			body: fmt.Sprintf(`{"company_id":%d}`, otherCompany)},
		{op: "createQuote", name: "refuses a body over the limit", status: 413, who: bob, body: overLimit},
		{op: "createQuote", name: "refuses a body that is not JSON", status: 415, who: bob, contentType: "text/plain"},
		{op: "createQuote", name: "refuses a retry while the first request with its key still runs", status: 409, who: bob, key: "busy",
			arrange: keyInFlight, detail: "Idempotency-Key"},
		{op: "createQuote", name: "asks staff for the company", status: 403, who: ada, pointers: []string{"#/company_id"}},
		{op: "createQuote", name: "refuses a key used for another request", status: 422, who: ada, key: "used", arrange: keyUsed,
			body: fmt.Sprintf(`{"company_id":%d}`, otherCompany), detail: "Idempotency-Key"},
		{op: "createQuote", name: "answers 500 when storing fails", status: 500, who: bob, broken: "Create"},
		{op: "createQuote", name: "answers 503 while the database is unavailable", status: 503, who: bob, down: "Create"},

		// getQuote: 200 400 401 403 404 500
		{op: "getQuote", name: "returns the quote", status: 200, who: bobReads, quote: ownSubmitted, check: wants(api.Submitted)},
		{op: "getQuote", name: "refuses an ID of zero", status: 400, who: bobReads, quote: zeroID, pointers: []string{"#/path/quote_id"}},
		{op: "getQuote", name: "answers 304 when If-None-Match holds the quote's tag", status: 304, who: bobReads, quote: ownDraft, tag: "*"},
		{op: "getQuote", name: "refuses a request without a token", status: 401, who: nobody, quote: ownDraft},
		{op: "getQuote", name: "refuses a token without quotes:read", status: 403, who: bobWrites, quote: ownDraft},
		{op: "getQuote", name: "answers 404 for a quote that does not exist", status: 404, who: adaReads, quote: missingQuote},
		{op: "getQuote", name: "answers 404 for another company's quote", status: 404, who: bobReads, quote: theirDraft},
		{op: "getQuote", name: "answers 500 when reading fails", status: 500, who: bobReads, quote: ownDraft, broken: "Get"},
		{op: "getQuote", name: "answers 503 while the database is unavailable", status: 503, who: bobReads, quote: ownDraft, down: "Get"},

		// replaceQuoteLines: 200 400 401 403 404 409 413 415 (422) 500
		{op: "replaceQuoteLines", name: "replaces the lines of a draft", status: 200, who: bob, quote: ownDraft,
			check: func(t *testing.T, f *fixture, e exchange) {
				var q api.Quote
				decode(t, e.body, &q)
				assertDraftLines(t, q.Lines, []api.NewQuoteLine{{MaterialId: 1, Quantity: 2, WidthMm: 300, HeightMm: 200}})
			}},
		{op: "replaceQuoteLines", name: "refuses a body without lines", status: 400, who: bob, quote: ownDraft,
			body: `{}`, pointers: []string{"#/lines"}},
		{op: "replaceQuoteLines", name: "refuses a line out of range before the story sees it", status: 400, who: bob, quote: ownDraft,
			body: `{"lines":[{"material_id":1,"quantity":10001,"width_mm":100,"height_mm":100}]}`, pointers: []string{"#/lines/0/quantity"}},
		{op: "replaceQuoteLines", name: "refuses a request without a token", status: 401, who: nobody, quote: ownDraft},
		{op: "replaceQuoteLines", name: "refuses a token without quotes:write", status: 403, who: bobReads, quote: ownDraft},
		{op: "replaceQuoteLines", name: "answers 404 for a quote that does not exist", status: 404, who: ada, quote: missingQuote},
		{op: "replaceQuoteLines", name: "answers 404 for another company's quote", status: 404, who: bob, quote: theirDraft},
		{op: "replaceQuoteLines", name: "refuses to change a submitted quote", status: 409, who: bob, quote: ownSubmitted},
		{op: "replaceQuoteLines", name: "refuses a stale If-Match", status: 412, who: bob, quote: ownDraft, tag: `"999"`},
		{op: "replaceQuoteLines", name: "refuses a body over the limit", status: 413, who: bob, quote: ownDraft, body: overLimit},
		{op: "replaceQuoteLines", name: "refuses a body that is not JSON", status: 415, who: bob, quote: ownDraft,
			contentType: "application/xml", body: "<lines/>"},
		{op: "replaceQuoteLines", name: "answers 500 when storing fails", status: 500, who: bob, quote: ownDraft, broken: "ReplaceLines"},
		{op: "replaceQuoteLines", name: "answers 503 while the database is unavailable", status: 503, who: bob, quote: ownDraft, down: "ReplaceLines"},

		// deleteQuote: 204 400 401 403 404 409 500
		{op: "deleteQuote", name: "deletes a draft", status: 204, who: bob, quote: ownDraft,
			check: func(t *testing.T, f *fixture, e exchange) {
				if len(e.body) != 0 {
					t.Errorf("a 204 with a body: %s", e.body)
				}
				if _, err := f.repo.Get(context.Background(), f.quotes[ownDraft]); err != domain.ErrNotFound {
					t.Errorf("the deleted quote is still stored (err %v)", err)
				}
			}},
		{op: "deleteQuote", name: "refuses an ID of zero", status: 400, who: bob, quote: zeroID, pointers: []string{"#/path/quote_id"}},
		{op: "deleteQuote", name: "refuses a request without a token", status: 401, who: nobody, quote: ownDraft},
		{op: "deleteQuote", name: "refuses a token without quotes:write", status: 403, who: bobReads, quote: ownDraft},
		{op: "deleteQuote", name: "answers 404 for a quote that does not exist", status: 404, who: ada, quote: missingQuote},
		{op: "deleteQuote", name: "answers 404 for another company's quote", status: 404, who: bob, quote: theirDraft},
		{op: "deleteQuote", name: "refuses to delete a submitted quote", status: 409, who: bob, quote: ownSubmitted},
		{op: "deleteQuote", name: "refuses a stale If-Match", status: 412, who: bob, quote: ownDraft, tag: `"999"`},
		{op: "deleteQuote", name: "answers 500 when deleting fails", status: 500, who: bob, quote: ownDraft, broken: "Delete"},
		{op: "deleteQuote", name: "answers 503 while the database is unavailable", status: 503, who: bob, quote: ownDraft, down: "Delete"},

		// submitQuote: 200 400 401 403 404 409 422 500 503
		{op: "submitQuote", name: "prices and submits a draft", status: 200, who: bob, quote: ownDraft,
			check: priced(28800 + 7800)},
		{op: "submitQuote", name: "refuses an ID of zero", status: 400, who: bob, quote: zeroID, pointers: []string{"#/path/quote_id"}},
		{op: "submitQuote", name: "refuses a request without a token", status: 401, who: nobody, quote: ownDraft},
		{op: "submitQuote", name: "refuses a token without quotes:write", status: 403, who: bobReads, quote: ownDraft},
		{op: "submitQuote", name: "answers 404 for a quote that does not exist", status: 404, who: ada, quote: missingQuote},
		{op: "submitQuote", name: "answers 404 for another company's quote", status: 404, who: bob, quote: theirDraft},
		{op: "submitQuote", name: "refuses to submit a submitted quote", status: 409, who: bob, quote: ownSubmitted, detail: "Only a draft"},
		{op: "submitQuote", name: "refuses a draft whose lines changed while materials priced them", status: 409, who: bob, quote: ownDraft,
			arrange: linesReplacedMeanwhile, changes: true, detail: "changed while it was being priced",
			check: func(t *testing.T, f *fixture, e exchange) {
				q := f.get(t, bob, f.quotes[ownDraft])
				if q.State != api.Draft || len(q.Lines) != 1 || q.Lines[0].Quantity != 2 {
					t.Errorf("the quote is %+v, want the draft with its new lines", q)
				}
			}},
		{op: "submitQuote", name: "refuses a draft without lines", status: 409, who: bob, quote: ownEmpty, pointers: []string{"#/lines"}, detail: "without lines"},
		{op: "submitQuote", name: "refuses a material nobody has", status: 409, who: bob, quote: unknownLine, pointers: []string{"#/lines/1/material_id"},
			detail: "not one of the company's materials"},
		{op: "submitQuote", name: "refuses another company's material as if nobody had it", status: 409, who: bob, quote: foreignLine,
			pointers: []string{"#/lines/1/material_id"}, detail: "not one of the company's materials"},
		{op: "submitQuote", name: "refuses an inactive material", status: 409, who: bob, quote: inactiveLine, pointers: []string{"#/lines/1/material_id"},
			detail: "inactive"},
		{op: "submitQuote", name: "refuses a material without a price", status: 409, who: bob, quote: unpricedLine, pointers: []string{"#/lines/1/material_id"},
			detail: "no usable price"},
		{op: "submitQuote", name: "refuses a material priced in another currency", status: 409, who: bob, quote: dollarsLine,
			pointers: []string{"#/lines/1/material_id"}, detail: "priced in USD"},
		{op: "submitQuote", name: "refuses a line whose price is out of range", status: 422, who: bob, quote: costlyLine, pointers: []string{"#/lines/1"},
			detail: "would exceed"},
		{op: "submitQuote", name: "answers 500 when storing fails", status: 500, who: bob, quote: ownDraft, broken: "Submit"},
		{op: "submitQuote", name: "answers 500 when materials refuses the service's token", status: 500, who: bob, quote: ownDraft,
			arrange: materialsRefusing, cause: "materials answered 401"},
		{op: "submitQuote", name: "answers 503 when materials fails", status: 503, who: bob, quote: ownDraft, arrange: materialsFailing,
			detail: "materials"},
		{op: "submitQuote", name: "answers 503 when nothing listens for materials", status: 503, who: bob, quote: ownDraft, arrange: materialsStopped,
			detail: "materials"},
		{op: "submitQuote", name: "answers 503 while the database is unavailable", status: 503, who: bob, quote: ownDraft, down: "Submit"},

		// acceptQuote: 200 400 401 403 404 409 422 500
		{op: "acceptQuote", name: "accepts a submitted quote", status: 200, who: ada, quote: ownSubmitted, check: wants(api.Accepted)},
		{op: "acceptQuote", name: "refuses an ID of zero", status: 400, who: ada, quote: zeroID, pointers: []string{"#/path/quote_id"}},
		{op: "acceptQuote", name: "refuses a request without a token", status: 401, who: nobody, quote: ownSubmitted},
		{op: "acceptQuote", name: "refuses a token without quotes:write", status: 403, who: adaReads, quote: ownSubmitted},
		{op: "acceptQuote", name: "refuses an external caller", status: 403, who: bob, quote: ownSubmitted},
		{op: "acceptQuote", name: "answers 404 for a quote that does not exist", status: 404, who: ada, quote: missingQuote},
		{op: "acceptQuote", name: "refuses a draft", status: 409, who: ada, quote: ownDraft, detail: "Only a submitted quote"},
		{op: "acceptQuote", name: "refuses a quote past its validity the job has not expired yet", status: 409, who: ada, quote: ownSubmitted,
			arrange: validityPassed, detail: "past its validity"},
		{op: "acceptQuote", name: "refuses a key used for another request", status: 422, who: ada, quote: ownSubmitted, key: "used",
			arrange: keyUsed, detail: "Idempotency-Key"},
		{op: "acceptQuote", name: "answers 500 when storing fails", status: 500, who: ada, quote: ownSubmitted, broken: "Decide"},
		{op: "acceptQuote", name: "answers 503 while the database is unavailable", status: 503, who: ada, quote: ownSubmitted, down: "Decide"},

		// rejectQuote: 200 400 401 403 404 409 422 500
		{op: "rejectQuote", name: "rejects a submitted quote", status: 200, who: ada, quote: ownSubmitted, check: wants(api.Rejected)},
		{op: "rejectQuote", name: "refuses an ID of zero", status: 400, who: ada, quote: zeroID, pointers: []string{"#/path/quote_id"}},
		{op: "rejectQuote", name: "refuses a request without a token", status: 401, who: nobody, quote: ownSubmitted},
		{op: "rejectQuote", name: "refuses a token without quotes:write", status: 403, who: adaReads, quote: ownSubmitted},
		{op: "rejectQuote", name: "refuses an external caller", status: 403, who: bob, quote: ownSubmitted},
		{op: "rejectQuote", name: "answers 404 for a quote that does not exist", status: 404, who: ada, quote: missingQuote},
		{op: "rejectQuote", name: "refuses a draft", status: 409, who: ada, quote: ownDraft},
		{op: "rejectQuote", name: "refuses a key used for another request", status: 422, who: ada, quote: ownSubmitted, key: "used",
			arrange: keyUsed, detail: "Idempotency-Key"},
		{op: "rejectQuote", name: "answers 500 when reading fails", status: 500, who: ada, quote: ownSubmitted, broken: "Get"},
		{op: "rejectQuote", name: "answers 503 while the database is unavailable", status: 503, who: ada, quote: ownSubmitted, down: "Decide"},
	}
	covered := map[string]map[int]bool{}
	for _, c := range cases {
		t.Run(c.op+"/"+strconv.Itoa(c.status)+" "+c.name, func(t *testing.T) {
			t.Parallel() // each case has a system of its own
			f := newFixture(t)
			if c.arrange != nil {
				c.arrange(t, f)
			}
			before := stored(t, f.repo)
			switch {
			case c.broken != "":
				f.broken.breakMethod(c.broken, errBroken)
			case c.down != "":
				f.broken.breakMethod(c.down, errUnavailable)
			}
			e := f.send(t, c)
			f.broken.breakMethod("", nil)
			if c.status < 400 {
				if got, want := e.res.StatusCode, c.status; got != want {
					t.Fatalf("status = %d, want %d: %s", got, want, e.body)
				}
			} else {
				p := assertProblem(t, e.res, e.body, c.status)
				if got, want := p.pointers(), c.pointers; !equalStrings(got, want) {
					t.Errorf("pointers = %q, want %q", got, want)
				}
				if !strings.Contains(p.Detail, c.detail) {
					t.Errorf("detail = %q, want it to say %q", p.Detail, c.detail)
				}
				switch c.status {
				case http.StatusUnauthorized:
					if !strings.HasPrefix(e.res.Header.Get("WWW-Authenticate"), "Bearer ") {
						t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", e.res.Header.Get("WWW-Authenticate"))
					}
				case http.StatusInternalServerError:
					cause := c.cause
					if cause == "" {
						cause = brokenText
					}
					assertInternalError(t, f.system, p, cause)
				case http.StatusServiceUnavailable:
					if got, want := e.res.Header.Get("Retry-After"), answer.RetryAfterHeader; got != want {
						t.Errorf("Retry-After = %q, want %q", got, want)
					}
					if c.down != "" {
						assertLogged(t, f.system, p, brokenText)
					}
				}
				if !c.changes {
					assertUnchanged(t, f.repo, before)
				}
			}
			if c.check != nil {
				c.check(t, f, e)
			}
		})
		if covered[c.op] == nil {
			covered[c.op] = map[int]bool{}
		}
		covered[c.op][c.status] = true
	}
	t.Run("the cases cover every documented status", func(t *testing.T) {
		for _, op := range documentedStatuses(t) {
			for _, status := range op.statuses {
				why, ok := preempted[op.id][status]
				switch {
				case ok && covered[op.id][status]:
					t.Errorf("%s: %d is listed as preempted, yet a case gets it", op.id, status)
				case ok:
					t.Logf("%s: no request gets the documented %d: %s", op.id, status, why)
				case !covered[op.id][status]:
					t.Errorf("%s: no case provokes the documented %d", op.id, status)
				}
			}
		}
		for op, statuses := range preempted {
			for status := range statuses {
				if !documented(t, op, status) {
					t.Errorf("%s: %d is listed as preempted but not documented", op, status)
				}
			}
		}
	})
}

// send sends c's request through the generated client.
func (f *fixture) send(t *testing.T, c statusCase) exchange {
	t.Helper()
	ctx := context.Background()
	var as []api.RequestEditorFn
	if c.who.Subject != "" {
		as = append(as, f.as(t, c.who))
	}
	id := f.quotes[c.quote]
	var key *string
	if c.key != "" {
		key = &c.key
	}
	contentType := c.contentType
	if contentType == "" {
		contentType = "application/json"
	}
	body := func(valid string) *strings.Reader {
		if c.body == "" {
			return strings.NewReader(valid)
		}
		return strings.NewReader(c.body)
	}
	var (
		res  *http.Response
		data []byte
		err  error
	)
	switch c.op {
	case "listQuotes":
		var r *api.ListQuotesResponse
		if r, err = f.client.ListQuotesWithResponse(ctx, c.params, as...); err == nil {
			res, data = r.HTTPResponse, r.Body
		}
	case "createQuote":
		var r *api.CreateQuoteResponse
		if r, err = f.client.CreateQuoteWithBodyWithResponse(ctx, &api.CreateQuoteParams{IdempotencyKey: key}, contentType, body(validNew), as...); err == nil {
			res, data = r.HTTPResponse, r.Body
		}
	case "getQuote":
		var r *api.GetQuoteResponse
		var p *api.GetQuoteParams
		if c.tag != "" {
			p = &api.GetQuoteParams{IfNoneMatch: &c.tag}
		}
		if r, err = f.client.GetQuoteWithResponse(ctx, id, p, as...); err == nil {
			res, data = r.HTTPResponse, r.Body
		}
	case "replaceQuoteLines":
		var r *api.ReplaceQuoteLinesResponse
		var p *api.ReplaceQuoteLinesParams
		if c.tag != "" {
			p = &api.ReplaceQuoteLinesParams{IfMatch: &c.tag}
		}
		if r, err = f.client.ReplaceQuoteLinesWithBodyWithResponse(ctx, id, p, contentType, body(validLines), as...); err == nil {
			res, data = r.HTTPResponse, r.Body
		}
	case "deleteQuote":
		var r *api.DeleteQuoteResponse
		var p *api.DeleteQuoteParams
		if c.tag != "" {
			p = &api.DeleteQuoteParams{IfMatch: &c.tag}
		}
		if r, err = f.client.DeleteQuoteWithResponse(ctx, id, p, as...); err == nil {
			res, data = r.HTTPResponse, r.Body
		}
	case "submitQuote":
		var r *api.SubmitQuoteResponse
		if r, err = f.client.SubmitQuoteWithResponse(ctx, id, &api.SubmitQuoteParams{IdempotencyKey: key}, as...); err == nil {
			res, data = r.HTTPResponse, r.Body
		}
	case "acceptQuote":
		var r *api.AcceptQuoteResponse
		if r, err = f.client.AcceptQuoteWithResponse(ctx, id, &api.AcceptQuoteParams{IdempotencyKey: key}, as...); err == nil {
			res, data = r.HTTPResponse, r.Body
		}
	case "rejectQuote":
		var r *api.RejectQuoteResponse
		if r, err = f.client.RejectQuoteWithResponse(ctx, id, &api.RejectQuoteParams{IdempotencyKey: key}, as...); err == nil {
			res, data = r.HTTPResponse, r.Body
		}
	default:
		t.Fatalf("no operation %q", c.op)
	}
	must(t, err)
	return exchange{c.op, res, data}
}

// assertInternalError checks a 500: a generic detail, a request ID to
// quote, and the cause in the logs under that ID and nowhere else.
func assertInternalError(t *testing.T, s *system, p problemDoc, cause string) {
	t.Helper()
	if !strings.HasPrefix(p.Title, "Internal error") || !strings.HasPrefix(p.Detail, "Internal error") {
		t.Errorf("title %q, detail %q: want Internal error", p.Title, p.Detail)
	}
	assertLogged(t, s, p, cause)
}

// assertLogged checks that a log line names the cause of the problem
// under its request ID.
func assertLogged(t *testing.T, s *system, p problemDoc, cause string) {
	t.Helper()
	for _, l := range strings.Split(s.logs.String(), "\n") {
		if strings.Contains(l, p.RequestID) && strings.Contains(l, cause) {
			return
		}
	}
	t.Errorf("no log line names the cause %q under request ID %q:\n%s", cause, p.RequestID, s.logs.String())
}

// documentedOperation lists the statuses the embedded spec documents for
// an operation.
type documentedOperation struct {
	id       string
	statuses []int
}

func documentedStatuses(t *testing.T) []documentedOperation {
	t.Helper()
	spec, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	var out []documentedOperation
	for _, path := range spec.Paths.InMatchingOrder() {
		for _, op := range spec.Paths.Find(path).Operations() {
			d := documentedOperation{id: op.OperationID}
			for code := range op.Responses.Map() {
				n, err := strconv.Atoi(code)
				if err != nil {
					t.Fatalf("%s: response %q is not a status", op.OperationID, code)
				}
				d.statuses = append(d.statuses, n)
			}
			out = append(out, d)
		}
	}
	return out
}

func documented(t *testing.T, op string, status int) bool {
	for _, d := range documentedStatuses(t) {
		if d.id == op {
			for _, s := range d.statuses {
				if s == status {
					return true
				}
			}
		}
	}
	return false
}

// TestRefusedTokens sends every kind of bad token to every operation: each
// is answered 401 with a Bearer challenge and changes nothing.
func TestRefusedTokens(t *testing.T) {
	f := newFixture(t)
	sign := func(cfg auth.Config, ttl time.Duration) string {
		s, err := auth.NewSigner(cfg)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := s.Sign(bob, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	otherSecret := authConfig()
	otherSecret.HMACSecret = []byte("another-secret-that-is-also-32-bytes-long")
	otherAudience := authConfig()
	otherAudience.Audience = "billing"
	otherIssuer := authConfig()
	otherIssuer.Issuer = "someone-else"
	tokens := []struct {
		name, header string
		code         string // the RFC 6750 error code of the challenge
	}{
		{"no Authorization header", "", ""},
		{"another scheme", "Basic YWRhOnNlY3JldA==", ""},
		{"a bearer token that is not a JWT", "Bearer not-a-jwt", "invalid_token"},
		{"an expired token", "Bearer " + sign(authConfig(), -time.Hour), "invalid_token"},
		{"a token signed with another secret", "Bearer " + sign(otherSecret, time.Hour), "invalid_token"},
		{"an unsigned token (alg none)", "Bearer " + unsignedToken(bob), "invalid_token"},
		{"a token for another audience", "Bearer " + sign(otherAudience, time.Hour), "invalid_token"},
		{"a token from another issuer", "Bearer " + sign(otherIssuer, time.Hour), "invalid_token"},
		{"a token with a tampered payload", "Bearer " + tamper(t, sign(authConfig(), time.Hour)), "invalid_token"},
	}
	draft, submitted := idPath(f.quotes[ownDraft]), idPath(f.quotes[ownSubmitted])
	requests := []struct{ op, method, target, body string }{
		{"listQuotes", http.MethodGet, "/quotes", ""},
		{"createQuote", http.MethodPost, "/quotes", validNew},
		{"getQuote", http.MethodGet, draft, ""},
		{"replaceQuoteLines", http.MethodPut, draft + "/lines", validLines},
		{"deleteQuote", http.MethodDelete, draft, ""},
		{"submitQuote", http.MethodPost, draft + "/submit", ""},
		{"acceptQuote", http.MethodPost, submitted + "/accept", ""},
		{"rejectQuote", http.MethodPost, submitted + "/reject", ""},
		// Authentication comes before the parameters and the body are
		// checked: a caller without a valid token learns nothing of them.
		{"getQuote with a malformed id", http.MethodGet, "/quotes/not-a-number", ""},
		{"replaceQuoteLines with a malformed body", http.MethodPut, draft + "/lines", `{"lines":`},
	}
	before := stored(t, f.repo)
	calls := f.materials.calls.Load()
	for _, tok := range tokens {
		for _, r := range requests {
			t.Run(r.op+" refuses "+tok.name, func(t *testing.T) {
				req, err := http.NewRequest(r.method, f.url+r.target, strings.NewReader(r.body))
				if err != nil {
					t.Fatal(err)
				}
				if tok.header != "" {
					req.Header.Set("Authorization", tok.header)
				}
				if r.body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				res, body := send(t, f.http, req)
				p := assertProblem(t, res, body, http.StatusUnauthorized)
				challenge := res.Header.Get("WWW-Authenticate")
				if !strings.HasPrefix(challenge, `Bearer realm="`) {
					t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", challenge)
				}
				if got, want := strings.Contains(challenge, `error="`+tok.code+`"`), tok.code != ""; got != want {
					t.Errorf("WWW-Authenticate = %q, want error code %q", challenge, tok.code)
				}
				if p.Detail == "" {
					t.Error("the problem does not say why")
				}
			})
		}
	}
	assertUnchanged(t, f.repo, before)
	if got := f.materials.calls.Load(); got != calls {
		t.Errorf("refused requests called materials %d times", got-calls)
	}
}

// unsignedToken is a JWT with "alg": "none" and otherwise valid claims.
func unsignedToken(c access.Caller) string {
	enc := base64.RawURLEncoding.EncodeToString
	header := enc([]byte(`{"alg":"none","typ":"JWT"}`))
	claims := enc(fmt.Appendf(nil,
		`{"iss":"charter-test","aud":["charter-test"],"sub":%q,"exp":%d,"iat":%d,"scope":"quotes:read quotes:write","roles":["external"],"company_id":%d}`,
		c.Subject, time.Now().Add(time.Hour).Unix(), time.Now().Unix(), c.CompanyID))
	return header + "." + claims + "."
}

// tamper gives a token more rights, keeping its signature.
func tamper(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q has %d parts", token, len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(string(payload), `"external"`, `"staff"`, 1)
	if forged == string(payload) {
		t.Fatalf("no role to change in %s", payload)
	}
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(forged))
	return strings.Join(parts, ".")
}
