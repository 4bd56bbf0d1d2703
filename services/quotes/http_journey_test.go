package quotes_test

import (
	"context"
	"net/http"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/quotes"
)

// stores are the repositories the whole stack runs over, each with the
// transaction its stories that write run in.
var stores = []struct {
	name string
	open func(t *testing.T) systemOption
}{
	{"memory", func(*testing.T) systemOption { return over(memory.NewQuotes(), nil) }},
	{"sqlite", func(t *testing.T) systemOption {
		return openSQL(t, filepath.Join(t.TempDir(), "quotes.db"))
	}},
	{"postgres", func(t *testing.T) systemOption {
		return openSQL(t, pgtest.NewDatabase(t)) // skips without PostgreSQL
	}},
}

func openSQL(t *testing.T, url string) systemOption {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, "quotes")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return overKeyed(sqldb.NewQuotes(db), sqldb.Transaction(db), sqldb.NewIdempotencyKeys(db))
}

// TestJourneyOnEveryStore runs what a company and staff do with quotes,
// and what other callers cannot do, over every repository, pricing from
// the real materials service.
func TestJourneyOnEveryStore(t *testing.T) {
	for _, store := range stores {
		t.Run(store.name+"/a company drafts and submits, staff decide, and a draft is deleted", func(t *testing.T) {
			journey(t, startSystem(t, store.open(t)))
		})
		t.Run(store.name+"/another company's user never reaches the quotes", func(t *testing.T) {
			isolation(t, startSystem(t, store.open(t)))
		})
		t.Run(store.name+"/a viewer reads and cannot write", func(t *testing.T) {
			viewer(t, startSystem(t, store.open(t)))
		})
		t.Run(store.name+"/staff name the company of a new quote", func(t *testing.T) {
			staffCreate(t, startSystem(t, store.open(t)))
		})
	}
}

