package quotes_test

import (
	"context"
	"errors"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// TestMiddleware checks that every story can be wrapped from the outside,
// as the services wrap them in logging and transactions, and that a
// wrapped story still runs.
func TestMiddleware(t *testing.T) {
	deciding := func(t *testing.T) decisionDeps {
		repo := seeded(t)
		return decisionDeps{FilterOnPermissions: quotes.StaffAccess, Get: repo.Get, Decide: repo.Decide, Events: memory.NewOutbox(), Now: clock}
	}
	for _, tc := range []struct {
		story string
		run   func(t *testing.T, mw story.Middleware) error
	}{
		{"ListQuotes", func(t *testing.T, mw story.Middleware) error {
			_, err := listQuotes(t, seeded(t), "staff").With(mw).Run(context.Background(), staff, quotes.ListInput{})
			return err
		}},
		{"GetQuote", func(t *testing.T, mw story.Middleware) error {
			_, err := getQuote(t, seeded(t), "external").With(mw).Run(context.Background(), acme, quotes.GetInput{ID: 1})
			return err
		}},
		{"CreateQuote", func(t *testing.T, mw story.Middleware) error {
			_, err := createQuote(t, seeded(t), "external").With(mw).Run(context.Background(), acme,
				quotes.CreateInput{Lines: []quotes.Line{line(1, 1, 10, 10)}})
			return err
		}},
		{"ReplaceLines", func(t *testing.T, mw story.Middleware) error {
			_, err := replaceLines(t, seeded(t), "external").With(mw).Run(context.Background(), acme,
				quotes.ReplaceLinesInput{ID: 1, Lines: []quotes.Line{line(2, 1, 10, 10)}})
			return err
		}},
		{"DeleteQuote", func(t *testing.T, mw story.Middleware) error {
			_, err := deleteQuote(t, seeded(t), "external").With(mw).Run(context.Background(), acme, quotes.DeleteInput{ID: 1})
			return err
		}},
		{"SubmitQuote", func(t *testing.T, mw story.Middleware) error {
			_, err := submitQuote(t, seeded(t), "external", &materialsService{}).With(mw).Run(context.Background(), acme, quotes.SubmitInput{ID: 1})
			return err
		}},
		{"AcceptQuote", func(t *testing.T, mw story.Middleware) error {
			_, err := acceptQuote(t, deciding(t)).With(mw).Run(context.Background(), staff, quotes.AcceptInput{ID: 3})
			return err
		}},
		{"RejectQuote", func(t *testing.T, mw story.Middleware) error {
			_, err := rejectQuote(t, deciding(t)).With(mw).Run(context.Background(), staff, quotes.RejectInput{ID: 3})
			return err
		}},
		{"ExpireQuotes", func(t *testing.T, mw story.Middleware) error {
			_, err := expireQuotes(t, seeded(t)).With(mw).Run(context.Background(), staff, quotes.ExpireInput{})
			return err
		}},
	} {
		t.Run(tc.story+" runs inside its middleware", func(t *testing.T) {
			var names []string
			err := tc.run(t, func(ctx context.Context, name string, next func(context.Context) error) error {
				names = append(names, name)
				return next(ctx)
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != 1 || names[0] != tc.story {
				t.Errorf("middleware saw %q, want [%s]", names, tc.story)
			}
		})

		t.Run(tc.story+" fails internally when its middleware does", func(t *testing.T) {
			rollback := errors.New("rolled back")
			err := tc.run(t, func(ctx context.Context, _ string, next func(context.Context) error) error {
				if err := next(ctx); err != nil {
					return err
				}
				return rollback
			})
			if !errors.Is(err, rollback) {
				t.Fatalf("err = %v, want %v", err, rollback)
			}
			if f := asFailed(t, err); !f.Internal() {
				t.Errorf("Reason = %v, want nil (internal)", f.Reason)
			}
		})
	}
}
