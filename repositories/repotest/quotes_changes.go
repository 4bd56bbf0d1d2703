package repotest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/quotes"
)

func quoteReplaceLines(t *testing.T, r quotes.Repository) {
	created := mustCreateQuote(t, r, draftQuote(3, quoteLine(1, 1, 10, 10), quoteLine(2, 2, 20, 20), quoteLine(3, 3, 30, 30)))
	other := mustCreateQuote(t, r, draftQuote(3, quoteLine(9, 9, 90, 90)))
	at := quoteEpoch.Add(time.Hour + time.Nanosecond)
	for i, lines := range [][]quotes.Line{
		{quoteLine(4, 4, 40, 40)},
		{quoteLine(5, 5, 50, 50), quoteLine(4, 4, 40, 40), quoteLine(6, 6, 60, 60), quoteLine(7, 7, 70, 70)},
		{},
		{quoteLine(8, 8, 80, 80)},
	} {
		got, err := r.ReplaceLines(context.Background(), created.ID, 0, lines, at)
		if err != nil {
			t.Fatalf("ReplaceLines: %v", err)
		}
		want := created
		want.Lines, want.UpdatedAt, want.Version = lines, at, int64(i+2)
		sameQuote(t, "ReplaceLines", got, want)
		sameQuote(t, "Get after ReplaceLines", mustGetQuote(t, r, created.ID), want)
		at = at.Add(time.Minute)
	}
	sameQuote(t, "another draft", mustGetQuote(t, r, other.ID), other)
}

// closedQuotes stores a quote in every state but draft and returns them.
func closedQuotes(t *testing.T, r quotes.Repository) []quotes.Quote {
	t.Helper()
	var out []quotes.Quote
	for _, state := range []quotes.State{quotes.Submitted, quotes.Accepted, quotes.Rejected, quotes.Expired} {
		out = append(out, mustCreateQuote(t, r, submittedQuote(1, state, quoteEpoch.Add(time.Hour))))
	}
	return out
}

func quoteReplaceLinesNotDraft(t *testing.T, r quotes.Repository) {
	for _, q := range closedQuotes(t, r) {
		_, err := r.ReplaceLines(context.Background(), q.ID, 0, []quotes.Line{quoteLine(1, 1, 1, 1)}, quoteEpoch.Add(time.Hour))
		if !errors.Is(err, quotes.ErrNotDraft) {
			t.Errorf("ReplaceLines of a quote %s: error = %v, want ErrNotDraft", q.State, err)
		}
		sameQuote(t, "a quote "+string(q.State)+" after a refused ReplaceLines", mustGetQuote(t, r, q.ID), q)
	}
}

func quoteReplaceLinesNotFound(t *testing.T, r quotes.Repository) {
	mustCreateQuote(t, r, draftQuote(1))
	if _, err := r.ReplaceLines(context.Background(), 2, 0, nil, quoteEpoch); !errors.Is(err, quotes.ErrNotFound) {
		t.Errorf("ReplaceLines(2) error = %v, want ErrNotFound", err)
	}
}

func quoteDelete(t *testing.T, r quotes.Repository) {
	a := mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 10, 10), quoteLine(2, 2, 20, 20)))
	b := mustCreateQuote(t, r, draftQuote(1, quoteLine(3, 3, 30, 30)))
	if err := r.Delete(context.Background(), a.ID, 0); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := r.Get(context.Background(), a.ID); !errors.Is(err, quotes.ErrNotFound) {
		t.Errorf("Get after Delete error = %v, want ErrNotFound", err)
	}
	if err := r.Delete(context.Background(), a.ID, 0); !errors.Is(err, quotes.ErrNotFound) {
		t.Errorf("second Delete error = %v, want ErrNotFound", err)
	}
	sameQuote(t, "the other draft", mustGetQuote(t, r, b.ID), b)
	page, err := r.Find(context.Background(), quotes.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 1 || !quotesEqual(page[0], b) {
		t.Errorf("Find after Delete = %v, want only the other draft", quoteIDs(page))
	}
}

func quoteDeleteNotDraft(t *testing.T, r quotes.Repository) {
	for _, q := range closedQuotes(t, r) {
		if err := r.Delete(context.Background(), q.ID, 0); !errors.Is(err, quotes.ErrNotDraft) {
			t.Errorf("Delete of a quote %s: error = %v, want ErrNotDraft", q.State, err)
		}
		sameQuote(t, "a quote "+string(q.State)+" after a refused Delete", mustGetQuote(t, r, q.ID), q)
	}
}

