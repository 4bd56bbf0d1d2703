package repotest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/quotes"
)

// NewQuotes returns an empty quotes repository for one test. It registers
// its own cleanup with tb.
type NewQuotes func(tb testing.TB) quotes.Repository

// Quotes runs the quotes.Repository contract against the repositories
// newRepo returns; each subtest gets a fresh, empty one, and subtests run
// in parallel, so newRepo must be safe to call concurrently.
func Quotes(t *testing.T, newRepo NewQuotes) {
	tests := []struct {
		name string
		run  func(t *testing.T, r quotes.Repository)
	}{
		{"create assigns ids from 1 at version 1 and get returns what was stored", quoteCreateAndGet},
		{"create ignores the id and version it is given", quoteCreateIgnoresID},
		{"create refuses a state that does not exist", quoteCreateUnknownState},
		{"get of an unknown id is not found", quoteGetNotFound},
		{"lines keep their order, and a quote without lines has none, not nil", quoteLinesOrder},
		{"replace lines replaces every line and dates the change, at the next version", quoteReplaceLines},
		{"replace lines of a quote that is not a draft is refused and changes nothing", quoteReplaceLinesNotDraft},
		{"replace lines of an unknown id is not found", quoteReplaceLinesNotFound},
		{"delete removes a draft and its lines", quoteDelete},
		{"delete of a quote that is not a draft is refused and changes nothing", quoteDeleteNotDraft},
		{"delete of an unknown id is not found", quoteDeleteNotFound},
		{"ids of deleted quotes are not reused", quoteIDsNotReused},
		{"submit writes the priced lines, the total, the validity and the time", quoteSubmit},
		{"submit is refused unless the quote is a draft at the version given", quoteSubmitRefused},
		{"decide accepts or rejects a submitted quote", quoteDecide},
		{"decide is refused unless the quote is submitted and the state a decision", quoteDecideRefused},
		{"expire moves the submitted quotes valid until before now, and no other", quoteExpire},
		{"count applies the filter", quoteCount},
		{"find applies the filter and sorts by id when no order is given", quoteFindFilters},
		{"find orders by every sortable field with ties by ascending id", quoteFindOrders},
		{"find pages with limit and offset", quoteFindPages},
		{"find returns each quote with its own lines", quoteFindLines},
		{"find rejects fields that are not sortable", quoteFindInvalidOrdering},
		{"times round-trip to the nanosecond in UTC and sort by instant", quoteTimesRoundTrip},
		{"amounts and currencies round-trip exactly", quoteAmountsRoundTrip},
		{"hostile strings are stored verbatim", quoteHostileStrings},
		{"results are copies the caller may change", quoteResultsAreCopies},
		{"what was given is copied: changing it later changes nothing stored", quoteInputsAreCopied},
		{"parallel creates get unique ids", quoteParallelCreates},
		{"parallel decisions on one quote: exactly one wins", quoteParallelDecisions},
		{"parallel submissions of one draft: exactly one wins", quoteParallelSubmissions},
		{"parallel deletes of one draft: exactly one wins", quoteParallelDeletes},
		{"parallel line replacements leave one whole set of lines", quoteParallelReplacements},
		{"parallel expiry runs expire each quote once", quoteParallelExpiry},
		{"a cancelled context is an error", quoteCancelledContext},
		{"replace lines at a stale version is refused and changes nothing", quoteReplaceLinesAtVersion},
		{"delete at a stale version is refused; at the current one it deletes", quoteDeleteAtVersion},
		{"parallel line replacements at one version: exactly one wins", quoteParallelReplacementsAtOneVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newRepo(t))
		})
	}
}

// quoteEpoch is a fixed instant with nanoseconds, so that any loss of
// precision shows.
var quoteEpoch = time.Date(2025, 6, 2, 8, 15, 0, 987654321, time.UTC)

func quoteEUR(amount int64) quotes.Money { return quotes.Money{Amount: amount, Currency: "EUR"} }

func quoteLine(material int64, quantity, width, height int32) quotes.Line {
	return quotes.Line{MaterialID: material, Quantity: quantity, WidthMM: width, HeightMM: height}
}

