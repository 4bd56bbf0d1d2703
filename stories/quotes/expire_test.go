package quotes_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
)

func expireQuotes(t *testing.T, repo *memory.Quotes) *quotes.ExpireQuotes {
	t.Helper()
	e, err := quotes.NewExpireQuotes(quotes.ExpireQuotesDeps{Expire: repo.Expire, Events: memory.NewOutbox(), Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// submittedUntil stores an Acme quote submitted and valid until until.
func submittedUntil(t *testing.T, repo *memory.Quotes, until time.Time) int64 {
	t.Helper()
	q, err := repo.Create(context.Background(), quotes.Quote{
		CompanyID: 1, State: quotes.Submitted, Lines: []quotes.Line{priced(line(1, 1, 10, 10), 0, "EUR")},
		Total: &quotes.Money{Currency: "EUR"}, ValidUntil: &until, SubmittedAt: at(until.Add(-time.Hour)),
		CreatedAt: until, UpdatedAt: until,
	})
	if err != nil {
		t.Fatal(err)
	}
	return q.ID
}

func TestExpireQuotes(t *testing.T) {
	seen := reasons{}

	t.Run("every submitted quote past its validity expires, and nothing else changes", func(t *testing.T) {
		repo := seeded(t)
		lapsed := submittedUntil(t, repo, now.Add(-time.Nanosecond))
		edge := submittedUntil(t, repo, now)
		before := snapshot(t, repo)
		n, err := expireQuotes(t, repo).Run(context.Background(), staff, quotes.ExpireInput{})
		seen.check(t, err, nil)
		if n != 2 {
			t.Errorf("expired %d quotes, want 2 (4 and %d)", n, lapsed)
		}
		for _, id := range []int64{4, lapsed} {
			want := before[id]
			want.State, want.UpdatedAt, want.Version = quotes.Expired, now, want.Version+1
			if got := get(t, repo, id); !sameQuote(got, want) {
				t.Errorf("quote %d is %s,\nwant %s", id, show(got), show(want))
			}
			delete(before, id)
		}
		if got := get(t, repo, edge).State; got != quotes.Submitted {
			t.Errorf("a quote valid until now is %s, want still submitted", got)
		}
		after := snapshot(t, repo)
		for id, q := range before {
			if !sameQuote(after[id], q) {
				t.Errorf("quote %d changed", id)
			}
		}
	})

	t.Run("running it again expires nothing more", func(t *testing.T) {
		repo := seeded(t)
		e := expireQuotes(t, repo)
		if _, err := e.Run(context.Background(), staff, quotes.ExpireInput{}); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, repo)
		n, err := e.Run(context.Background(), staff, quotes.ExpireInput{})
		if err != nil || n != 0 {
			t.Errorf("second run expired %d, %v; want 0", n, err)
		}
		unchanged(t, repo, before)
	})

	t.Run("replicas running it at once expire each quote once", func(t *testing.T) {
		repo := memory.NewQuotes()
		const lapsed, replicas = 50, 4
		for i := range lapsed {
			submittedUntil(t, repo, now.Add(-time.Duration(i+1)*time.Minute))
		}
		e := expireQuotes(t, repo)
		counts := make([]int64, replicas)
		errs := make([]error, replicas)
		var wg sync.WaitGroup
		for i := range replicas {
			wg.Go(func() { counts[i], errs[i] = e.Run(context.Background(), staff, quotes.ExpireInput{}) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, c := range counts {
			sum += c
		}
		if sum != lapsed {
			t.Errorf("the replicas expired %v quotes, %d in all; want %d in all", counts, sum, lapsed)
		}
	})

	for _, tc := range []struct {
		name   string
		caller access.Caller
	}{
		{"an external caller may not run the job", acme},
		{"a caller with no role may not run the job", nobody},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			before := snapshot(t, repo)
			_, err := expireQuotes(t, repo).Run(context.Background(), tc.caller, quotes.ExpireInput{})
			seen.check(t, err, quotes.ErrForbidden)
			unchanged(t, repo, before)
		})
	}

	t.Run("a failing repository is internal", func(t *testing.T) {
		broken := errors.New("read-only file system")
		e, err := quotes.NewExpireQuotes(quotes.ExpireQuotesDeps{
			Expire: func(context.Context, time.Time) ([]quotes.Quote, error) { return nil, broken },
			Events: memory.NewOutbox(),
			Now:    clock,
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Run(context.Background(), staff, quotes.ExpireInput{})
		internal(t, err, "expire lapsed quotes")
		if !errors.Is(err, broken) {
			t.Errorf("err = %v, want it to wrap %v", err, broken)
		}
	})

	seen.all(t, expireQuotes(t, memory.NewQuotes()).Failures())
}

func TestExpireQuotesWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := quotes.NewExpireQuotes(quotes.ExpireQuotesDeps{Now: clock})
		if err == nil {
			t.Fatal("NewExpireQuotes accepted a missing dependency")
		}
		if got, want := err.Error(), "story ExpireQuotes: missing dependencies: Expire, Events"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("it describes its steps in order", func(t *testing.T) {
		got := strings.Join(steps(expireQuotes(t, memory.NewQuotes()).Describe()), ", ")
		if want := "allow only staff to expire, expire lapsed quotes, record quotes expired"; got != want {
			t.Errorf("steps %s, want %s", got, want)
		}
	})
}
