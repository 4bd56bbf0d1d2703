package repotest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/quotes"
)

// quoteFleet stores quotes of two companies in every state, with
// duplicate creation and change times so that every ordering has ties to
// break, each with lines of its own. It returns them as stored.
func quoteFleet(t *testing.T, r quotes.Repository) []quotes.Quote {
	t.Helper()
	states := []quotes.State{quotes.Draft, quotes.Submitted, quotes.Expired, quotes.Draft, quotes.Accepted, quotes.Rejected, quotes.Submitted}
	var out []quotes.Quote
	for i := range 14 {
		var q quotes.Quote
		if state := states[i%len(states)]; state == quotes.Draft {
			q = draftQuote(int64(1 + i%2))
			for j := range i % 4 {
				q.Lines = append(q.Lines, quoteLine(int64(100*i+j), int32(j+1), 10, 10))
			}
		} else {
			q = submittedQuote(int64(1+i%2), state, quoteEpoch.Add(time.Duration(i)*time.Hour))
			q.Lines[0].MaterialID = int64(100 * i)
		}
		q.CreatedAt = quoteEpoch.Add(time.Duration(i%4) * time.Nanosecond)
		q.UpdatedAt = quoteEpoch.Add(time.Duration((13-i)%5) * time.Nanosecond)
		out = append(out, mustCreateQuote(t, r, q))
	}
	return out
}

var quoteFilters = []struct {
	name string
	f    quotes.Filter
}{
	{"none", quotes.Filter{}},
	{"company", quotes.Filter{CompanyID: 2}},
	{"drafts", quotes.Filter{State: quotes.Draft}},
	{"submitted", quotes.Filter{State: quotes.Submitted}},
	{"company and expired", quotes.Filter{CompanyID: 1, State: quotes.Expired}},
	{"unknown company", quotes.Filter{CompanyID: 3}},
	{"unknown state", quotes.Filter{State: "cancelled"}},
}

func keepQuotes(all []quotes.Quote, f quotes.Filter) []quotes.Quote {
	var out []quotes.Quote
	for _, q := range all {
		if (f.CompanyID == 0 || q.CompanyID == f.CompanyID) && (f.State == "" || q.State == f.State) {
			out = append(out, q)
		}
	}
	return out
}

func quoteCount(t *testing.T, r quotes.Repository) {
	all := quoteFleet(t, r)
	for _, tt := range quoteFilters {
		got, err := r.Count(context.Background(), tt.f)
		if err != nil {
			t.Fatalf("Count(%s): %v", tt.name, err)
		}
		if want := int64(len(keepQuotes(all, tt.f))); got != want {
			t.Errorf("Count(%s) = %d, want %d", tt.name, got, want)
		}
	}
}

func quoteFindFilters(t *testing.T, r quotes.Repository) {
	all := quoteFleet(t, r)
	for _, tt := range quoteFilters {
		// The zero Order sorts by ID, so that callers need not name one.
		got, err := r.Find(context.Background(), quotes.Query{Filter: tt.f})
		if err != nil {
			t.Fatalf("Find(%s): %v", tt.name, err)
		}
		if want := quoteIDs(keepQuotes(all, tt.f)); !slices.Equal(quoteIDs(got), want) {
			t.Errorf("Find(%s) = %v, want %v", tt.name, quoteIDs(got), want)
		}
	}
}

// quoteKeys says how each sortable field compares; the suite fails when a
// field is added to quotes.SortableFields without a key here.
var quoteKeys = map[quotes.Field]func(a, b quotes.Quote) int{
	quotes.ByID:        func(a, b quotes.Quote) int { return cmp.Compare(a.ID, b.ID) },
	quotes.ByCreatedAt: func(a, b quotes.Quote) int { return a.CreatedAt.Compare(b.CreatedAt) },
	quotes.ByUpdatedAt: func(a, b quotes.Quote) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
	quotes.ByState:     func(a, b quotes.Quote) int { return strings.Compare(string(a.State), string(b.State)) },
}

func sortedQuotes(qs []quotes.Quote, o quotes.Order) []quotes.Quote {
	out := slices.Clone(qs)
	key := quoteKeys[o.By]
	slices.SortFunc(out, func(a, b quotes.Quote) int {
		c := key(a, b)
		if o.Descending {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.ID, b.ID))
	})
	return out
}

