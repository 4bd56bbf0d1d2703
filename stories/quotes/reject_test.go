package quotes_test

import (
	"context"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
)

func rejectQuote(t *testing.T, deps decisionDeps) *quotes.RejectQuote {
	t.Helper()
	a, err := quotes.NewRejectQuote(quotes.RejectQuoteDeps(deps))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRejectQuote(t *testing.T) {
	testDecision(t, "RejectQuote", quotes.Rejected, "reject quote", func(t *testing.T, deps decisionDeps) decision {
		a := rejectQuote(t, deps)
		return decision{
			run: func(ctx context.Context, caller access.Caller, id int64) (quotes.Quote, error) {
				return a.Run(ctx, caller, quotes.RejectInput{ID: id})
			},
			failures: a.Failures(),
			describe: a.Describe(),
		}
	})
}

func TestRejectQuoteWiring(t *testing.T) {
	_, err := quotes.NewRejectQuote(quotes.RejectQuoteDeps{Get: memory.NewQuotes().Get})
	if err == nil {
		t.Fatal("NewRejectQuote accepted missing dependencies")
	}
	if got, want := err.Error(), "story RejectQuote: missing dependencies: FilterOnPermissions, Decide, Events, Now"; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}
