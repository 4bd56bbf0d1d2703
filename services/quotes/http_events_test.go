package quotes_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	quotesevents "github.com/charterhq/charter/gen/events/quotes"
	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/services/quotes"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/quotes"
)

// TestEventTypesAreTheContracts checks that the stories record the event
// types api/events/quotes.yaml declares, and no other.
func TestEventTypesAreTheContracts(t *testing.T) {
	got := []string{domain.EventSubmitted, domain.EventAccepted, domain.EventRejected, domain.EventExpired}
	if !slices.Equal(got, quotesevents.Types) {
		t.Errorf("the stories record %v, the contract declares %v", got, quotesevents.Types)
	}
}

// TestChangesRecordTheirEvents checks, through the API and the expiry job,
// that a change of a quote's state that succeeds records exactly its
// event, whose payload is the quote as the answer has it and passes the
// contract, and that a change refused records none.
func TestChangesRecordTheirEvents(t *testing.T) {
	const validity = 24 * time.Hour
	for _, store := range copiesStores {
		t.Run(store.name, func(t *testing.T) {
			ctx := context.Background()
			s := startSystem(t, append(store.opts(t), withValidity(validity))...)
			wiring, err := quotes.Wire(s.parts)
			if err != nil {
				t.Fatal(err)
			}
			seen := 0
			recorded := func() []outbox.Event {
				t.Helper()
				all, err := s.outbox.Unpublished(ctx, 1000)
				if err != nil {
					t.Fatal(err)
				}
				out := all[seen:]
				seen = len(all)
				return out
			}
			expectOne := func(eventType string, want api.Quote) {
				t.Helper()
				got := recorded()
				if len(got) != 1 {
					t.Fatalf("recorded %d events, want one %s", len(got), eventType)
				}
				e := got[0]
				if e.Type != eventType || e.Subject != strconv.FormatInt(want.Id, 10) {
					t.Errorf("recorded %s about %q, want %s about %d", e.Type, e.Subject, eventType, want.Id)
				}
				if err := quotesevents.Validate(e.Type, e.Data); err != nil {
					t.Errorf("the payload breaks the contract: %v", err)
				}
				wantJSON, _ := json.Marshal(want)
				var gotV, wantV any
				_ = json.Unmarshal(e.Data, &gotV)
				_ = json.Unmarshal(wantJSON, &wantV)
				if !reflect.DeepEqual(gotV, wantV) {
					t.Errorf("payload %s,\nwant %s", e.Data, wantJSON)
				}
			}
			expectNone := func(what string) {
				t.Helper()
				if got := recorded(); len(got) != 0 {
					t.Errorf("%s recorded %d events: %+v", what, len(got), got)
				}
			}
			refused := func(what, method, path string, c access.Caller, status int) {
				t.Helper()
				res, body := s.do(t, method, path, s.token(t, c), "", "")
				if res.StatusCode != status {
					t.Fatalf("%s: status %d, want %d: %s", what, res.StatusCode, status, body)
				}
				expectNone(what)
			}
			steel := s.catalogue.steel

			accepted := s.draft(t, bob, line(steel, 1, 1000, 1000))
			expectNone("creating a draft")
			submitted := s.submit(t, bob, accepted.Id)
			expectOne(quotesevents.QuoteSubmitted, submitted)
			refused("a second submission", "POST", idPath(accepted.Id)+"/submit", bob, http.StatusConflict)
			refused("an acceptance by the company", "POST", idPath(accepted.Id)+"/accept", bob, http.StatusForbidden)

			res, err := s.client.AcceptQuoteWithResponse(ctx, accepted.Id, nil, s.as(t, ada))
			if err != nil || res.JSON200 == nil {
				t.Fatalf("accept: %v %v", err, res.Status())
			}
			expectOne(quotesevents.QuoteAccepted, *res.JSON200)
			refused("a rejection of an accepted quote", "POST", idPath(accepted.Id)+"/reject", ada, http.StatusConflict)

			rejected := s.submit(t, bob, s.draft(t, bob, line(steel, 1, 100, 100)).Id)
			recorded()
			rej, err := s.client.RejectQuoteWithResponse(ctx, rejected.Id, nil, s.as(t, ada))
			if err != nil || rej.JSON200 == nil {
				t.Fatalf("reject: %v %v", err, rej.Status())
			}
			expectOne(quotesevents.QuoteRejected, *rej.JSON200)

			// A submission refused because materials cannot price a
			// material quotes has no copy of.
			s.materials.answer(failing)
			refused("a submission with materials down", "POST", idPath(s.draft(t, bob, line(steel, 1, 100, 100)).Id)+"/submit", bob,
				http.StatusServiceUnavailable)
			s.materials.restore()

			lapsing := s.submit(t, bob, s.draft(t, bob, line(steel, 2, 100, 100)).Id)
			recorded()
			s.clock.Advance(validity + time.Second)
			refused("an acceptance of a lapsed quote", "POST", idPath(lapsing.Id)+"/accept", ada, http.StatusConflict)
			if n, err := wiring.Expire.Run(ctx, jobCaller, domain.ExpireInput{}); err != nil || n != 1 {
				t.Fatalf("expire: %d, %v; want 1", n, err)
			}
			expectOne(quotesevents.QuoteExpired, s.get(t, bob, lapsing.Id))
			if n, err := wiring.Expire.Run(ctx, jobCaller, domain.ExpireInput{}); err != nil || n != 0 {
				t.Fatalf("expire again: %d, %v; want 0", n, err)
			}
			expectNone("a second expiry run")
		})
	}
}