func quoteFindOrders(t *testing.T, r quotes.Repository) {
	all := quoteFleet(t, r)
	for _, by := range quotes.SortableFields {
		if quoteKeys[by] == nil {
			t.Fatalf("the suite has no key for sortable field %q", by)
		}
		for _, desc := range []bool{false, true} {
			o := quotes.Order{By: by, Descending: desc}
			for _, tt := range quoteFilters[:4] {
				got, err := r.Find(context.Background(), quotes.Query{Filter: tt.f, Order: o})
				if err != nil {
					t.Fatalf("Find(%+v): %v", o, err)
				}
				if want := quoteIDs(sortedQuotes(keepQuotes(all, tt.f), o)); !slices.Equal(quoteIDs(got), want) {
					t.Errorf("Find(%+v, filter %s) = %v, want %v", o, tt.name, quoteIDs(got), want)
				}
			}
		}
	}
}

func quoteFindPages(t *testing.T, r quotes.Repository) {
	all := quoteFleet(t, r)
	byState := quotes.Order{By: quotes.ByState, Descending: true}
	want := quoteIDs(sortedQuotes(all, byState))
	find := func(limit, offset int) []int64 {
		t.Helper()
		got, err := r.Find(context.Background(), quotes.Query{Order: byState, Limit: limit, Offset: offset})
		if err != nil {
			t.Fatalf("Find(limit %d, offset %d): %v", limit, offset, err)
		}
		return quoteIDs(got)
	}
	for _, tt := range []struct {
		limit, offset int
		want          []int64
	}{
		{0, 0, want},
		{5, 0, want[:5]},
		{5, 10, want[10:]},
		{0, 3, want[3:]},
		{100, 0, want},
		{1, 13, want[13:]},
		{5, 14, []int64{}},
		{5, 1000, []int64{}},
		{3, -2, want[:3]},
	} {
		if got := find(tt.limit, tt.offset); !slices.Equal(got, tt.want) {
			t.Errorf("Find(limit %d, offset %d) = %v, want %v", tt.limit, tt.offset, got, tt.want)
		}
	}
	// Walking pages sees every quote exactly once, in order.
	var walked []int64
	for offset := 0; ; offset += 4 {
		page := find(4, offset)
		if len(page) == 0 {
			break
		}
		walked = append(walked, page...)
	}
	if !slices.Equal(walked, want) {
		t.Errorf("pages walked = %v, want %v", walked, want)
	}
}

func quoteFindLines(t *testing.T, r quotes.Repository) {
	all := quoteFleet(t, r)
	byID := map[int64]quotes.Quote{}
	for _, q := range all {
		byID[q.ID] = q
	}
	for _, q := range []quotes.Query{
		{},
		{Order: quotes.Order{By: quotes.ByUpdatedAt, Descending: true}},
		{Order: quotes.Order{By: quotes.ByState}, Limit: 3, Offset: 5},
		{Filter: quotes.Filter{State: quotes.Draft}, Order: quotes.Order{By: quotes.ByCreatedAt}, Limit: 2, Offset: 1},
	} {
		got, err := r.Find(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			t.Fatalf("Find(%+v) found nothing", q)
		}
		for _, g := range got {
			sameQuote(t, fmt.Sprintf("quote %d found by %+v", g.ID, q), g, byID[g.ID])
		}
	}
}

func quoteFindInvalidOrdering(t *testing.T, r quotes.Repository) {
	quoteFleet(t, r)
	for _, by := range []quotes.Field{
		"company_id", "valid_until", "total_amount", "STATE", "-state", "state desc",
		"state;DROP TABLE quotes", "state; DROP TABLE quote_lines;--", "(SELECT 1)", "1",
	} {
		_, err := r.Find(context.Background(), quotes.Query{Order: quotes.Order{By: by}})
		if !errors.Is(err, quotes.ErrInvalidOrdering) {
			t.Errorf("Find(order by %q) error = %v, want ErrInvalidOrdering", by, err)
		}
	}
	if n, err := r.Count(context.Background(), quotes.Filter{}); err != nil || n != 14 {
		t.Errorf("Count after hostile orderings = %d, %v; want 14", n, err)
	}
}
