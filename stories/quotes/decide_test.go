package quotes_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// AcceptQuote and RejectQuote are one process with two outcomes, so they
// pass one table: decision is either story, built and run alike.
type decision struct {
	run      func(ctx context.Context, caller access.Caller, id int64) (quotes.Quote, error)
	failures []error
	describe story.Description
}

// decisionDeps are the parts both stories take.
type decisionDeps struct {
	FilterOnPermissions func(access.Caller, quotes.Filter) (quotes.Filter, error)
	Get                 func(context.Context, int64) (quotes.Quote, error)
	Decide              func(ctx context.Context, id int64, to quotes.State, at time.Time) (quotes.Quote, error)
	Events              story.Events
	Now                 func() time.Time
}

// newDecision builds one of the two stories.
type newDecision func(t *testing.T, deps decisionDeps) decision

// testDecision runs the table of a decision to, whose story's name is
// name and whose last step is verb.
func testDecision(t *testing.T, name string, to quotes.State, verb string, build newDecision) {
	wired := func(t *testing.T, repo *memory.Quotes, injector string) decision {
		return build(t, decisionDeps{FilterOnPermissions: filters[injector], Get: repo.Get, Decide: repo.Decide, Events: memory.NewOutbox(), Now: clock})
	}
	seen := reasons{}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		id       int64
		want     error
	}{
		{"staff decide on a submitted quote of any company", "staff", staff, 6, nil},
		{"staff decide on a quote valid for days yet", "staff", staff, 3, nil},
		{"a quote is still valid at the instant it is valid until", "staff", staff, 10, nil},
		{"a quote past its validity, not yet marked expired, is expired", "staff", staff, 4, quotes.ErrExpired},
		{"a quote marked expired is expired", "staff", staff, 9, quotes.ErrExpired},
		{"a draft is not submitted", "staff", staff, 1, quotes.ErrNotSubmitted},
		{"an accepted quote is decided already", "staff", staff, 7, quotes.ErrNotSubmitted},
		{"a rejected quote is decided already", "staff", staff, 8, quotes.ErrNotSubmitted},
		{"a missing quote is not found", "staff", staff, 99, quotes.ErrNotFound},
		{"an external caller may not decide on its own company's quote", "external", acme, 3, quotes.ErrForbidden},
		{"an external caller is refused before anything is looked up", "external", acme, 99, quotes.ErrForbidden},
		{"an external caller is refused by the staff story too", "staff", globex, 6, quotes.ErrForbidden},
		{"a caller with no role is forbidden", "staff", nobody, 3, quotes.ErrForbidden},
		{"an external caller without a company is forbidden", "external", homeless, 3, quotes.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			// 10: an Acme quote valid until the very instant of the clock.
			edge := quotes.Quote{CompanyID: 1, State: quotes.Submitted, Lines: []quotes.Line{priced(line(1, 1, 10, 10), 0, "EUR")},
				Total: &quotes.Money{Currency: "EUR"}, ValidUntil: at(now), SubmittedAt: at(now.Add(-time.Hour)), CreatedAt: now, UpdatedAt: now}
			if _, err := repo.Create(context.Background(), edge); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, repo)
			q, err := wired(t, repo, tc.injector).run(context.Background(), tc.caller, tc.id)
			seen.check(t, err, tc.want)
			if tc.want != nil {
				unchanged(t, repo, before)
				return
			}
			want := before[tc.id]
			want.State, want.DecidedAt, want.UpdatedAt, want.Version = to, at(now), now, want.Version+1
			if !sameQuote(q, want) {
				t.Errorf("returned %s,\nwant %s", show(q), show(want))
			}
			if got := get(t, repo, tc.id); !sameQuote(got, want) {
				t.Errorf("stored %s,\nwant %s", show(got), show(want))
			}
		})
	}

	for _, race := range []struct {
		name  string
		other func(repo *memory.Quotes, id int64) error
	}{
		{"a quote decided by another request meanwhile is not decided twice", func(repo *memory.Quotes, id int64) error {
			_, err := repo.Decide(context.Background(), id, quotes.Rejected, now)
			return err
		}},
		{"a quote the expiry job expired meanwhile is not decided", func(repo *memory.Quotes, _ int64) error {
			_, err := repo.Expire(context.Background(), now.AddDate(1, 0, 0))
			return err
		}},
	} {
		t.Run(race.name, func(t *testing.T) {
			repo := seeded(t)
			d := build(t, decisionDeps{
				FilterOnPermissions: quotes.StaffAccess,
				Get:                 repo.Get,
				Decide: func(ctx context.Context, id int64, to quotes.State, at time.Time) (quotes.Quote, error) {
					if err := race.other(repo, id); err != nil {
						t.Fatal(err)
					}
					return repo.Decide(ctx, id, to, at)
				},
				Events: memory.NewOutbox(),
				Now:    clock,
			})
			_, err := d.run(context.Background(), staff, 3)
			seen.check(t, err, quotes.ErrNotSubmitted)
			if f := asFailed(t, err); f.Step != verb {
				t.Errorf("failed at %q, want %q", f.Step, verb)
			}
		})
	}

	t.Run("a submitted quote without a validity is an internal error", func(t *testing.T) {
		repo := memory.NewQuotes()
		if _, err := repo.Create(context.Background(), quotes.Quote{CompanyID: 1, State: quotes.Submitted}); err != nil {
			t.Fatal(err)
		}
		_, err := wired(t, repo, "staff").run(context.Background(), staff, 1)
		internal(t, err, "check quote is still valid")
	})

	seen.all(t, wired(t, memory.NewQuotes(), "staff").failures)

	t.Run("it refuses all but staff first, then finds the quote and checks it", func(t *testing.T) {
		d := wired(t, memory.NewQuotes(), "staff").describe
		if d.Name != name {
			t.Errorf("named %q, want %q", d.Name, name)
		}
		got := strings.Join(steps(d), ", ")
		if want := "allow only staff to decide, FindQuote, check quote is submitted, check quote is still valid, " + verb +
			", record quote " + string(to); got != want {
			t.Errorf("steps %s, want %s", got, want)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := wired(t, memory.NewQuotes(), "staff").failures
		if want := []error{quotes.ErrForbidden, quotes.ErrNotFound, quotes.ErrNotSubmitted, quotes.ErrExpired}; !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
