package quotes_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"sync"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/quotes"
	"github.com/charterhq/charter/stories/story"
)

// eventLog is a story.Events that keeps what it is given, data as it is.
type eventLog struct {
	mu     sync.Mutex
	events []story.Event
}

func (l *eventLog) Record(_ context.Context, events ...story.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, events...)
	return nil
}

// TestQuoteEvents checks that a change of state that succeeds records
// exactly its event, with the quote as the change left it, and one
// refused records none.
func TestQuoteEvents(t *testing.T) {
	type result struct {
		quotes []quotes.Quote
		err    error
	}
	one := func(q quotes.Quote, err error) result { return result{[]quotes.Quote{q}, err} }
	build := func(t *testing.T, repo *memory.Quotes, log story.Events) (submit *quotes.SubmitQuote, accept *quotes.AcceptQuote, reject *quotes.RejectQuote, expire *quotes.ExpireQuotes) {
		t.Helper()
		var err error
		submit, err = quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{FilterOnPermissions: quotes.CompanyAccess, Get: repo.Get,
			Copies: memory.NewMaterialCopies().Copies, Materials: (&materialsService{}).Materials, Submit: repo.Submit, Events: log, Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		accept, err = quotes.NewAcceptQuote(quotes.AcceptQuoteDeps{FilterOnPermissions: quotes.StaffAccess, Get: repo.Get, Decide: repo.Decide, Events: log, Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		reject, err = quotes.NewRejectQuote(quotes.RejectQuoteDeps{FilterOnPermissions: quotes.StaffAccess, Get: repo.Get, Decide: repo.Decide, Events: log, Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		expire, err = quotes.NewExpireQuotes(quotes.ExpireQuotesDeps{Expire: repo.Expire, Events: log, Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		run       func(repo *memory.Quotes, log story.Events) result
		eventType string // "": no event
	}{
		{"a submitted draft", func(repo *memory.Quotes, log story.Events) result {
			s, _, _, _ := build(t, repo, log)
			return one(s.Run(ctx, acme, quotes.SubmitInput{ID: 1}))
		}, quotes.EventSubmitted},
		{"an accepted quote", func(repo *memory.Quotes, log story.Events) result {
			_, a, _, _ := build(t, repo, log)
			return one(a.Run(ctx, staff, quotes.AcceptInput{ID: 3}))
		}, quotes.EventAccepted},
		{"a rejected quote", func(repo *memory.Quotes, log story.Events) result {
			_, _, r, _ := build(t, repo, log)
			return one(r.Run(ctx, staff, quotes.RejectInput{ID: 6}))
		}, quotes.EventRejected},
		{"the lapsed quotes", func(repo *memory.Quotes, log story.Events) result {
			_, _, _, e := build(t, repo, log)
			if _, err := e.Run(ctx, staff, quotes.ExpireInput{}); err != nil {
				return result{err: err}
			}
			q, err := repo.Get(ctx, 4) // the one seeded quote that lapsed
			return one(q, err)
		}, quotes.EventExpired},
		{"a submission of a quote submitted already", func(repo *memory.Quotes, log story.Events) result {
			s, _, _, _ := build(t, repo, log)
			return one(s.Run(ctx, acme, quotes.SubmitInput{ID: 3}))
		}, ""},
		{"a submission of a draft without lines", func(repo *memory.Quotes, log story.Events) result {
			s, _, _, _ := build(t, repo, log)
			return one(s.Run(ctx, acme, quotes.SubmitInput{ID: 2}))
		}, ""},
		{"a submission of another company's draft", func(repo *memory.Quotes, log story.Events) result {
			s, _, _, _ := build(t, repo, log)
			return one(s.Run(ctx, acme, quotes.SubmitInput{ID: 5}))
		}, ""},
		{"an acceptance of a lapsed quote", func(repo *memory.Quotes, log story.Events) result {
			_, a, _, _ := build(t, repo, log)
			return one(a.Run(ctx, staff, quotes.AcceptInput{ID: 4}))
		}, ""},
		{"a rejection of an accepted quote", func(repo *memory.Quotes, log story.Events) result {
			_, _, r, _ := build(t, repo, log)
			return one(r.Run(ctx, staff, quotes.RejectInput{ID: 7}))
		}, ""},
		{"an acceptance by an external caller", func(repo *memory.Quotes, log story.Events) result {
			_, a, _, _ := build(t, repo, log)
			return one(a.Run(ctx, acme, quotes.AcceptInput{ID: 3}))
		}, ""},
		{"an expiry by an external caller", func(repo *memory.Quotes, log story.Events) result {
			_, _, _, e := build(t, repo, log)
			_, err := e.Run(ctx, acme, quotes.ExpireInput{})
			return result{err: err}
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &eventLog{}
			res := tc.run(seeded(t), log)
			if tc.eventType == "" {
				if res.err == nil {
					t.Fatal("the change succeeded, want it refused")
				}
				if len(log.events) != 0 {
					t.Errorf("a refused change recorded %+v", log.events)
				}
				return
			}
			if res.err != nil {
				t.Fatal(res.err)
			}
			q := res.quotes[0]
			want := []story.Event{{Type: tc.eventType, Subject: itoa(q.ID), Data: q}}
			if !reflect.DeepEqual(log.events, want) {
				t.Errorf("recorded %+v,\nwant %+v", log.events, want)
			}
		})
	}

	t.Run("expiring again records nothing more", func(t *testing.T) {
		repo, log := seeded(t), &eventLog{}
		_, _, _, e := build(t, repo, log)
		for range 2 {
			if _, err := e.Run(ctx, staff, quotes.ExpireInput{}); err != nil {
				t.Fatal(err)
			}
		}
		if len(log.events) != 1 {
			t.Errorf("two runs recorded %d events, want the one lapsed quote's", len(log.events))
		}
	})
}

// TestSubmitQuoteWritesInItsOwnMiddleware checks that WritingIn wraps the
// submission and its event, and not the pricing: the materials service is
// asked before the write's transaction begins.
func TestSubmitQuoteWritesInItsOwnMiddleware(t *testing.T) {
	repo := seeded(t)
	var mu sync.Mutex
	var order []string
	note := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, s)
	}
	materials := func(ctx context.Context, ids []int64) (map[int64]quotes.PricedMaterial, error) {
		note("ask materials")
		return (&materialsService{}).Materials(ctx, ids)
	}
	events := story.Events(recordFunc(func(context.Context, ...story.Event) error { note("record"); return nil }))
	s, err := quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{FilterOnPermissions: quotes.CompanyAccess, Get: repo.Get,
		Copies: memory.NewMaterialCopies().Copies, Materials: materials, Submit: repo.Submit, Events: events, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	tx := func(name string) story.Middleware {
		return func(ctx context.Context, story string, next func(context.Context) error) error {
			note(name + " begins " + story)
			err := next(ctx)
			note(name + " ends")
			return err
		}
	}
	// With before and after WritingIn: each keeps the other, a later
	// With inside an earlier one.
	wired := s.With(tx("first")).WritingIn(tx("write")).With(tx("second"))
	if _, err := wired.Run(context.Background(), acme, quotes.SubmitInput{ID: 1}); err != nil {
		t.Fatal(err)
	}
	want := []string{"first begins SubmitQuote", "second begins SubmitQuote", "ask materials",
		"write begins WriteSubmission", "record", "write ends", "second ends", "first ends"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("ran %q,\nwant %q", order, want)
	}

	t.Run("an event that cannot be recorded fails the submission", func(t *testing.T) {
		broken := errors.New("outbox unavailable")
		repo := seeded(t)
		s, err := quotes.NewSubmitQuote(quotes.SubmitQuoteDeps{FilterOnPermissions: quotes.CompanyAccess, Get: repo.Get,
			Copies: memory.NewMaterialCopies().Copies, Materials: (&materialsService{}).Materials, Submit: repo.Submit,
			Events: recordFunc(func(context.Context, ...story.Event) error { return broken }), Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Run(context.Background(), acme, quotes.SubmitInput{ID: 1})
		if !errors.Is(err, broken) || !asFailed(t, err).Internal() {
			t.Errorf("err = %v, want an internal failure wrapping %v", err, broken)
		}
	})
}

// recordFunc is a story.Events of one function.
type recordFunc func(context.Context, ...story.Event) error

func (f recordFunc) Record(ctx context.Context, events ...story.Event) error {
	return f(ctx, events...)
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
