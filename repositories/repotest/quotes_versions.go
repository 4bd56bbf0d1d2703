package repotest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/charterhq/charter/stories/quotes"
)

// The version tests of the quotes suite: a line replacement or a delete
// that names a version happens only at that version, decided in the same
// step as the write.

func quoteReplaceLinesAtVersion(t *testing.T, r quotes.Repository) {
	d := mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 10, 10)))
	lines := []quotes.Line{quoteLine(2, 2, 20, 20)}
	got, err := r.ReplaceLines(context.Background(), d.ID, 1, lines, quoteEpoch)
	if err != nil {
		t.Fatalf("ReplaceLines at the current version: %v", err)
	}
	if got.Version != 2 {
		t.Errorf("Version = %d after one change, want 2", got.Version)
	}
	for _, stale := range []int64{1, 3, -1} {
		_, err := r.ReplaceLines(context.Background(), d.ID, stale, nil, quoteEpoch)
		if !errors.Is(err, quotes.ErrVersionMismatch) {
			t.Errorf("ReplaceLines at version %d of a draft at 2: error = %v, want ErrVersionMismatch", stale, err)
		}
	}
	if stored := mustGetQuote(t, r, d.ID); stored.Version != 2 || len(stored.Lines) != 1 {
		t.Errorf("after refused changes: version %d with %d lines, want 2 with 1", stored.Version, len(stored.Lines))
	}
	if _, err := r.ReplaceLines(context.Background(), 99, 1, nil, quoteEpoch); !errors.Is(err, quotes.ErrNotFound) {
		t.Errorf("ReplaceLines at a version of an unknown id: error = %v, want ErrNotFound", err)
	}
}

func quoteDeleteAtVersion(t *testing.T, r quotes.Repository) {
	d := mustCreateQuote(t, r, draftQuote(1, quoteLine(1, 1, 10, 10)))
	if err := r.Delete(context.Background(), d.ID, 2); !errors.Is(err, quotes.ErrVersionMismatch) {
		t.Errorf("Delete at a stale version: error = %v, want ErrVersionMismatch", err)
	}
	mustGetQuote(t, r, d.ID)
	if err := r.Delete(context.Background(), d.ID, 1); err != nil {
		t.Fatalf("Delete at the current version: %v", err)
	}
	if err := r.Delete(context.Background(), d.ID, 1); !errors.Is(err, quotes.ErrNotFound) {
		t.Errorf("Delete at a version of a deleted quote: error = %v, want ErrNotFound", err)
	}
}

// quoteParallelReplacementsAtOneVersion is the lost update: writers that
// read the same version each replace the lines; exactly one may succeed.
func quoteParallelReplacementsAtOneVersion(t *testing.T, r quotes.Repository) {
	d := mustCreateQuote(t, r, draftQuote(1))
	const n = 10
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			lines := []quotes.Line{quoteLine(int64(i+1), 1, 10, 10)}
			_, errs[i] = r.ReplaceLines(context.Background(), d.ID, d.Version, lines, quoteEpoch)
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, quotes.ErrVersionMismatch):
			t.Errorf("ReplaceLines error = %v, want nil or ErrVersionMismatch", err)
		}
	}
	if won != 1 {
		t.Errorf("%d replacements at one version succeeded, want 1", won)
	}
	if got := mustGetQuote(t, r, d.ID); got.Version != 2 {
		t.Errorf("Version = %d after one change, want 2", got.Version)
	}
}