// journey is the life of three quotes of ownCompany: one submitted and
// accepted, one rejected, one deleted.
func journey(t *testing.T, s *system) {
	t.Helper()
	ctx := context.Background()
	as, asStaff := s.as(t, bob), s.as(t, ada)
	c := s.catalogue
	theirs := s.draft(t, external(otherCompany, readWrite...), line(c.foreign, 1, 100, 100))

	// Create a draft with one line: no prices yet.
	first := []api.NewQuoteLine{line(c.steel, 10, 600, 400)}
	created, err := s.client.CreateQuoteWithResponse(ctx, nil, api.NewQuote{Lines: &first}, as)
	must(t, err)
	if got, want := created.StatusCode(), http.StatusCreated; got != want {
		t.Fatalf("create: status = %d, want %d: %s", got, want, created.Body)
	}
	q := *created.JSON201
	if got, want := created.HTTPResponse.Header.Get("Location"), idPath(q.Id); got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	if q.CompanyId != ownCompany || q.State != api.Draft || q.Total != nil || q.ValidUntil != nil || q.SubmittedAt != nil || q.DecidedAt != nil {
		t.Errorf("created %+v", q)
	}
	if !q.CreatedAt.Equal(epoch) || !q.UpdatedAt.Equal(epoch) {
		t.Errorf("created at %v, updated at %v, want both %v", q.CreatedAt, q.UpdatedAt, epoch)
	}
	assertDraftLines(t, q.Lines, first)

	// Read it: as created.
	if got := s.get(t, bob, q.Id); !reflect.DeepEqual(got, q) {
		t.Errorf("get = %+v, want %+v", got, q)
	}

	// Replace its lines a minute later.
	s.clock.Advance(time.Minute)
	lines := []api.NewQuoteLine{
		line(c.steel, 10, 600, 400),     // 0.24 m² at 120.00: 28.80
		line(c.stainless, 4, 1200, 250), // 0.3 m² at 65.00: 19.50
		line(c.steel, 3, 5, 25),         // 0.015 cents, exactly half: 0.02
		line(c.stainless, 7, 250, 333),  // 5.41125: 5.41
	}
	replaced, err := s.client.ReplaceQuoteLinesWithResponse(ctx, q.Id, nil, api.QuoteLines{Lines: lines}, as)
	must(t, err)
	if got, want := replaced.StatusCode(), http.StatusOK; got != want {
		t.Fatalf("replace lines: status = %d, want %d: %s", got, want, replaced.Body)
	}
	draft := *replaced.JSON200
	assertDraftLines(t, draft.Lines, lines)
	if draft.State != api.Draft || !draft.CreatedAt.Equal(epoch) || !draft.UpdatedAt.Equal(s.clock.Now()) {
		t.Errorf("after replacing lines: %+v", draft)
	}
	if got := s.get(t, bob, q.Id); !reflect.DeepEqual(got, draft) {
		t.Errorf("get after replacing lines = %+v, want %+v", got, draft)
	}

	// Submit it: every line priced from materials as it is now.
	s.clock.Advance(time.Minute)
	submittedAt := s.clock.Now()
	res, err := s.client.SubmitQuoteWithResponse(ctx, q.Id, nil, as)
	must(t, err)
	if got, want := res.StatusCode(), http.StatusOK; got != want {
		t.Fatalf("submit: status = %d, want %d: %s", got, want, res.Body)
	}
	sub := *res.JSON200
	if sub.State != api.Submitted || sub.SubmittedAt == nil || !sub.SubmittedAt.Equal(submittedAt) || !sub.UpdatedAt.Equal(submittedAt) {
		t.Errorf("submitted %+v, want submitted at %v", sub, submittedAt)
	}
	if sub.ValidUntil == nil || !sub.ValidUntil.Equal(submittedAt.Add(domain.DefaultValidity)) {
		t.Errorf("valid until %v, want %v", sub.ValidUntil, submittedAt.Add(domain.DefaultValidity))
	}
	if sub.DecidedAt != nil {
		t.Errorf("a submitted quote was decided at %v", *sub.DecidedAt)
	}
	names := map[int64]string{c.steel.ID: c.steel.Name, c.stainless.ID: c.stainless.Name}
	perM2 := map[int64]int64{c.steel.ID: c.steel.Price.Amount, c.stainless.ID: c.stainless.Price.Amount}
	wantUnits := []int64{2880, 1950, 2, 541} // the figures above, worked by hand
	var sum int64
	assertDraftLines(t, withoutPrices(sub.Lines), lines)
	for i, l := range sub.Lines {
		unit := roundHalfUp(l.WidthMm, l.HeightMm, perM2[l.MaterialId])
		if unit != wantUnits[i] {
			t.Fatalf("line %d: the test's own rounding gives %d, want %d", i, unit, wantUnits[i])
		}
		if l.MaterialName == nil || *l.MaterialName != names[l.MaterialId] {
			t.Errorf("line %d: material name %v, want %q", i, l.MaterialName, names[l.MaterialId])
		}
		if l.UnitPrice == nil || *l.UnitPrice != (shared.Money{Amount: unit, Currency: "EUR"}) {
			t.Errorf("line %d: unit price %v, want %d EUR", i, l.UnitPrice, unit)
		}
		total := unit * int64(l.Quantity)
		if l.Total == nil || *l.Total != (shared.Money{Amount: total, Currency: "EUR"}) {
			t.Errorf("line %d: total %v, want %d EUR", i, l.Total, total)
		}
		sum += total
	}
	if want := (shared.Money{Amount: 28800 + 7800 + 6 + 3787, Currency: "EUR"}); sum != want.Amount || sub.Total == nil || *sub.Total != want {
		t.Errorf("total %v (lines add up to %d), want %v", sub.Total, sum, want)
	}
	if got := s.get(t, bob, q.Id); !reflect.DeepEqual(got, sub) {
		t.Errorf("get after submitting = %+v, want %+v", got, sub)
	}

	// A submitted quote no longer changes.
	before := stored(t, s.repo)
	upd, err := s.client.ReplaceQuoteLinesWithResponse(ctx, q.Id, nil, api.QuoteLines{Lines: first}, as)
	must(t, err)
	del, err := s.client.DeleteQuoteWithResponse(ctx, q.Id, nil, as)
	must(t, err)
	again, err := s.client.SubmitQuoteWithResponse(ctx, q.Id, nil, as)
	must(t, err)
	for _, e := range []exchange{{"replace lines", upd.HTTPResponse, upd.Body}, {"delete", del.HTTPResponse, del.Body}, {"submit again", again.HTTPResponse, again.Body}} {
		t.Run(e.what+" of a submitted quote conflicts", func(t *testing.T) {
			assertProblem(t, e.res, e.body, http.StatusConflict)
		})
	}
	assertUnchanged(t, s.repo, before)

	// Staff list every company's quotes, and the submitted ones alone.
	if got, want := ids(s.all(t, ada).Items), []int64{theirs.Id, q.Id}; !reflect.DeepEqual(got, want) {
		t.Errorf("staff list %v, want %v", got, want)
	}
	submitted := api.Submitted
	list, err := s.client.ListQuotesWithResponse(ctx, &api.ListQuotesParams{State: &submitted}, asStaff)
	must(t, err)
	if list.StatusCode() != http.StatusOK || list.JSON200.Count != 1 || !reflect.DeepEqual(list.JSON200.Items, []api.Quote{sub}) {
		t.Errorf("staff list of submitted quotes: status %d: %s", list.StatusCode(), list.Body)
	}

	// Staff accept it: the prices stay as they were submitted.
	s.clock.Advance(time.Hour)
	accepted, err := s.client.AcceptQuoteWithResponse(ctx, q.Id, nil, asStaff)
	must(t, err)
	if got, want := accepted.StatusCode(), http.StatusOK; got != want {
		t.Fatalf("accept: status = %d, want %d: %s", got, want, accepted.Body)
	}
	acc := *accepted.JSON200
	if acc.State != api.Accepted || acc.DecidedAt == nil || !acc.DecidedAt.Equal(s.clock.Now()) || !acc.UpdatedAt.Equal(s.clock.Now()) {
		t.Errorf("accepted %+v, want decided at %v", acc, s.clock.Now())
	}
	if !reflect.DeepEqual(acc.Lines, sub.Lines) || !reflect.DeepEqual(acc.Total, sub.Total) || !reflect.DeepEqual(acc.ValidUntil, sub.ValidUntil) {
		t.Errorf("accepting changed the prices: %+v, submitted %+v", acc, sub)
	}
	if got := s.get(t, bob, q.Id); !reflect.DeepEqual(got, acc) {
		t.Errorf("the company reads %+v, want %+v", got, acc)
	}
	decided, err := s.client.RejectQuoteWithResponse(ctx, q.Id, nil, asStaff)
	must(t, err)
	if got, want := decided.StatusCode(), http.StatusConflict; got != want {
		t.Errorf("reject an accepted quote: status = %d, want %d: %s", got, want, decided.Body)
	}

	// Another draft is submitted and rejected.
	second := s.submit(t, bob, s.draft(t, bob, line(c.stainless, 2, 1000, 1000)).Id)
	if second.Total == nil || *second.Total != (shared.Money{Amount: 13000, Currency: "EUR"}) {
		t.Errorf("second quote's total %v, want 130.00 EUR", second.Total)
	}
	rejected, err := s.client.RejectQuoteWithResponse(ctx, second.Id, nil, asStaff)
	must(t, err)
	if rejected.StatusCode() != http.StatusOK || rejected.JSON200.State != api.Rejected || rejected.JSON200.DecidedAt == nil {
		t.Errorf("reject: status %d: %s", rejected.StatusCode(), rejected.Body)
	}

	// A third is deleted, and is gone.
	third := s.draft(t, bob)
	deleted, err := s.client.DeleteQuoteWithResponse(ctx, third.Id, nil, as)
	must(t, err)
	if got, want := deleted.StatusCode(), http.StatusNoContent; got != want {
		t.Fatalf("delete: status = %d, want %d: %s", got, want, deleted.Body)
	}
	if len(deleted.Body) != 0 {
		t.Errorf("a 204 with a body: %s", deleted.Body)
	}
	gone, err := s.client.GetQuoteWithResponse(ctx, third.Id, nil, as)
	must(t, err)
	if got, want := gone.StatusCode(), http.StatusNotFound; got != want || gone.ApplicationproblemJSON404 == nil {
		t.Errorf("get after delete: status = %d, want %d: %s", got, want, gone.Body)
	}
	deleted, err = s.client.DeleteQuoteWithResponse(ctx, third.Id, nil, as)
	must(t, err)
	if got, want := deleted.StatusCode(), http.StatusNotFound; got != want {
		t.Errorf("delete again: status = %d, want %d", got, want)
	}

	// The company sees its two decided quotes, newest first on request.
	order := api.QuoteOrdering("-id")
	mine, err := s.client.ListQuotesWithResponse(ctx, &api.ListQuotesParams{Ordering: &order}, as)
	must(t, err)
	if mine.StatusCode() != http.StatusOK {
		t.Fatalf("list: status %d: %s", mine.StatusCode(), mine.Body)
	}
	if got, want := ids(mine.JSON200.Items), []int64{second.Id, q.Id}; !reflect.DeepEqual(got, want) || mine.JSON200.Count != 2 {
		t.Errorf("the company lists %v (count %d), want %v", got, mine.JSON200.Count, want)
	}
}

