package quotes_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/services/quotes"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/quotes"
)

// jobCaller is who the scheduled expiry runs as: the service's own
// identity, as service.go runs it.
var jobCaller = access.Caller{Subject: "service:quotes", Roles: []access.Role{access.Staff}}

// TestExpiry runs the expiry as the service wires it, over the service's
// repository and clock, on every store: a submitted quote past its
// validity is expired, and then can no longer be accepted or rejected;
// one still valid and a draft are left alone.
func TestExpiry(t *testing.T) {
	const validity = 7 * 24 * time.Hour
	for _, store := range stores {
		t.Run(store.name, func(t *testing.T) {
			ctx := context.Background()
			s := startSystem(t, store.open(t), withValidity(validity))
			wiring, err := quotes.Wire(s.parts)
			if err != nil {
				t.Fatal(err)
			}
			expire := func() int64 {
				t.Helper()
				n, err := wiring.Expire.Run(ctx, jobCaller, domain.ExpireInput{})
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			steel := s.catalogue.steel
			lapsing := s.submit(t, bob, s.draft(t, bob, line(steel, 1, 1000, 1000)).Id)
			if lapsing.ValidUntil == nil || !lapsing.ValidUntil.Equal(epoch.Add(validity)) {
				t.Fatalf("valid until %v, want the validity after submission, %v", lapsing.ValidUntil, epoch.Add(validity))
			}
			s.clock.Advance(time.Hour)
			fresh := s.submit(t, bob, s.draft(t, bob, line(steel, 2, 1000, 1000)).Id)
			draft := s.draft(t, bob, line(steel, 3, 1000, 1000))

			// At the very instant it is valid until, a quote is still valid.
			s.clock.Advance(validity - time.Hour)
			if n := expire(); n != 0 {
				t.Errorf("at the end of its validity, %d quotes expired, want 0", n)
			}
			s.clock.Advance(time.Second)
			if n := expire(); n != 1 {
				t.Errorf("past its validity, %d quotes expired, want 1", n)
			}
			if n := expire(); n != 0 {
				t.Errorf("running again expired %d more", n)
			}

			expired := s.get(t, bob, lapsing.Id)
			if expired.State != api.Expired || !expired.UpdatedAt.Equal(s.clock.Now()) {
				t.Errorf("expired %+v, want expired, updated at %v", expired, s.clock.Now())
			}
			if !reflect.DeepEqual(expired.Lines, lapsing.Lines) || !reflect.DeepEqual(expired.Total, lapsing.Total) {
				t.Errorf("expiring changed the prices: %+v, submitted %+v", expired, lapsing)
			}
			state := api.Expired
			list, err := s.client.ListQuotesWithResponse(ctx, &api.ListQuotesParams{State: &state}, s.as(t, ada))
			must(t, err)
			if list.StatusCode() != http.StatusOK || !reflect.DeepEqual(ids(list.JSON200.Items), []int64{lapsing.Id}) {
				t.Errorf("staff list of expired quotes: status %d: %s", list.StatusCode(), list.Body)
			}

			before := stored(t, s.repo)
			acc, err := s.client.AcceptQuoteWithResponse(ctx, lapsing.Id, nil, s.as(t, ada))
			must(t, err)
			rej, err := s.client.RejectQuoteWithResponse(ctx, lapsing.Id, nil, s.as(t, ada))
			must(t, err)
			for _, e := range []exchange{{"accept", acc.HTTPResponse, acc.Body}, {"reject", rej.HTTPResponse, rej.Body}} {
				p := assertProblem(t, e.res, e.body, http.StatusConflict)
				if want := "past its validity"; !strings.Contains(p.Detail, want) {
					t.Errorf("%s: detail %q, want it to say %q", e.what, p.Detail, want)
				}
			}
			assertUnchanged(t, s.repo, before)

			if got := s.get(t, bob, draft.Id); got.State != api.Draft {
				t.Errorf("the draft is %s, want still a draft", got.State)
			}
			accepted, err := s.client.AcceptQuoteWithResponse(ctx, fresh.Id, nil, s.as(t, ada))
			must(t, err)
			if accepted.StatusCode() != http.StatusOK || accepted.JSON200.State != api.Accepted {
				t.Errorf("accept the quote still valid: status %d: %s", accepted.StatusCode(), accepted.Body)
			}

			if _, err := wiring.Expire.Run(ctx, bob, domain.ExpireInput{}); !errors.Is(err, domain.ErrForbidden) {
				t.Errorf("the expiry run by an external caller: err %v, want ErrForbidden", err)
			}
		})
	}
}
