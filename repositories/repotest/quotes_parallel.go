package repotest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/quotes"
)

func quoteParallelCreates(t *testing.T, r quotes.Repository) {
	const n = 40
	var wg sync.WaitGroup
	got := make([]int64, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			q, err := r.Create(context.Background(), draftQuote(int64(1+i%3), quoteLine(int64(i), 1, 1, 1), quoteLine(int64(i), 2, 2, 2)))
			got[i], errs[i] = q.ID, err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	sorted := slices.Sorted(slices.Values(got))
	if len(slices.Compact(slices.Clone(sorted))) != n || sorted[0] < 1 {
		t.Errorf("ids = %v, want %d unique positive ids", sorted, n)
	}
	for i, id := range got {
		if lines := mustGetQuote(t, r, id).Lines; len(lines) != 2 || lines[0].MaterialID != int64(i) {
			t.Errorf("quote %d has lines %v, want the two it was created with", id, lines)
		}
	}
}

// raceQuotes runs n calls of fn at once and returns their errors.
func raceQuotes(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// oneQuoteCallWins fails unless exactly one of errs is nil and every
// other is lost; it returns the winner's index.
func oneQuoteCallWins(t *testing.T, errs []error, lost error) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Errorf("calls %d and %d both won", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, lost):
			t.Errorf("call %d: error = %v, want nil or %v", i, err, lost)
		}
	}
	if winner < 0 {
		t.Fatalf("no call won: %v", errs)
	}
	return winner
}

func quoteParallelDecisions(t *testing.T, r quotes.Repository) {
	q := mustCreateQuote(t, r, submittedQuote(1, quotes.Submitted, quoteEpoch.Add(time.Hour)))
	decisions := []quotes.State{quotes.Accepted, quotes.Rejected}
	errs := raceQuotes(20, func(i int) error {
		_, err := r.Decide(context.Background(), q.ID, decisions[i%2], quoteEpoch.Add(time.Duration(i)*time.Second))
		return err
	})
	winner := oneQuoteCallWins(t, errs, quotes.ErrNotSubmitted)
	got := mustGetQuote(t, r, q.ID)
	if got.State != decisions[winner%2] || got.Version != 2 || !got.DecidedAt.Equal(quoteEpoch.Add(time.Duration(winner)*time.Second)) {
		t.Errorf("after the race the quote is %s, want the winner's decision (%d) at version 2", showQuote(got), winner)
	}
}

func quoteParallelSubmissions(t *testing.T, r quotes.Repository) {
	lines := []quotes.Line{quoteLine(1, 1, 10, 10), quoteLine(2, 2, 20, 20)}
	d := mustCreateQuote(t, r, draftQuote(1, lines...))
	errs := raceQuotes(20, func(i int) error {
		_, err := r.Submit(context.Background(), d.ID, 1, quoteSubmission(lines, quoteEpoch.Add(time.Duration(i)*time.Second)))
		return err
	})
	winner := oneQuoteCallWins(t, errs, quotes.ErrNotDraft)
	got := mustGetQuote(t, r, d.ID)
	want := quoteSubmission(lines, quoteEpoch.Add(time.Duration(winner)*time.Second))
	if got.State != quotes.Submitted || got.Version != 2 || !slices.Equal(got.Lines, want.Lines) || !got.SubmittedAt.Equal(want.At) {
		t.Errorf("after the race the quote is %s, want the winner's submission (%d)", showQuote(got), winner)
	}
}

func quoteParallelDeletes(t *testing.T, r quotes.Repository) {
	d := mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 10, 10)))
	oneQuoteCallWins(t, raceQuotes(10, func(int) error { return r.Delete(context.Background(), d.ID, 0) }), quotes.ErrNotFound)
	if _, err := r.Get(context.Background(), d.ID); !errors.Is(err, quotes.ErrNotFound) {
		t.Errorf("Get after the deletes: error = %v, want ErrNotFound", err)
	}
}

func quoteParallelReplacements(t *testing.T, r quotes.Repository) {
	const n = 12
	d := mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 1, 1)))
	// Each set has its own size and material, so that a mix of two shows.
	set := func(i int) []quotes.Line {
		var lines []quotes.Line
		for j := range i%4 + 1 {
			lines = append(lines, quoteLine(int64(100+i), int32(j+1), 10, 10))
		}
		return lines
	}
	// Submissions race too; those that find the draft changed, or gone
	// from draft, lose.
	errs := raceQuotes(2*n, func(i int) error {
		if i%2 == 1 {
			_, err := r.Submit(context.Background(), d.ID, int64(i/2+1), quoteSubmission(set(i/2), quoteEpoch))
			if errors.Is(err, quotes.ErrChanged) || errors.Is(err, quotes.ErrNotDraft) {
				return nil
			}
			return err
		}
		_, err := r.ReplaceLines(context.Background(), d.ID, 0, set(i/2), quoteEpoch.Add(time.Duration(i)*time.Second))
		if errors.Is(err, quotes.ErrNotDraft) {
			return nil // a submission came first
		}
		return err
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got := mustGetQuote(t, r, d.ID)
	whole := false
	for i := range n {
		want := set(i)
		if got.State == quotes.Submitted {
			want = quoteSubmission(want, quoteEpoch).Lines
		}
		whole = whole || slices.Equal(got.Lines, want)
	}
	if !whole {
		t.Errorf("after the race the lines are %v, not one whole set", got.Lines)
	}
}

func quoteParallelExpiry(t *testing.T, r quotes.Repository) {
	const lapsed = 30
	now := quoteEpoch.Add(24 * time.Hour)
	for i := range lapsed {
		mustCreateQuote(t, r, submittedQuote(int64(1+i%2), quotes.Submitted, now.Add(-time.Duration(i+1)*time.Minute)))
	}
	mustCreateQuote(t, r, submittedQuote(1, quotes.Submitted, now.Add(time.Minute)))
	moved := make([][]quotes.Quote, 6)
	errs := raceQuotes(len(moved), func(i int) error {
		var err error
		moved[i], err = r.Expire(context.Background(), now)
		return err
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	// Each lapsed quote is returned by exactly one run.
	counts, seen := make([]int, len(moved)), map[int64]int{}
	for i, qs := range moved {
		counts[i] = len(qs)
		for _, q := range qs {
			seen[q.ID]++
		}
	}
	if len(seen) != lapsed {
		t.Errorf("the runs expired %v, %d quotes in all; want %d", counts, len(seen), lapsed)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("quote %d was returned by %d runs, want one", id, n)
		}
	}
	if n, err := r.Count(context.Background(), quotes.Filter{State: quotes.Expired}); err != nil || n != lapsed {
		t.Errorf("Count(expired) = %d, %v; want %d", n, err, lapsed)
	}
}