// isolation checks that a user of otherCompany neither sees nor reaches
// ownCompany's quotes, and learns nothing from trying: the answers are
// those for a quote that does not exist.
func isolation(t *testing.T, s *system) {
	t.Helper()
	ctx := context.Background()
	c := s.catalogue
	eve := external(otherCompany, readWrite...)
	as := s.as(t, eve)
	draft := s.draft(t, bob, line(c.steel, 1, 100, 100))
	submitted := s.submit(t, bob, s.draft(t, bob, line(c.steel, 1, 100, 100)).Id)
	hers := s.draft(t, eve, line(c.foreign, 1, 100, 100))
	planted := s.draft(t, eve, line(c.steel, 1, 100, 100)) // ownCompany's material in her quote
	before := stored(t, s.repo)

	const missing = 987654321
	answers := func(id int64) map[string]exchange {
		lines := api.QuoteLines{Lines: []api.NewQuoteLine{line(c.foreign, 1, 10, 10)}}
		get, err := s.client.GetQuoteWithResponse(ctx, id, nil, as)
		must(t, err)
		upd, err := s.client.ReplaceQuoteLinesWithResponse(ctx, id, nil, lines, as)
		must(t, err)
		del, err := s.client.DeleteQuoteWithResponse(ctx, id, nil, as)
		must(t, err)
		sub, err := s.client.SubmitQuoteWithResponse(ctx, id, nil, as)
		must(t, err)
		acc, err := s.client.AcceptQuoteWithResponse(ctx, id, nil, as)
		must(t, err)
		rej, err := s.client.RejectQuoteWithResponse(ctx, id, nil, as)
		must(t, err)
		return map[string]exchange{
			"get":           {"", get.HTTPResponse, get.Body},
			"replace lines": {"", upd.HTTPResponse, upd.Body},
			"delete":        {"", del.HTTPResponse, del.Body},
			"submit":        {"", sub.HTTPResponse, sub.Body},
			// Only staff decide: the caller is refused before the quote
			// is looked up, alike for every ID.
			"accept": {"", acc.HTTPResponse, acc.Body},
			"reject": {"", rej.HTTPResponse, rej.Body},
		}
	}
	status := map[string]int{"get": 404, "replace lines": 404, "delete": 404, "submit": 404, "accept": 403, "reject": 403}
	asMissing := answers(missing)
	for _, id := range []int64{draft.Id, submitted.Id} {
		for op, e := range answers(id) {
			t.Run(op+" of another company's quote", func(t *testing.T) {
				p := assertProblem(t, e.res, e.body, status[op])
				var want problemDoc
				decode(t, asMissing[op].body, &want)
				if p.Detail != want.Detail || p.Type != want.Type || !equalStrings(p.pointers(), want.pointers()) {
					t.Errorf("answer %+v differs from a missing quote's %+v", p, want)
				}
			})
		}
	}

	// Lists hold her quotes alone, whatever the filter.
	for _, state := range []*api.QuoteState{nil, ptr(api.Draft), ptr(api.Submitted)} {
		res, err := s.client.ListQuotesWithResponse(ctx, &api.ListQuotesParams{State: state}, as)
		must(t, err)
		if res.StatusCode() != http.StatusOK {
			t.Fatalf("list: status %d: %s", res.StatusCode(), res.Body)
		}
		for _, q := range res.JSON200.Items {
			if q.CompanyId != otherCompany {
				t.Errorf("the list shows quote %d of company %d", q.Id, q.CompanyId)
			}
		}
		want := []int64{hers.Id, planted.Id}
		if state != nil && *state == api.Submitted {
			want = nil
		}
		if got := ids(res.JSON200.Items); !reflect.DeepEqual(got, want) || res.JSON200.Count != int64(len(want)) {
			t.Errorf("state %v: list %v (count %d), want %v", state, got, res.JSON200.Count, want)
		}
	}

	// She cannot create a quote for the company, nor price hers from its
	// materials: the material is answered as unknown.
	create, err := s.client.CreateQuoteWithResponse(ctx, nil, api.NewQuote{CompanyId: ptr[int64](ownCompany)}, as)
	must(t, err)
	assertProblem(t, create.HTTPResponse, create.Body, http.StatusForbidden)
	sub, err := s.client.SubmitQuoteWithResponse(ctx, planted.Id, nil, as)
	must(t, err)
	p := assertProblem(t, sub.HTTPResponse, sub.Body, http.StatusConflict)
	if got, want := p.pointers(), []string{"#/lines/0/material_id"}; !equalStrings(got, want) {
		t.Errorf("pointers = %q, want %q", got, want)
	}
	assertUnchanged(t, s.repo, before)
}

