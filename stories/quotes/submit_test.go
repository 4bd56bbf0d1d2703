package quotes_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// submitQuote builds the story over repo, with no copy of any material:
// every material is asked of service.
func submitQuote(t *testing.T, repo *memory.Quotes, injector string, service *materialsService) *quotes.SubmitQuote {
	t.Helper()
	return submitQuoteWith(t, repo, injector, memory.NewMaterialCopies(), service)
}

// submitQuoteWith builds the story over repo, pricing from copies and
// asking service about the materials without one.
func submitQuoteWith(t *testing.T, repo *memory.Quotes, injector string, copies quotes.MaterialCopies, service *materialsService) *quotes.SubmitQuote {
	t.Helper()
	s, err := quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{
		FilterOnPermissions: filters[injector],
		Get:                 repo.Get,
		Copies:              copies.Copies,
		Materials:           service.Materials,
		Submit:              repo.Submit,
		Events:              memory.NewOutbox(),
		Now:                 clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// draft stores an Acme draft of lines in repo and returns its ID.
func draft(t *testing.T, repo *memory.Quotes, lines ...quotes.Line) int64 {
	t.Helper()
	q, err := repo.Create(context.Background(), quotes.Quote{CompanyID: 1, State: quotes.Draft, Lines: lines, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	return q.ID
}

// priced is l as submission prices it.
func priced(l quotes.Line, unit int64, currency string) quotes.Line {
	l.MaterialName = catalogue[l.MaterialID].Name
	l.UnitPrice = quotes.Money{Amount: unit, Currency: currency}
	l.Total = quotes.Money{Amount: unit * int64(l.Quantity), Currency: currency}
	return l
}

func TestSubmitQuote(t *testing.T) {
	seen := reasons{}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		id       int64         // a seeded quote, or
		lines    []quotes.Line // the lines of a new Acme draft
		want     error         // nil, or the failure
		badLine  int           // the line a *LineError names
		priced   []quotes.Line // on success, the lines as submitted
		total    int64         // and the total, in EUR
		asked    []int64       // the materials looked up, once, in ID order
	}{
		{name: "an external caller submits its company's draft, priced by area", injector: "external", caller: acme, id: 1,
			// 0.5 m² at 45.00 and 0.06 m² at 120.00
			priced: []quotes.Line{priced(line(1, 2, 1000, 500), 2250, "EUR"), priced(line(2, 1, 200, 300), 720, "EUR")},
			total:  5220, asked: []int64{1, 2}},
		{name: "staff submit any company's draft", injector: "staff", caller: staff, id: 5,
			priced: []quotes.Line{priced(line(4, 1, 100, 100), 90, "EUR")}, total: 90, asked: []int64{4}},
		{name: "a unit price of exactly half a cent rounds up", injector: "external", caller: acme,
			// 125 mm² at 120.00 a m² is 1.5 cents; 124 mm² is 1.488.
			lines:  []quotes.Line{line(2, 3, 1, 125), line(2, 1, 124, 1)},
			priced: []quotes.Line{priced(line(2, 3, 1, 125), 2, "EUR"), priced(line(2, 1, 124, 1), 1, "EUR")},
			total:  7, asked: []int64{2}},
		{name: "a material on several lines is looked up once", injector: "external", caller: acme,
			lines:  []quotes.Line{line(2, 1, 100, 100), line(1, 1, 100, 100), line(2, 2, 100, 100)},
			priced: []quotes.Line{priced(line(2, 1, 100, 100), 120, "EUR"), priced(line(1, 1, 100, 100), 45, "EUR"), priced(line(2, 2, 100, 100), 120, "EUR")},
			total:  405, asked: []int64{1, 2}},
		{name: "a free material is quoted at nothing", injector: "external", caller: acme,
			lines: []quotes.Line{line(7, 5, 100, 100)}, priced: []quotes.Line{priced(line(7, 5, 100, 100), 0, "EUR")}, total: 0, asked: []int64{7}},
		{name: "the largest line a quote holds", injector: "external", caller: acme,
			lines:  []quotes.Line{line(10, quotes.MaxQuantity, quotes.MaxSizeMM, quotes.MaxSizeMM)},
			priced: []quotes.Line{priced(line(10, quotes.MaxQuantity, quotes.MaxSizeMM, quotes.MaxSizeMM), 500_000_000_000, "EUR")},
			total:  5_000_000_000_000_000, asked: []int64{10}},
		{name: "a draft without lines is not submitted", injector: "external", caller: acme, id: 2, want: quotes.ErrNoLines},
		{name: "a submitted quote is not submitted again", injector: "external", caller: acme, id: 3, want: quotes.ErrNotDraft},
		{name: "an accepted quote is not submitted", injector: "staff", caller: staff, id: 7, want: quotes.ErrNotDraft},
		{name: "another company's draft is not found, not forbidden", injector: "external", caller: globex, id: 1, want: quotes.ErrNotFound},
		{name: "a missing quote is not found", injector: "staff", caller: staff, id: 99, want: quotes.ErrNotFound},
		{name: "a caller with no role is forbidden", injector: "staff", caller: nobody, id: 1, want: quotes.ErrForbidden},
		{name: "a caller with no role is forbidden by the external story too", injector: "external", caller: nobody, id: 1, want: quotes.ErrForbidden},
		{name: "an external caller without a company is forbidden", injector: "external", caller: homeless, id: 1, want: quotes.ErrForbidden},
		{name: "an unknown material is unavailable, naming its line", injector: "external", caller: acme,
			lines: []quotes.Line{line(1, 1, 10, 10), line(99, 1, 10, 10)}, want: quotes.ErrMaterialUnavailable, badLine: 1, asked: []int64{1, 99}},
		{name: "another company's material is unavailable", injector: "external", caller: acme,
			lines: []quotes.Line{line(4, 1, 10, 10)}, want: quotes.ErrMaterialUnavailable, asked: []int64{4}},
		{name: "an inactive material is unavailable", injector: "external", caller: acme,
			lines: []quotes.Line{line(1, 1, 10, 10), line(2, 1, 10, 10), line(3, 1, 10, 10)}, want: quotes.ErrMaterialUnavailable, badLine: 2, asked: []int64{1, 2, 3}},
		{name: "a material in another currency than the first line's is unavailable", injector: "external", caller: acme,
			lines: []quotes.Line{line(1, 1, 10, 10), line(5, 1, 10, 10)}, want: quotes.ErrMaterialUnavailable, badLine: 1, asked: []int64{1, 5}},
		{name: "the first line sets the currency", injector: "external", caller: acme,
			lines: []quotes.Line{line(5, 1, 10, 10), line(1, 1, 10, 10)}, want: quotes.ErrMaterialUnavailable, badLine: 1, asked: []int64{1, 5}},
		{name: "a material with a negative price is unavailable", injector: "external", caller: acme,
			lines: []quotes.Line{line(8, 1, 10, 10)}, want: quotes.ErrMaterialUnavailable, asked: []int64{8}},
		{name: "a material priced in no currency is unavailable", injector: "external", caller: acme,
			lines: []quotes.Line{line(9, 1, 10, 10)}, want: quotes.ErrMaterialUnavailable, asked: []int64{9}},
		{name: "a unit price beyond the largest amount is refused, naming its line", injector: "external", caller: acme,
			lines: []quotes.Line{line(1, 1, 10, 10), line(6, 1, quotes.MaxSizeMM, quotes.MaxSizeMM)}, want: quotes.ErrAmountOutOfRange, badLine: 1, asked: []int64{1, 6}},
		{name: "a line total beyond the largest amount is refused", injector: "external", caller: acme,
			// One part of 1 mm² is 46,116,860,184.27 EUR; 10,000 are too many.
			lines: []quotes.Line{line(6, quotes.MaxQuantity, 1, 1)}, want: quotes.ErrAmountOutOfRange, asked: []int64{6}},
		{name: "a quote total beyond the largest amount is refused", injector: "external", caller: acme,
			lines: []quotes.Line{line(10, quotes.MaxQuantity, quotes.MaxSizeMM, quotes.MaxSizeMM), line(10, quotes.MaxQuantity, quotes.MaxSizeMM, quotes.MaxSizeMM)},
			want:  quotes.ErrAmountOutOfRange, badLine: -1, asked: []int64{10}},
	} {
		// Every case runs twice: priced by the materials service, quotes
		// having no copy of any material, and priced from quotes' copies
		// of every material of the catalogue, the service being down.
		for _, source := range []string{"materials service", "copies"} {
			t.Run(tc.name+", from the "+source, func(t *testing.T) {
				repo := seeded(t)
				id := tc.id
				if id == 0 {
					id = draft(t, repo, tc.lines...)
				}
				before := snapshot(t, repo)
				service, copies := &materialsService{}, memory.NewMaterialCopies()
				var asked [][]int64
				if source == "copies" {
					service.down = errors.New("materials asked about a material quotes has a copy of")
					keepCatalogue(t, copies)
					if slices.Contains(tc.asked, 99) {
						// 99 is in no catalogue: only it is asked about.
						service.down = nil
						asked = [][]int64{{99}}
					}
				} else if tc.asked != nil {
					asked = [][]int64{tc.asked}
				}
				q, err := submitQuoteWith(t, repo, tc.injector, copies, service).Run(context.Background(), tc.caller, quotes.SubmitInput{ID: id})
				seen.check(t, err, tc.want)
				if !slices.EqualFunc(service.asked, asked, slices.Equal) {
					t.Errorf("materials asked for %v, want %v", service.asked, asked)
				}
				if tc.want != nil {
					if tc.want == quotes.ErrMaterialUnavailable || (tc.want == quotes.ErrAmountOutOfRange && tc.badLine >= 0) {
						le := lineError(t, err, tc.badLine, tc.want)
						if got, want := le.MaterialID, before[id].Lines[tc.badLine].MaterialID; got != want {
							t.Errorf("the line error names material %d, want %d", got, want)
						}
					} else if _, ok := errors.AsType[*quotes.LineError](err); ok {
						t.Errorf("err = %v: a failure about no line names one", err)
					}
					unchanged(t, repo, before)
					return
				}
				want := before[id]
				want.State, want.Lines, want.Version = quotes.Submitted, tc.priced, want.Version+1
				want.Total = &quotes.Money{Amount: tc.total, Currency: "EUR"}
				want.ValidUntil, want.SubmittedAt, want.UpdatedAt = at(now.Add(30*24*time.Hour)), at(now), now
				if !sameQuote(q, want) {
					t.Errorf("returned %s,\nwant %s", show(q), show(want))
				}
				if got := get(t, repo, id); !sameQuote(got, want) {
					t.Errorf("stored %s,\nwant %s", show(got), show(want))
				}
			})
		}
	}

	t.Run("the materials service being down is its own failure", func(t *testing.T) {
		service := &materialsService{down: fmt.Errorf("GET /materials: %w: connection refused", quotes.ErrMaterialsUnreachable)}
		repo := seeded(t)
		before := snapshot(t, repo)
		_, err := submitQuote(t, repo, "external", service).Run(context.Background(), acme, quotes.SubmitInput{ID: 1})
		seen.check(t, err, quotes.ErrMaterialsUnreachable)
		if f := asFailed(t, err); f.Step != "ask materials service about the others" {
			t.Errorf("failed at %q, want %q", f.Step, "ask materials service about the others")
		}
		unchanged(t, repo, before)
	})

	t.Run("any other failure of the materials lookup is internal", func(t *testing.T) {
		broken := errors.New("malformed answer")
		service := &materialsService{down: broken}
		_, err := submitQuote(t, seeded(t), "external", service).Run(context.Background(), acme, quotes.SubmitInput{ID: 1})
		internal(t, err, "ask materials service about the others")
		if !errors.Is(err, broken) {
			t.Errorf("err = %v, want it to wrap %v", err, broken)
		}
	})

	t.Run("only the materials without a copy are asked about", func(t *testing.T) {
		copies := memory.NewMaterialCopies()
		keep(t, copies, copyOf(1))
		service := &materialsService{}
		repo := seeded(t)
		id := draft(t, repo, line(2, 1, 100, 100), line(1, 1, 100, 100), line(4, 1, 100, 100))
		_, err := submitQuoteWith(t, repo, "staff", copies, service).Run(context.Background(), staff, quotes.SubmitInput{ID: id})
		seen.check(t, err, quotes.ErrMaterialUnavailable) // 4 is Globex's
		if want := [][]int64{{2, 4}}; !slices.EqualFunc(service.asked, want, slices.Equal) {
			t.Errorf("materials asked for %v, want %v", service.asked, want)
		}
	})

	t.Run("a deleted material is unavailable, and the materials service is not asked about it", func(t *testing.T) {
		copies := memory.NewMaterialCopies()
		keep(t, copies, copyOf(1))
		keep(t, copies, quotes.MaterialCopy{ID: 1, CompanyID: 1, Deleted: true, ChangedAt: now})
		service := &materialsService{}
		repo := seeded(t)
		id := draft(t, repo, line(1, 1, 100, 100))
		before := snapshot(t, repo)
		_, err := submitQuoteWith(t, repo, "external", copies, service).Run(context.Background(), acme, quotes.SubmitInput{ID: id})
		seen.check(t, err, quotes.ErrMaterialUnavailable)
		lineError(t, err, 0, quotes.ErrMaterialUnavailable)
		if len(service.asked) != 0 {
			t.Errorf("materials asked for %v, want nothing", service.asked)
		}
		unchanged(t, repo, before)
	})

	t.Run("a copy changed since prices from the change", func(t *testing.T) {
		copies := memory.NewMaterialCopies()
		keep(t, copies, copyOf(2))
		dearer := copyOf(2)
		dearer.Sequence, dearer.ChangedAt, dearer.Price = 2, now.Add(time.Minute), &quotes.Money{Amount: 24000, Currency: "EUR"}
		keep(t, copies, dearer)
		repo := seeded(t)
		id := draft(t, repo, line(2, 1, 1000, 1000))
		q, err := submitQuoteWith(t, repo, "external", copies, &materialsService{}).Run(context.Background(), acme, quotes.SubmitInput{ID: id})
		if err != nil {
			t.Fatal(err)
		}
		if q.Total == nil || q.Total.Amount != 24000 {
			t.Errorf("total %+v, want 240.00 EUR, the price of the later change", q.Total)
		}
	})

	t.Run("a failure to read the copies is internal", func(t *testing.T) {
		broken := errors.New("copies unreadable")
		repo := seeded(t)
		s, err := quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{
			FilterOnPermissions: quotes.CompanyAccess, Get: repo.Get,
			Copies:    func(context.Context, []int64) (map[int64]quotes.MaterialCopy, error) { return nil, broken },
			Materials: (&materialsService{}).Materials, Submit: repo.Submit, Events: memory.NewOutbox(), Now: clock,
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Run(context.Background(), acme, quotes.SubmitInput{ID: 1})
		internal(t, err, "look up copies of materials")
		if !errors.Is(err, broken) {
			t.Errorf("err = %v, want it to wrap %v", err, broken)
		}
	})

	for _, race := range []struct {
		name  string
		other func(repo *memory.Quotes, id int64) error
		want  error
	}{
		{"lines replaced while the draft was priced fail the submission", func(repo *memory.Quotes, id int64) error {
			_, err := repo.ReplaceLines(context.Background(), id, 0, []quotes.Line{line(2, 9, 10, 10)}, now)
			return err
		}, quotes.ErrChanged},
		{"a draft submitted by another request meanwhile is not submitted twice", func(repo *memory.Quotes, id int64) error {
			_, err := repo.Submit(context.Background(), id, 1, quotes.Submission{Total: eur(1), ValidUntil: now, At: now})
			return err
		}, quotes.ErrNotDraft},
		{"a draft deleted meanwhile is not found", func(repo *memory.Quotes, id int64) error {
			return repo.Delete(context.Background(), id, 0)
		}, quotes.ErrNotFound},
	} {
		t.Run(race.name, func(t *testing.T) {
			repo := seeded(t)
			s, err := quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{
				FilterOnPermissions: quotes.CompanyAccess,
				Get:                 repo.Get,
				Copies:              memory.NewMaterialCopies().Copies,
				Materials:           (&materialsService{}).Materials,
				Submit: func(ctx context.Context, id, version int64, sub quotes.Submission) (quotes.Quote, error) {
					if err := race.other(repo, id); err != nil {
						t.Fatal(err)
					}
					return repo.Submit(ctx, id, version, sub)
				},
				Events: memory.NewOutbox(),
				Now:    clock,
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Run(context.Background(), acme, quotes.SubmitInput{ID: 1})
			seen.check(t, err, race.want)
			f := asFailed(t, err)
			if inner, ok := f.Err.(*story.Failed); f.Step != "WriteSubmission" || !ok || inner.Step != "submit quote" {
				t.Errorf("failed at %q (%v), want %q in WriteSubmission", f.Step, f.Err, "submit quote")
			}
		})
	}

	seen.all(t, submitQuote(t, memory.NewQuotes(), "staff", &materialsService{}).Failures())
}

func TestSubmitQuoteValidity(t *testing.T) {
	for _, tc := range []struct {
		name     string
		validity time.Duration
		want     time.Time
	}{
		{"no validity given is thirty days", 0, now.AddDate(0, 0, 30)},
		{"a validity given is kept to the nanosecond", 7*24*time.Hour + time.Nanosecond, now.Add(7*24*time.Hour + time.Nanosecond)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			s, err := quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{
				FilterOnPermissions: quotes.CompanyAccess, Get: repo.Get, Copies: memory.NewMaterialCopies().Copies,
				Materials: (&materialsService{}).Materials,
				Submit:    repo.Submit, Events: memory.NewOutbox(), Now: clock, Validity: tc.validity,
			})
			if err != nil {
				t.Fatal(err)
			}
			q, err := s.Run(context.Background(), acme, quotes.SubmitInput{ID: 1})
			if err != nil {
				t.Fatal(err)
			}
			if q.ValidUntil == nil || !q.ValidUntil.Equal(tc.want) {
				t.Errorf("ValidUntil = %v, want %v", q.ValidUntil, tc.want)
			}
		})
	}
}

func TestSubmitQuoteWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{Get: memory.NewQuotes().Get})
		if err == nil {
			t.Fatal("NewSubmitQuote accepted missing dependencies")
		}
		if got, want := err.Error(), "story SubmitQuote: missing dependencies: FilterOnPermissions, Copies, Materials, Submit, Events, Now"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("a negative validity is refused at construction", func(t *testing.T) {
		repo := memory.NewQuotes()
		_, err := quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{
			FilterOnPermissions: quotes.StaffAccess, Get: repo.Get, Copies: memory.NewMaterialCopies().Copies,
			Materials: (&materialsService{}).Materials,
			Submit:    repo.Submit, Events: memory.NewOutbox(), Now: clock, Validity: -time.Hour,
		})
		if err == nil || !strings.Contains(err.Error(), "negative") {
			t.Errorf("err = %v, want a negative validity refused", err)
		}
	})

	t.Run("it reads like the process, and tells the validity quotes get", func(t *testing.T) {
		d := submitQuote(t, memory.NewQuotes(), "staff", &materialsService{}).Describe()
		got := strings.Join(steps(d), ", ")
		want := "FindQuote, check quote is a draft, check quote has lines, look up copies of materials, ask materials service about the others, " +
			"check materials are available, price lines, add up total, set submission time and validity, WriteSubmission"
		if got != want {
			t.Errorf("steps %s, want %s", got, want)
		}
		if !strings.Contains(d.String(), "uses: Validity = 720h0m0s") {
			t.Errorf("description\n%s\nwant it to name a validity of 720h", d)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := submitQuote(t, memory.NewQuotes(), "staff", &materialsService{}).Failures()
		want := []error{
			quotes.ErrForbidden, quotes.ErrNotFound, quotes.ErrNotDraft, quotes.ErrNoLines, quotes.ErrMaterialsUnreachable,
			quotes.ErrMaterialUnavailable, quotes.ErrAmountOutOfRange, quotes.ErrChanged,
		}
		if !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