// pricedLine is l as a submission prices it, at unit a part.
func pricedLine(l quotes.Line, name string, unit int64) quotes.Line {
	l.MaterialName = name
	l.UnitPrice = quoteEUR(unit)
	l.Total = quoteEUR(unit * int64(l.Quantity))
	return l
}

func quoteTime(t time.Time) *time.Time { return &t }

// draftQuote is a draft of company with lines.
func draftQuote(company int64, lines ...quotes.Line) quotes.Quote {
	return quotes.Quote{CompanyID: company, State: quotes.Draft, Lines: lines, CreatedAt: quoteEpoch, UpdatedAt: quoteEpoch}
}

// submittedQuote is a quote of company in state, submitted at the epoch
// with two priced lines and valid until validUntil.
func submittedQuote(company int64, state quotes.State, validUntil time.Time) quotes.Quote {
	q := draftQuote(company,
		pricedLine(quoteLine(3, 2, 1000, 500), "2 mm Steel", 2250),
		pricedLine(quoteLine(5, 1, 200, 300), "3 mm Aluminium", 720))
	q.State = state
	q.Total = &quotes.Money{Amount: 5220, Currency: "EUR"}
	q.ValidUntil = &validUntil
	q.SubmittedAt = quoteTime(quoteEpoch)
	if state == quotes.Accepted || state == quotes.Rejected {
		q.DecidedAt = quoteTime(quoteEpoch.Add(time.Hour))
	}
	return q
}

func mustCreateQuote(t *testing.T, r quotes.Repository, q quotes.Quote) quotes.Quote {
	t.Helper()
	got, err := r.Create(context.Background(), q)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return got
}

func mustGetQuote(t *testing.T, r quotes.Repository, id int64) quotes.Quote {
	t.Helper()
	got, err := r.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get(%d): %v", id, err)
	}
	return got
}

// sameQuote compares quotes field by field, times by instant and
// location, and reports every difference.
func sameQuote(t *testing.T, what string, got, want quotes.Quote) {
	t.Helper()
	if !quotesEqual(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", what, showQuote(got), showQuote(want))
	}
	if got.Lines == nil {
		t.Errorf("%s: Lines is nil, want a slice", what)
	}
	for _, tm := range []*time.Time{&got.CreatedAt, &got.UpdatedAt, got.ValidUntil, got.SubmittedAt, got.DecidedAt} {
		if tm != nil && tm.Location() != time.UTC {
			t.Errorf("%s: a time is in %v, want UTC", what, tm.Location())
		}
	}
}

func quotesEqual(a, b quotes.Quote) bool {
	return a.ID == b.ID && a.CompanyID == b.CompanyID && a.State == b.State &&
		slices.Equal(a.Lines, b.Lines) && sameQuoteMoney(a.Total, b.Total) &&
		sameQuoteTime(a.ValidUntil, b.ValidUntil) && a.Version == b.Version &&
		a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt) &&
		sameQuoteTime(a.SubmittedAt, b.SubmittedAt) && sameQuoteTime(a.DecidedAt, b.DecidedAt)
}

func sameQuoteMoney(a, b *quotes.Money) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

func sameQuoteTime(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}

func showQuote(q quotes.Quote) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{ID:%d CompanyID:%d State:%s Version:%d Lines:%+v", q.ID, q.CompanyID, q.State, q.Version, q.Lines)
	if q.Total != nil {
		fmt.Fprintf(&b, " Total:%+v", *q.Total)
	}
	fmt.Fprintf(&b, " CreatedAt:%v UpdatedAt:%v", q.CreatedAt, q.UpdatedAt)
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"ValidUntil", q.ValidUntil}, {"SubmittedAt", q.SubmittedAt}, {"DecidedAt", q.DecidedAt}} {
		if p.t != nil {
			fmt.Fprintf(&b, " %s:%v", p.name, *p.t)
		}
	}
	return b.String() + "}"
}

