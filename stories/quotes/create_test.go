package quotes_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
)

func createQuote(t *testing.T, repo *memory.Quotes, injector string) *quotes.CreateQuote {
	t.Helper()
	c, err := quotes.NewCreateQuote(quotes.CreateQuoteDeps{
		FilterOnPermissions: filters[injector],
		Create:              repo.Create,
		Now:                 clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tooMany is one line more than a quote holds.
func tooMany() []quotes.Line {
	out := make([]quotes.Line, quotes.MaxLines+1)
	for i := range out {
		out[i] = line(1, 1, 10, 10)
	}
	return out
}

func TestCreateQuote(t *testing.T) {
	seen := reasons{}
	two := []quotes.Line{line(1, 2, 1000, 500), line(2, 1, 200, 300)}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		in       quotes.CreateInput
		want     error
		badLine  int // the line a *LineError names, for ErrInvalidLine
		company  int64
		lines    []quotes.Line
	}{
		{name: "an external caller creates a draft in its company when it names none", injector: "external", caller: acme,
			in: quotes.CreateInput{Lines: two}, company: 1, lines: two},
		{name: "an external caller may name its own company", injector: "external", caller: globex,
			in: quotes.CreateInput{CompanyID: 2, Lines: two[:1]}, company: 2, lines: two[:1]},
		{name: "a draft may start without lines", injector: "external", caller: acme,
			company: 1, lines: []quotes.Line{}},
		{name: "staff create in the company they name", injector: "staff", caller: staff,
			in: quotes.CreateInput{CompanyID: 3, Lines: two}, company: 3, lines: two},
		{name: "prices given by the caller are dropped", injector: "external", caller: acme,
			in: quotes.CreateInput{Lines: []quotes.Line{{MaterialID: 1, Quantity: 1, WidthMM: 10, HeightMM: 10,
				MaterialName: "Gold", UnitPrice: eur(1), Total: eur(1)}}},
			company: 1, lines: []quotes.Line{line(1, 1, 10, 10)}},
		{name: "the largest line there may be", injector: "external", caller: acme,
			in:      quotes.CreateInput{Lines: []quotes.Line{line(1, quotes.MaxQuantity, quotes.MaxSizeMM, quotes.MaxSizeMM)}},
			company: 1, lines: []quotes.Line{line(1, quotes.MaxQuantity, quotes.MaxSizeMM, quotes.MaxSizeMM)}},
		{name: "a material the company does not have is a question for submission", injector: "external", caller: acme,
			in: quotes.CreateInput{Lines: []quotes.Line{line(99, 1, 10, 10)}}, company: 1, lines: []quotes.Line{line(99, 1, 10, 10)}},
		{name: "an external caller may not create in another company", injector: "external", caller: acme,
			in: quotes.CreateInput{CompanyID: 2}, want: quotes.ErrForbidden},
		{name: "staff must name the company", injector: "staff", caller: staff,
			in: quotes.CreateInput{Lines: two}, want: quotes.ErrCompanyRequired},
		{name: "a caller with no role is forbidden", injector: "staff", caller: nobody,
			in: quotes.CreateInput{CompanyID: 1}, want: quotes.ErrForbidden},
		{name: "a caller with no role is forbidden by the external story too", injector: "external", caller: nobody,
			want: quotes.ErrForbidden},
		{name: "an external caller without a company is forbidden", injector: "external", caller: homeless,
			want: quotes.ErrForbidden},
		{name: "a quantity of zero is refused, naming the line", injector: "external", caller: acme,
			in: quotes.CreateInput{Lines: []quotes.Line{line(1, 1, 10, 10), line(1, 0, 10, 10)}}, want: quotes.ErrInvalidLine, badLine: 1},
		{name: "a quantity above the maximum is refused", injector: "external", caller: acme,
			in: quotes.CreateInput{Lines: []quotes.Line{line(1, quotes.MaxQuantity+1, 10, 10)}}, want: quotes.ErrInvalidLine},
		{name: "a negative width is refused", injector: "staff", caller: staff,
			in: quotes.CreateInput{CompanyID: 1, Lines: []quotes.Line{line(1, 1, -10, 10)}}, want: quotes.ErrInvalidLine},
		{name: "a height above the maximum is refused", injector: "external", caller: acme,
			in: quotes.CreateInput{Lines: []quotes.Line{line(1, 1, 10, 10), line(2, 1, 10, 10), line(1, 1, 10, quotes.MaxSizeMM+1)}}, want: quotes.ErrInvalidLine, badLine: 2},
		{name: "a line without a material is refused", injector: "external", caller: acme,
			in: quotes.CreateInput{Lines: []quotes.Line{line(0, 1, 10, 10)}}, want: quotes.ErrInvalidLine},
		{name: "more lines than a quote holds are refused", injector: "external", caller: acme,
			in: quotes.CreateInput{Lines: tooMany()}, want: quotes.ErrTooManyLines},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			before := snapshot(t, repo)
			q, err := createQuote(t, repo, tc.injector).Run(context.Background(), tc.caller, tc.in)
			seen.check(t, err, tc.want)
			if tc.want != nil {
				if tc.want == quotes.ErrInvalidLine {
					le := lineError(t, err, tc.badLine, quotes.ErrInvalidLine)
					if le.Why == "" || le.MaterialID != tc.in.Lines[tc.badLine].MaterialID {
						t.Errorf("line error %+v, want the line's material and a reason", le)
					}
				}
				unchanged(t, repo, before)
				return
			}
			want := quotes.Quote{ID: 10, CompanyID: tc.company, State: quotes.Draft, Lines: tc.lines,
				Version: 1, CreatedAt: now, UpdatedAt: now}
			if !sameQuote(q, want) {
				t.Errorf("created %s, want %s", show(q), show(want))
			}
			if got := get(t, repo, q.ID); !sameQuote(got, want) {
				t.Errorf("stored %s, want %s", show(got), show(want))
			}
		})
	}
	seen.all(t, createQuote(t, memory.NewQuotes(), "staff").Failures())

	t.Run("the caller's lines are not the draft's", func(t *testing.T) {
		repo := memory.NewQuotes()
		in := quotes.CreateInput{Lines: []quotes.Line{line(1, 1, 10, 10)}}
		q, err := createQuote(t, repo, "external").Run(context.Background(), acme, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Lines[0].Quantity = 99
		if got := get(t, repo, q.ID).Lines; !slices.Equal(got, []quotes.Line{line(1, 1, 10, 10)}) {
			t.Errorf("lines %+v after the caller changed its input", got)
		}
	})
}

func TestCreateQuoteWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := quotes.NewCreateQuote(quotes.CreateQuoteDeps{Create: memory.NewQuotes().Create})
		if err == nil {
			t.Fatal("NewCreateQuote accepted missing dependencies")
		}
		if got, want := err.Error(), "story CreateQuote: missing dependencies: FilterOnPermissions, Now"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("it describes its steps in order", func(t *testing.T) {
		got := createQuote(t, memory.NewQuotes(), "staff").Describe().String()
		want := "CreateQuote\n  check permissions\n  choose company\n  check lines\n  prepare draft\n  create quote\n"
		if !strings.HasPrefix(got, want) {
			t.Errorf("description\n%s\nwant it to start\n%s", got, want)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := createQuote(t, memory.NewQuotes(), "staff").Failures()
		want := []error{quotes.ErrForbidden, quotes.ErrCompanyRequired, quotes.ErrTooManyLines, quotes.ErrInvalidLine}
		if !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