// viewer checks that a token with quotes:read alone reads and is refused
// every write, staff's included.
func viewer(t *testing.T, s *system) {
	t.Helper()
	ctx := context.Background()
	c := s.catalogue
	draft := s.draft(t, bob, line(c.steel, 1, 100, 100))
	submitted := s.submit(t, bob, s.draft(t, bob, line(c.steel, 1, 100, 100)).Id)
	before := stored(t, s.repo)
	lines := api.QuoteLines{Lines: []api.NewQuoteLine{line(c.steel, 2, 10, 10)}}

	for _, who := range []access.Caller{external(ownCompany, readOnly...), staff(readOnly...)} {
		as := s.as(t, who)
		name := string(who.Roles[0])
		if got := s.all(t, who); got.Count != 2 {
			t.Errorf("%s viewer lists %d quotes, want 2", name, got.Count)
		}
		if got := s.get(t, who, submitted.Id); !reflect.DeepEqual(got, submitted) {
			t.Errorf("%s viewer reads %+v, want %+v", name, got, submitted)
		}
		create, err := s.client.CreateQuoteWithResponse(ctx, nil, api.NewQuote{CompanyId: ptr[int64](ownCompany)}, as)
		must(t, err)
		upd, err := s.client.ReplaceQuoteLinesWithResponse(ctx, draft.Id, nil, lines, as)
		must(t, err)
		del, err := s.client.DeleteQuoteWithResponse(ctx, draft.Id, nil, as)
		must(t, err)
		sub, err := s.client.SubmitQuoteWithResponse(ctx, draft.Id, nil, as)
		must(t, err)
		acc, err := s.client.AcceptQuoteWithResponse(ctx, submitted.Id, nil, as)
		must(t, err)
		rej, err := s.client.RejectQuoteWithResponse(ctx, submitted.Id, nil, as)
		must(t, err)
		for _, e := range []exchange{
			{"create", create.HTTPResponse, create.Body}, {"replace lines", upd.HTTPResponse, upd.Body},
			{"delete", del.HTTPResponse, del.Body}, {"submit", sub.HTTPResponse, sub.Body},
			{"accept", acc.HTTPResponse, acc.Body}, {"reject", rej.HTTPResponse, rej.Body},
		} {
			t.Run(name+" viewer is refused "+e.what, func(t *testing.T) {
				assertProblem(t, e.res, e.body, http.StatusForbidden)
			})
		}
	}
	assertUnchanged(t, s.repo, before)
}