func quoteIDs(qs []quotes.Quote) []int64 {
	out := make([]int64, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}

func quoteCreateAndGet(t *testing.T, r quotes.Repository) {
	d := draftQuote(7, quoteLine(3, 2, 1000, 500), quoteLine(5, 1, 200, 300))
	got := mustCreateQuote(t, r, d)
	d.ID, d.Version = 1, 1
	sameQuote(t, "Create of a draft", got, d)
	sameQuote(t, "Get of a draft", mustGetQuote(t, r, 1), d)

	for i, state := range []quotes.State{quotes.Submitted, quotes.Accepted, quotes.Rejected, quotes.Expired} {
		s := submittedQuote(8, state, quoteEpoch.Add(24*time.Hour))
		got := mustCreateQuote(t, r, s)
		s.ID, s.Version = int64(i+2), 1
		sameQuote(t, "Create of a quote "+string(state), got, s)
		sameQuote(t, "Get of a quote "+string(state), mustGetQuote(t, r, s.ID), s)
	}
}

func quoteCreateIgnoresID(t *testing.T, r quotes.Repository) {
	q := draftQuote(1)
	q.ID, q.Version = 42, 9
	got := mustCreateQuote(t, r, q)
	if got.ID != 1 || got.Version != 1 {
		t.Errorf("id %d, version %d; want 1 and 1", got.ID, got.Version)
	}
	if _, err := r.Get(context.Background(), 42); !errors.Is(err, quotes.ErrNotFound) {
		t.Errorf("Get(42) error = %v, want ErrNotFound", err)
	}
}

func quoteCreateUnknownState(t *testing.T, r quotes.Repository) {
	for _, state := range []quotes.State{"", "cancelled", "Draft"} {
		q := draftQuote(1, quoteLine(1, 1, 1, 1))
		q.State = state
		if _, err := r.Create(context.Background(), q); err == nil {
			t.Errorf("Create of a quote in state %q succeeded", state)
		}
	}
	if n, err := r.Count(context.Background(), quotes.Filter{}); err != nil || n != 0 {
		t.Errorf("Count = %d, %v after refused creates; want 0", n, err)
	}
}

func quoteGetNotFound(t *testing.T, r quotes.Repository) {
	mustCreateQuote(t, r, draftQuote(1))
	for _, id := range []int64{0, -1, 2, 1 << 62} {
		if _, err := r.Get(context.Background(), id); !errors.Is(err, quotes.ErrNotFound) {
			t.Errorf("Get(%d) error = %v, want ErrNotFound", id, err)
		}
	}
}

func quoteLinesOrder(t *testing.T, r quotes.Repository) {
	// Material IDs and sizes in no order, so that the position alone can
	// keep the lines as given; the most lines a quote holds.
	var lines []quotes.Line
	for i := range quotes.MaxLines {
		lines = append(lines, quoteLine(int64((i*37)%11+1), int32(quotes.MaxLines-i), int32(i+1), 7))
	}
	full := mustCreateQuote(t, r, draftQuote(1, lines...))
	if got := mustGetQuote(t, r, full.ID).Lines; !slices.Equal(got, lines) {
		t.Errorf("lines came back as %v, want %v", got, lines)
	}
	empty := mustCreateQuote(t, r, draftQuote(1))
	for what, q := range map[string]quotes.Quote{"Create": empty, "Get": mustGetQuote(t, r, empty.ID)} {
		if q.Lines == nil || len(q.Lines) != 0 {
			t.Errorf("%s: lines of a quote without lines = %#v, want empty and not nil", what, q.Lines)
		}
	}
}

func quoteTimesRoundTrip(t *testing.T, r quotes.Repository) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("UTC+2", 2*60*60)
	}
	instants := []time.Time{
		time.Date(2024, 7, 1, 12, 0, 0, 999999999, paris),
		time.Date(1999, 12, 31, 23, 59, 59, 1, time.UTC),
		time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Now(), // carries a monotonic reading, which must not matter
	}
	var stored []quotes.Quote
	for _, at := range instants {
		q := submittedQuote(1, quotes.Accepted, at.Add(3*time.Nanosecond))
		q.CreatedAt, q.UpdatedAt = at, at.Add(time.Nanosecond)
		q.SubmittedAt, q.DecidedAt = quoteTime(at.Add(2*time.Nanosecond)), quoteTime(at.Add(4*time.Nanosecond))
		got := mustCreateQuote(t, r, q)
		q.ID, q.Version = got.ID, 1
		sameQuote(t, fmt.Sprint("Create at ", at), got, q)
		sameQuote(t, fmt.Sprint("Get at ", at), mustGetQuote(t, r, got.ID), q)
		stored = append(stored, got)
	}
	for _, by := range []quotes.Field{quotes.ByCreatedAt, quotes.ByUpdatedAt} {
		for _, desc := range []bool{false, true} {
			o := quotes.Order{By: by, Descending: desc}
			got, err := r.Find(context.Background(), quotes.Query{Order: o})
			if err != nil {
				t.Fatal(err)
			}
			if want := quoteIDs(sortedQuotes(stored, o)); !slices.Equal(quoteIDs(got), want) {
				t.Errorf("Find(%+v) = %v, want %v", o, quoteIDs(got), want)
			}
		}
	}
	d := mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 1, 1)))
	at := time.Date(2031, 2, 3, 4, 5, 6, 7, paris)
	got, err := r.ReplaceLines(context.Background(), d.ID, 0, nil, at)
	if err != nil {
		t.Fatal(err)
	}
	if !got.UpdatedAt.Equal(at) || got.UpdatedAt.Location() != time.UTC {
		t.Errorf("UpdatedAt = %v, want %v in UTC", got.UpdatedAt, at)
	}
	s := quoteSubmission(nil, at)
	got, err = r.Submit(context.Background(), d.ID, 2, s)
	if err != nil {
		t.Fatal(err)
	}
	want := d
	want.State, want.Lines, want.Total, want.Version = quotes.Submitted, []quotes.Line{}, &s.Total, 3
	want.ValidUntil, want.SubmittedAt, want.UpdatedAt = &s.ValidUntil, &at, at
	sameQuote(t, "Submit at a time in Paris", got, want)
	sameQuote(t, "Get after a submission at a time in Paris", mustGetQuote(t, r, d.ID), want)
}

