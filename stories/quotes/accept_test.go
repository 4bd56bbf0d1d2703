package quotes_test

import (
	"context"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
)

func acceptQuote(t *testing.T, deps decisionDeps) *quotes.AcceptQuote {
	t.Helper()
	a, err := quotes.NewAcceptQuote(quotes.AcceptQuoteDeps(deps))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAcceptQuote(t *testing.T) {
	testDecision(t, "AcceptQuote", quotes.Accepted, "accept quote", func(t *testing.T, deps decisionDeps) decision {
		a := acceptQuote(t, deps)
		return decision{
			run: func(ctx context.Context, caller access.Caller, id int64) (quotes.Quote, error) {
				return a.Run(ctx, caller, quotes.AcceptInput{ID: id})
			},
			failures: a.Failures(),
			describe: a.Describe(),
		}
	})
}

func TestAcceptQuoteWiring(t *testing.T) {
	_, err := quotes.NewAcceptQuote(quotes.AcceptQuoteDeps{Get: memory.NewQuotes().Get})
	if err == nil {
		t.Fatal("NewAcceptQuote accepted missing dependencies")
	}
	if got, want := err.Error(), "story AcceptQuote: missing dependencies: FilterOnPermissions, Decide, Events, Now"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}
