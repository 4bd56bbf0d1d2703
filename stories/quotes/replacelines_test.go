package quotes_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
)

func replaceLines(t *testing.T, repo *memory.Quotes, injector string) *quotes.ReplaceLines {
	t.Helper()
	r, err := quotes.NewReplaceLines(quotes.ReplaceLinesDeps{
		FilterOnPermissions: filters[injector],
		Get:                 repo.Get,
		ReplaceLines:        repo.ReplaceLines,
		Now:                 clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReplaceLines(t *testing.T) {
	seen := reasons{}
	three := []quotes.Line{line(2, 5, 10, 20), line(1, 1, 30, 40), line(2, 7, 50, 60)}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		id       int64
		lines    []quotes.Line
		want     error
		stored   []quotes.Line
	}{
		{name: "an external caller replaces the lines of its company's draft", injector: "external", caller: acme, id: 1,
			lines: three, stored: three},
		{name: "a draft's lines can all be removed", injector: "external", caller: acme, id: 1,
			lines: nil, stored: []quotes.Line{}},
		{name: "a draft without lines gets some", injector: "external", caller: acme, id: 2,
			lines: three[:1], stored: three[:1]},
		{name: "staff replace the lines of any company's draft", injector: "staff", caller: staff, id: 5,
			lines: three, stored: three},
		{name: "prices given by the caller are dropped", injector: "external", caller: globex, id: 5,
			lines:  []quotes.Line{{MaterialID: 4, Quantity: 2, WidthMM: 3, HeightMM: 4, MaterialName: "x", UnitPrice: eur(1), Total: eur(2)}},
			stored: []quotes.Line{line(4, 2, 3, 4)}},
		{name: "a submitted quote does not change", injector: "external", caller: acme, id: 3, lines: three, want: quotes.ErrNotDraft},
		{name: "an accepted quote does not change", injector: "staff", caller: staff, id: 7, lines: three, want: quotes.ErrNotDraft},
		{name: "an expired quote does not change", injector: "external", caller: acme, id: 9, lines: three, want: quotes.ErrNotDraft},
		{name: "another company's draft is not found, not forbidden", injector: "external", caller: globex, id: 1, lines: three, want: quotes.ErrNotFound},
		{name: "a missing quote is not found", injector: "staff", caller: staff, id: 99, lines: three, want: quotes.ErrNotFound},
		{name: "a caller with no role is forbidden", injector: "staff", caller: nobody, id: 1, lines: three, want: quotes.ErrForbidden},
		{name: "a caller with no role is forbidden by the external story too", injector: "external", caller: nobody, id: 1, lines: three, want: quotes.ErrForbidden},
		{name: "an external caller without a company is forbidden", injector: "external", caller: homeless, id: 1, lines: three, want: quotes.ErrForbidden},
		{name: "a line out of range is refused, naming the line", injector: "external", caller: acme, id: 1,
			lines: []quotes.Line{line(1, 1, 10, 10), line(2, 1, 10, 0)}, want: quotes.ErrInvalidLine},
		{name: "more lines than a quote holds are refused", injector: "external", caller: acme, id: 1,
			lines: tooMany(), want: quotes.ErrTooManyLines},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			before := snapshot(t, repo)
			q, err := replaceLines(t, repo, tc.injector).Run(context.Background(), tc.caller,
				quotes.ReplaceLinesInput{ID: tc.id, Lines: tc.lines})
			seen.check(t, err, tc.want)
			if tc.want != nil {
				if tc.want == quotes.ErrInvalidLine {
					lineError(t, err, 1, quotes.ErrInvalidLine)
				}
				unchanged(t, repo, before)
				return
			}
			want := before[tc.id]
			want.Lines, want.UpdatedAt, want.Version = tc.stored, now, want.Version+1
			if !sameQuote(q, want) {
				t.Errorf("returned %s, want %s", show(q), show(want))
			}
			if got := get(t, repo, tc.id); !sameQuote(got, want) {
				t.Errorf("stored %s, want %s", show(got), show(want))
			}
			delete(before, tc.id)
			after := snapshot(t, repo)
			delete(after, tc.id)
			for id, q := range before {
				if !sameQuote(after[id], q) {
					t.Errorf("quote %d changed too", id)
				}
			}
		})
	}

	t.Run("a draft submitted after it was found does not change", func(t *testing.T) {
		repo := seeded(t)
		r, err := quotes.NewReplaceLines(quotes.ReplaceLinesDeps{
			FilterOnPermissions: quotes.CompanyAccess,
			Get:                 repo.Get,
			ReplaceLines: func(ctx context.Context, id, version int64, lines []quotes.Line, at time.Time) (quotes.Quote, error) {
				// The other request's submission lands between the two steps.
				if _, err := repo.Submit(ctx, id, 1, quotes.Submission{Total: eur(0), ValidUntil: now, At: now}); err != nil {
					t.Fatal(err)
				}
				return repo.ReplaceLines(ctx, id, version, lines, at)
			},
			Now: clock,
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Run(context.Background(), acme, quotes.ReplaceLinesInput{ID: 1, Lines: three})
		seen.check(t, err, quotes.ErrNotDraft)
		if f := asFailed(t, err); f.Step != "replace lines" {
			t.Errorf("failed at %q, want %q", f.Step, "replace lines")
		}
	})

	t.Run("at the version read it replaces; at a stale one it changes nothing", func(t *testing.T) {
		repo := seeded(t)
		r := replaceLines(t, repo, "external")
		read := get(t, repo, 1)
		first, err := r.Run(context.Background(), acme, quotes.ReplaceLinesInput{ID: 1, Lines: three, Version: read.Version})
		seen.check(t, err, nil)
		if first.Version != read.Version+1 {
			t.Errorf("version %d after a change of version %d", first.Version, read.Version)
		}
		_, err = r.Run(context.Background(), acme, quotes.ReplaceLinesInput{ID: 1, Lines: nil, Version: read.Version})
		seen.check(t, err, quotes.ErrVersionMismatch)
		if f := asFailed(t, err); f.Step != "replace lines" {
			t.Errorf("failed at %q, want %q", f.Step, "replace lines")
		}
		if got := get(t, repo, 1); got.Version != first.Version || len(got.Lines) != len(first.Lines) {
			t.Errorf("stored version %d with %d lines after a refused change, want %d with %d", got.Version, len(got.Lines), first.Version, len(first.Lines))
		}
	})

	seen.all(t, replaceLines(t, memory.NewQuotes(), "staff").Failures())
}

func TestReplaceLinesWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := quotes.NewReplaceLines(quotes.ReplaceLinesDeps{Get: memory.NewQuotes().Get})
		if err == nil {
			t.Fatal("NewReplaceLines accepted missing dependencies")
		}
		if got, want := err.Error(), "story ReplaceLines: missing dependencies: FilterOnPermissions, ReplaceLines, Now"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("it finds the draft, checks it and its new lines, then replaces them", func(t *testing.T) {
		got := strings.Join(steps(replaceLines(t, memory.NewQuotes(), "staff").Describe()), ", ")
		if want := "FindQuote, check quote is a draft, check lines, replace lines"; got != want {
			t.Errorf("steps %s, want %s", got, want)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := replaceLines(t, memory.NewQuotes(), "staff").Failures()
		want := []error{quotes.ErrForbidden, quotes.ErrNotFound, quotes.ErrNotDraft, quotes.ErrTooManyLines, quotes.ErrInvalidLine, quotes.ErrVersionMismatch}
		if !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
