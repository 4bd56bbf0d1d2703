package quotes_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
)

func deleteQuote(t *testing.T, repo *memory.Quotes, injector string) *quotes.DeleteQuote {
	t.Helper()
	d, err := quotes.NewDeleteQuote(quotes.DeleteQuoteDeps{
		FilterOnPermissions: filters[injector],
		Get:                 repo.Get,
		Delete:              repo.Delete,
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeleteQuote(t *testing.T) {
	seen := reasons{}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		id       int64
		want     error
	}{
		{"an external caller deletes its company's draft", "external", acme, 1, nil},
		{"a draft without lines is deleted too", "external", acme, 2, nil},
		{"staff delete any company's draft", "staff", staff, 5, nil},
		{"a submitted quote stays", "external", acme, 3, quotes.ErrNotDraft},
		{"a rejected quote stays", "staff", staff, 8, quotes.ErrNotDraft},
		{"another company's draft is not found, not forbidden", "external", globex, 1, quotes.ErrNotFound},
		{"another company's submitted quote is not found either", "external", globex, 3, quotes.ErrNotFound},
		{"a missing quote is not found", "staff", staff, 99, quotes.ErrNotFound},
		{"a caller with no role is forbidden", "staff", nobody, 1, quotes.ErrForbidden},
		{"a caller with no role is forbidden by the external story too", "external", nobody, 1, quotes.ErrForbidden},
		{"an external caller without a company is forbidden", "external", homeless, 1, quotes.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := seeded(t)
			before := snapshot(t, repo)
			q, err := deleteQuote(t, repo, tc.injector).Run(context.Background(), tc.caller, quotes.DeleteInput{ID: tc.id})
			seen.check(t, err, tc.want)
			if tc.want != nil {
				unchanged(t, repo, before)
				return
			}
			if !sameQuote(q, before[tc.id]) {
				t.Errorf("returned %s, want the quote as it was, %s", show(q), show(before[tc.id]))
			}
			if _, err := repo.Get(context.Background(), tc.id); !errors.Is(err, quotes.ErrNotFound) {
				t.Errorf("after the delete, Get returned %v, want ErrNotFound", err)
			}
			delete(before, tc.id)
			unchanged(t, repo, before)
		})
	}

	t.Run("a second delete of one draft is not found", func(t *testing.T) {
		d := deleteQuote(t, seeded(t), "external")
		if _, err := d.Run(context.Background(), acme, quotes.DeleteInput{ID: 2}); err != nil {
			t.Fatal(err)
		}
		_, err := d.Run(context.Background(), acme, quotes.DeleteInput{ID: 2})
		seen.check(t, err, quotes.ErrNotFound)
	})

	for _, race := range []struct {
		name  string
		other func(*memory.Quotes, int64) error
		want  error
	}{
		{"a draft deleted after it was found is not found", func(repo *memory.Quotes, id int64) error {
			return repo.Delete(context.Background(), id, 0)
		}, quotes.ErrNotFound},
		{"a draft submitted after it was found is not deleted", func(repo *memory.Quotes, id int64) error {
			_, err := repo.Submit(context.Background(), id, 1, quotes.Submission{Total: eur(0), ValidUntil: now, At: now})
			return err
		}, quotes.ErrNotDraft},
	} {
		t.Run(race.name, func(t *testing.T) {
			repo := seeded(t)
			d, err := quotes.NewDeleteQuote(quotes.DeleteQuoteDeps{
				FilterOnPermissions: quotes.StaffAccess,
				Get:                 repo.Get,
				Delete: func(ctx context.Context, id, version int64) error {
					if err := race.other(repo, id); err != nil {
						t.Fatal(err)
					}
					return repo.Delete(ctx, id, version)
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = d.Run(context.Background(), staff, quotes.DeleteInput{ID: 1})
			seen.check(t, err, race.want)
			if f := asFailed(t, err); f.Step != "delete draft" {
				t.Errorf("failed at %q, want %q", f.Step, "delete draft")
			}
		})
	}

	t.Run("at a stale version it deletes nothing; at the version read it deletes", func(t *testing.T) {
		repo := seeded(t)
		d := deleteQuote(t, repo, "staff")
		read := get(t, repo, 1)
		_, err := d.Run(context.Background(), staff, quotes.DeleteInput{ID: 1, Version: read.Version + 1})
		seen.check(t, err, quotes.ErrVersionMismatch)
		get(t, repo, 1)
		_, err = d.Run(context.Background(), staff, quotes.DeleteInput{ID: 1, Version: read.Version})
		seen.check(t, err, nil)
	})

	seen.all(t, deleteQuote(t, memory.NewQuotes(), "staff").Failures())
}

func TestDeleteQuoteWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := quotes.NewDeleteQuote(quotes.DeleteQuoteDeps{})
		if err == nil {
			t.Fatal("NewDeleteQuote accepted missing dependencies")
		}
		if got, want := err.Error(), "story DeleteQuote: missing dependencies: FilterOnPermissions, Get, Delete"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("it finds the draft, checks it is one, then deletes it", func(t *testing.T) {
		got := strings.Join(steps(deleteQuote(t, memory.NewQuotes(), "staff").Describe()), ", ")
		if want := "FindQuote, check quote is a draft, delete draft"; got != want {
			t.Errorf("steps %s, want %s", got, want)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := deleteQuote(t, memory.NewQuotes(), "staff").Failures()
		if want := []error{quotes.ErrForbidden, quotes.ErrNotFound, quotes.ErrNotDraft, quotes.ErrVersionMismatch}; !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
