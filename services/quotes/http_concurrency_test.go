package quotes_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	api "github.com/charterhq/charter/gen/quotes"
)

// TestConcurrentLineReplacementsWithIfMatch has two clients read the same
// draft and replace its lines with the ETag they read, at once: exactly
// one wins and the other is told 412; a stale tag deletes nothing.
func TestConcurrentLineReplacementsWithIfMatch(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	as := f.as(t, bob)
	id := f.quotes[ownDraft]
	for round := range 10 {
		got, err := f.client.GetQuoteWithResponse(ctx, id, nil, as)
		if err != nil || got.StatusCode() != http.StatusOK || got.Headers200 == nil || got.Headers200.ETag == nil {
			t.Fatalf("get: %v %v", err, got.Status())
		}
		etag := *got.Headers200.ETag
		statuses := make([]int, 2)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Go(func() {
				res, err := f.client.ReplaceQuoteLinesWithBodyWithResponse(ctx, id, &api.ReplaceQuoteLinesParams{IfMatch: &etag},
					"application/json", strings.NewReader(validLines), as)
				if err != nil {
					t.Error(err)
					return
				}
				statuses[i] = res.StatusCode()
			})
		}
		wg.Wait()
		ok, stale := 0, 0
		for _, s := range statuses {
			switch s {
			case http.StatusOK:
				ok++
			case http.StatusPreconditionFailed:
				stale++
			}
		}
		if ok != 1 || stale != 1 {
			t.Fatalf("round %d: statuses %v, want one 200 and one 412", round, statuses)
		}
	}

	got, err := f.client.GetQuoteWithResponse(ctx, id, nil, as)
	if err != nil || got.Headers200 == nil || got.Headers200.ETag == nil {
		t.Fatalf("get: %v", err)
	}
	current := *got.Headers200.ETag
	notModified, err := f.client.GetQuoteWithResponse(ctx, id, &api.GetQuoteParams{IfNoneMatch: &current}, as)
	if err != nil || notModified.StatusCode() != http.StatusNotModified {
		t.Fatalf("If-None-Match with the current tag: %v %v", err, notModified.Status())
	}
	stale := `"1"`
	del, err := f.client.DeleteQuoteWithResponse(ctx, id, &api.DeleteQuoteParams{IfMatch: &stale}, as)
	if err != nil || del.StatusCode() != http.StatusPreconditionFailed {
		t.Fatalf("delete with a stale tag: %v %v", err, del.Status())
	}
	del, err = f.client.DeleteQuoteWithResponse(ctx, id, &api.DeleteQuoteParams{IfMatch: &current}, as)
	if err != nil || del.StatusCode() != http.StatusNoContent {
		t.Fatalf("delete with the current tag: %v %v", err, del.Status())
	}
}
