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

func getQuote(t *testing.T, repo *memory.Quotes, injector string) *quotes.GetQuote {
	t.Helper()
	g, err := quotes.NewGetQuote(quotes.GetQuoteDeps{
		FilterOnPermissions: filters[injector],
		Get:                 repo.Get,
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGetQuote(t *testing.T) {
	repo := seeded(t)
	seen := reasons{}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		id       int64
		want     error
	}{
		{"staff get any company's quote", "staff", staff, 5, nil},
		{"an external caller gets its company's draft with its lines", "external", acme, 1, nil},
		{"an external caller gets its company's submitted quote", "external", globex, 6, nil},
		{"a final quote can still be read", "external", acme, 9, nil},
		{"another company's quote is not found, not forbidden", "external", acme, 5, quotes.ErrNotFound},
		{"a missing quote is not found for staff", "staff", staff, 99, quotes.ErrNotFound},
		{"a missing quote is not found for an external caller", "external", acme, 99, quotes.ErrNotFound},
		{"a caller with no role is forbidden", "staff", nobody, 1, quotes.ErrForbidden},
		{"a caller with no role is forbidden before anything is looked up", "external", nobody, 99, quotes.ErrForbidden},
		{"an external caller without a company is forbidden", "external", homeless, 1, quotes.ErrForbidden},
		{"an external caller is forbidden the staff story", "staff", globex, 5, quotes.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := getQuote(t, repo, tc.injector).Run(context.Background(), tc.caller, quotes.GetInput{ID: tc.id})
			seen.check(t, err, tc.want)
			if tc.want != nil {
				return
			}
			if want := get(t, repo, tc.id); !sameQuote(q, want) {
				t.Errorf("got %s, want %s", show(q), show(want))
			}
		})
	}
	seen.all(t, getQuote(t, repo, "staff").Failures())

	t.Run("a failing repository is internal", func(t *testing.T) {
		g, err := quotes.NewGetQuote(quotes.GetQuoteDeps{
			FilterOnPermissions: quotes.StaffAccess,
			Get: func(context.Context, int64) (quotes.Quote, error) {
				return quotes.Quote{}, errors.New("disk full")
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = g.Run(context.Background(), staff, quotes.GetInput{ID: 1})
		internal(t, err, "FindQuote")
	})
}

func TestGetQuoteWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := quotes.NewGetQuote(quotes.GetQuoteDeps{FilterOnPermissions: quotes.StaffAccess})
		if err == nil {
			t.Fatal("NewGetQuote accepted a missing dependency")
		}
		if got, want := err.Error(), "story GetQuote: missing dependencies: Get"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("it finds the quote in reach, described as a substory", func(t *testing.T) {
		got := getQuote(t, memory.NewQuotes(), "staff").Describe().String()
		want := "GetQuote\n  FindQuote\n    check permissions\n    find quote\n    hide quotes out of reach\n"
		if !strings.HasPrefix(got, want) {
			t.Errorf("description\n%s\nwant it to start\n%s", got, want)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := getQuote(t, memory.NewQuotes(), "staff").Failures()
		if want := []error{quotes.ErrForbidden, quotes.ErrNotFound}; !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