func quoteDeleteNotFound(t *testing.T, r quotes.Repository) {
	if err := r.Delete(context.Background(), 1, 0); !errors.Is(err, quotes.ErrNotFound) {
		t.Errorf("Delete on an empty repository error = %v, want ErrNotFound", err)
	}
}

func quoteIDsNotReused(t *testing.T, r quotes.Repository) {
	mustCreateQuote(t, r, draftQuote(1))
	b := mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 1, 1)))
	if err := r.Delete(context.Background(), b.ID, 0); err != nil {
		t.Fatal(err)
	}
	c := mustCreateQuote(t, r, draftQuote(1))
	if c.ID <= b.ID {
		t.Errorf("id after deleting the newest = %d, want > %d", c.ID, b.ID)
	}
	if got := mustGetQuote(t, r, c.ID).Lines; len(got) != 0 {
		t.Errorf("a new quote has lines %v: a deleted draft's lines stayed behind", got)
	}
}

// quoteSubmission prices lines at 100 a part, submitted at at.
func quoteSubmission(lines []quotes.Line, at time.Time) quotes.Submission {
	var priced []quotes.Line
	var total int64
	for _, l := range lines {
		l = pricedLine(l, fmt.Sprint("material ", l.MaterialID), 100)
		priced = append(priced, l)
		total += l.Total.Amount
	}
	return quotes.Submission{Lines: priced, Total: quoteEUR(total), ValidUntil: at.Add(30 * 24 * time.Hour), At: at}
}

func quoteSubmit(t *testing.T, r quotes.Repository) {
	lines := []quotes.Line{quoteLine(3, 2, 1000, 500), quoteLine(5, 1, 200, 300)}
	created := mustCreateQuote(t, r, draftQuote(4, lines...))
	other := mustCreateQuote(t, r, draftQuote(4, lines...))
	at := quoteEpoch.Add(2*time.Hour + time.Nanosecond)
	s := quoteSubmission(lines, at)
	got, err := r.Submit(context.Background(), created.ID, 1, s)
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	want := created
	want.State, want.Lines, want.Total, want.Version = quotes.Submitted, s.Lines, &s.Total, 2
	want.ValidUntil, want.SubmittedAt, want.UpdatedAt = &s.ValidUntil, &at, at
	sameQuote(t, "Submit", got, want)
	sameQuote(t, "Get after Submit", mustGetQuote(t, r, created.ID), want)
	sameQuote(t, "another draft", mustGetQuote(t, r, other.ID), other)
}