// staffCreate checks that staff must name the company of a new quote,
// and that the quote they create is the company's.
func staffCreate(t *testing.T, s *system) {
	t.Helper()
	ctx := context.Background()
	lines := []api.NewQuoteLine{line(s.catalogue.steel, 1, 1000, 1000)}
	res, err := s.client.CreateQuoteWithResponse(ctx, nil, api.NewQuote{Lines: &lines}, s.as(t, ada))
	must(t, err)
	p := assertProblem(t, res.HTTPResponse, res.Body, http.StatusForbidden)
	if got, want := p.pointers(), []string{"#/company_id"}; !equalStrings(got, want) {
		t.Errorf("pointers = %q, want %q", got, want)
	}
	if n := len(stored(t, s.repo)); n != 0 {
		t.Errorf("%d quotes stored after the refusal", n)
	}

	q := s.create(t, ada, api.NewQuote{CompanyId: ptr[int64](ownCompany), Lines: &lines})
	if q.CompanyId != ownCompany {
		t.Errorf("company_id = %d, want %d", q.CompanyId, ownCompany)
	}
	sub := s.submit(t, bob, q.Id)
	if sub.Total == nil || sub.Total.Amount != 12000 {
		t.Errorf("the company submitted staff's draft at %v, want 120.00 EUR", sub.Total)
	}
}