func quoteAmountsRoundTrip(t *testing.T, r quotes.Repository) {
	for i, m := range []quotes.Money{
		{Amount: 0, Currency: "EUR"},
		{Amount: math.MaxInt64, Currency: "USD"},
		{Amount: math.MinInt64, Currency: "JPY"},
		{Amount: 1<<53 + 1, Currency: "CHF"},
		{Amount: -1, Currency: ""},
	} {
		q := submittedQuote(1, quotes.Submitted, quoteEpoch)
		q.Total = &m
		q.Lines = []quotes.Line{{
			MaterialID: math.MaxInt64, Quantity: math.MaxInt32, WidthMM: math.MinInt32, HeightMM: -1,
			MaterialName: fmt.Sprint("m", i), UnitPrice: m, Total: quotes.Money{Amount: -m.Amount - 1, Currency: m.Currency},
		}}
		got := mustCreateQuote(t, r, q)
		q.ID, q.Version = got.ID, 1
		sameQuote(t, fmt.Sprintf("Get of %+v", m), mustGetQuote(t, r, got.ID), q)
	}
}

func quoteHostileStrings(t *testing.T, r quotes.Repository) {
	names := []string{
		`O'Brien "Spezial"`,
		`'; DROP TABLE quotes; --`,
		`Robert'); DELETE FROM quote_lines WHERE ('1'='1`,
		`back\slash \' \\`,
		`100% _wild_ %`,
		`$1 ? :name @p1`,
		`Stahl ß Öl 鋼 сталь 🚀`,
		"tab\tnew\nline\r",
		"",
		strings.Repeat("x", 4000),
	}
	var lines []quotes.Line
	for i, name := range names {
		l := quoteLine(int64(i+1), 1, 1, 1)
		l.MaterialName = name
		l.UnitPrice = quotes.Money{Amount: 1, Currency: names[len(names)-1-i]}
		lines = append(lines, l)
	}
	q := submittedQuote(1, quotes.Submitted, quoteEpoch)
	q.Lines = lines
	q.Total = &quotes.Money{Amount: 1, Currency: `'); DROP TABLE quotes; --`}
	got := mustCreateQuote(t, r, q)
	q.ID, q.Version = got.ID, 1
	sameQuote(t, "Get of hostile strings", mustGetQuote(t, r, got.ID), q)
}