func quoteSubmitRefused(t *testing.T, r quotes.Repository) {
	lines := []quotes.Line{quoteLine(1, 1, 10, 10)}
	d := mustCreateQuote(t, r, draftQuote(1, lines...))
	replaced, err := r.ReplaceLines(context.Background(), d.ID, 0, []quotes.Line{quoteLine(2, 2, 20, 20)}, quoteEpoch.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, version := range []int64{1, 3, 0} {
		if _, err := r.Submit(context.Background(), d.ID, version, quoteSubmission(lines, quoteEpoch.Add(time.Hour))); !errors.Is(err, quotes.ErrChanged) {
			t.Errorf("Submit at version %d of a draft at version 2: error = %v, want ErrChanged", version, err)
		}
	}
	sameQuote(t, "a draft after refused submissions", mustGetQuote(t, r, d.ID), replaced)

	for _, q := range closedQuotes(t, r) {
		if _, err := r.Submit(context.Background(), q.ID, 1, quoteSubmission(lines, quoteEpoch.Add(time.Hour))); !errors.Is(err, quotes.ErrNotDraft) {
			t.Errorf("Submit of a quote %s: error = %v, want ErrNotDraft", q.State, err)
		}
		sameQuote(t, "a quote "+string(q.State)+" after a refused Submit", mustGetQuote(t, r, q.ID), q)
	}
	if _, err := r.Submit(context.Background(), 99, 1, quoteSubmission(lines, quoteEpoch)); !errors.Is(err, quotes.ErrNotFound) {
		t.Errorf("Submit(99) error = %v, want ErrNotFound", err)
	}
}

func quoteDecide(t *testing.T, r quotes.Repository) {
	for i, to := range []quotes.State{quotes.Accepted, quotes.Rejected} {
		q := mustCreateQuote(t, r, submittedQuote(2, quotes.Submitted, quoteEpoch.Add(time.Hour)))
		at := quoteEpoch.Add(time.Duration(i+1)*time.Minute + time.Nanosecond)
		got, err := r.Decide(context.Background(), q.ID, to, at)
		if err != nil {
			t.Fatalf("Decide %s: %v", to, err)
		}
		want := q
		want.State, want.DecidedAt, want.UpdatedAt, want.Version = to, &at, at, 2
		sameQuote(t, "Decide "+string(to), got, want)
		sameQuote(t, "Get after Decide "+string(to), mustGetQuote(t, r, q.ID), want)
	}
}

func quoteDecideRefused(t *testing.T, r quotes.Repository) {
	d := mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 1, 1)))
	stored := append(closedQuotes(t, r)[1:], d)
	for _, q := range stored {
		for _, to := range []quotes.State{quotes.Accepted, quotes.Rejected} {
			if _, err := r.Decide(context.Background(), q.ID, to, quoteEpoch); !errors.Is(err, quotes.ErrNotSubmitted) {
				t.Errorf("Decide %s of a quote %s: error = %v, want ErrNotSubmitted", to, q.State, err)
			}
		}
		sameQuote(t, "a quote "+string(q.State)+" after a refused Decide", mustGetQuote(t, r, q.ID), q)
	}
	if _, err := r.Decide(context.Background(), 99, quotes.Accepted, quoteEpoch); !errors.Is(err, quotes.ErrNotFound) {
		t.Errorf("Decide(99) error = %v, want ErrNotFound", err)
	}
	s := mustCreateQuote(t, r, submittedQuote(1, quotes.Submitted, quoteEpoch.Add(time.Hour)))
	for _, to := range []quotes.State{quotes.Draft, quotes.Submitted, quotes.Expired, "", "accepted; DROP TABLE quotes"} {
		if _, err := r.Decide(context.Background(), s.ID, to, quoteEpoch); err == nil {
			t.Errorf("Decide to %q succeeded", to)
		}
	}
	sameQuote(t, "a submitted quote after decisions to no decision", mustGetQuote(t, r, s.ID), s)
}

func quoteExpire(t *testing.T, r quotes.Repository) {
	now := quoteEpoch.Add(10 * 24 * time.Hour)
	lapsed := []quotes.Quote{
		mustCreateQuote(t, r, submittedQuote(1, quotes.Submitted, now.Add(-time.Nanosecond))),
		mustCreateQuote(t, r, submittedQuote(2, quotes.Submitted, now.Add(-365*24*time.Hour))),
	}
	kept := []quotes.Quote{
		mustCreateQuote(t, r, submittedQuote(1, quotes.Submitted, now)), // valid until this very instant
		mustCreateQuote(t, r, submittedQuote(1, quotes.Submitted, now.Add(time.Nanosecond))),
		mustCreateQuote(t, r, submittedQuote(1, quotes.Accepted, now.Add(-time.Hour))),
		mustCreateQuote(t, r, submittedQuote(2, quotes.Rejected, now.Add(-time.Hour))),
		mustCreateQuote(t, r, submittedQuote(2, quotes.Expired, now.Add(-time.Hour))),
		mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 1, 1))),
	}
	moved, err := r.Expire(context.Background(), now)
	if err != nil {
		t.Fatalf("Expire: %v", err)
	}
	if len(moved) != len(lapsed) {
		t.Fatalf("Expire moved %d quotes, want %d", len(moved), len(lapsed))
	}
	for i, q := range lapsed {
		want := q
		want.State, want.UpdatedAt, want.Version = quotes.Expired, now, 2
		sameQuote(t, "a lapsed quote as Expire returns it", moved[i], want)
		sameQuote(t, "a lapsed quote after Expire", mustGetQuote(t, r, q.ID), want)
	}
	for _, q := range kept {
		sameQuote(t, "a quote "+string(q.State)+" not lapsed after Expire", mustGetQuote(t, r, q.ID), q)
	}
	if again, err := r.Expire(context.Background(), now); err != nil || len(again) != 0 {
		t.Errorf("Expire again = %v, %v; want none", again, err)
	}
}