// exchange is the raw response of one call.
type exchange struct {
	what string
	res  *http.Response
	body []byte
}

// assertDraftLines checks that lines are want, without prices.
func assertDraftLines(t *testing.T, lines []api.QuoteLine, want []api.NewQuoteLine) {
	t.Helper()
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d: %+v", len(lines), len(want), lines)
	}
	for i, l := range lines {
		w := want[i]
		if l.MaterialId != w.MaterialId || l.Quantity != w.Quantity || l.WidthMm != w.WidthMm || l.HeightMm != w.HeightMm {
			t.Errorf("line %d = %+v, want %+v", i, l, w)
		}
		if l.MaterialName != nil || l.UnitPrice != nil || l.Total != nil {
			t.Errorf("line %d of a draft has prices: %+v", i, l)
		}
	}
}

// withoutPrices returns lines with their prices cleared.
func withoutPrices(lines []api.QuoteLine) []api.QuoteLine {
	out := make([]api.QuoteLine, len(lines))
	for i, l := range lines {
		out[i] = api.QuoteLine{MaterialId: l.MaterialId, Quantity: l.Quantity, WidthMm: l.WidthMm, HeightMm: l.HeightMm}
	}
	return out
}

func ids(qs []api.Quote) []int64 {
	var out []int64
	for _, q := range qs {
		out = append(out, q.Id)
	}
	return out
}