func quoteResultsAreCopies(t *testing.T, r quotes.Repository) {
	created := mustCreateQuote(t, r, submittedQuote(1, quotes.Submitted, quoteEpoch))
	want := mustGetQuote(t, r, created.ID)
	spoil := func(q quotes.Quote) {
		q.Lines[0].Quantity = 99
		q.Total.Amount = 99
		*q.ValidUntil = q.ValidUntil.Add(time.Hour)
		*q.SubmittedAt = q.SubmittedAt.Add(time.Hour)
	}
	spoil(created)
	spoil(mustGetQuote(t, r, created.ID))
	page, err := r.Find(context.Background(), quotes.Query{})
	if err != nil {
		t.Fatal(err)
	}
	spoil(page[0])
	sameQuote(t, "Get after changing returned values", mustGetQuote(t, r, created.ID), want)

	d := mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 1, 1)))
	replaced, err := r.ReplaceLines(context.Background(), d.ID, 0, []quotes.Line{quoteLine(2, 2, 2, 2)}, quoteEpoch)
	if err != nil {
		t.Fatal(err)
	}
	replaced.Lines[0].Quantity = 99
	if got := mustGetQuote(t, r, d.ID).Lines[0].Quantity; got != 2 {
		t.Errorf("quantity %d after changing what ReplaceLines returned, want 2", got)
	}
}

func quoteInputsAreCopied(t *testing.T, r quotes.Repository) {
	q := submittedQuote(1, quotes.Submitted, quoteEpoch)
	created := mustCreateQuote(t, r, q)
	want := mustGetQuote(t, r, created.ID)
	q.Lines[0].Quantity = 99
	q.Total.Amount = 99
	*q.ValidUntil = q.ValidUntil.Add(time.Hour)
	sameQuote(t, "Get after changing what Create was given", mustGetQuote(t, r, created.ID), want)

	d := mustCreateQuote(t, r, draftQuote(1))
	lines := []quotes.Line{quoteLine(2, 2, 2, 2)}
	if _, err := r.ReplaceLines(context.Background(), d.ID, 0, lines, quoteEpoch); err != nil {
		t.Fatal(err)
	}
	lines[0].Quantity = 99
	s := quoteSubmission([]quotes.Line{quoteLine(2, 2, 2, 2)}, quoteEpoch)
	submitted, err := r.Submit(context.Background(), d.ID, 2, s)
	if err != nil {
		t.Fatal(err)
	}
	s.Lines[0].Quantity = 99
	s.Total.Amount = 99
	sameQuote(t, "Get after changing what ReplaceLines and Submit were given", mustGetQuote(t, r, d.ID), submitted)
	if submitted.Lines[0].Quantity != 2 {
		t.Errorf("quantity %d, want 2", submitted.Lines[0].Quantity)
	}
}

func quoteCancelledContext(t *testing.T, r quotes.Repository) {
	d := mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 1, 1)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := map[string]func() error{
		"Get":    func() error { _, err := r.Get(ctx, d.ID); return err },
		"Create": func() error { _, err := r.Create(ctx, draftQuote(1)); return err },
		"Find":   func() error { _, err := r.Find(ctx, quotes.Query{}); return err },
		"Count":  func() error { _, err := r.Count(ctx, quotes.Filter{}); return err },
		"ReplaceLines": func() error {
			_, err := r.ReplaceLines(ctx, d.ID, 0, nil, quoteEpoch)
			return err
		},
		"Submit": func() error {
			_, err := r.Submit(ctx, d.ID, 1, quoteSubmission(nil, quoteEpoch))
			return err
		},
		"Decide": func() error {
			_, err := r.Decide(ctx, d.ID, quotes.Accepted, quoteEpoch)
			return err
		},
		"Expire": func() error { _, err := r.Expire(ctx, quoteEpoch); return err },
		"Delete": func() error { return r.Delete(ctx, d.ID, 0) },
	}
	for name, call := range calls {
		if err := call(); err == nil {
			t.Errorf("%s with a cancelled context succeeded", name)
		}
	}
	sameQuote(t, "the draft after cancelled calls", mustGetQuote(t, r, d.ID), d)
}
