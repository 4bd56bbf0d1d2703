package check

import (
	"context"
	"math"

	"github.com/charterhq/charter/repositories/outbox"
)

// FromOutbox returns, for WithEvents, what store recorded since the
// previous call. It marks what it returns published, to read each event
// once however many the run records: give it an outbox no relay reads,
// such as the in-memory one of a test's service.
func FromOutbox(store outbox.Store) func() []RecordedEvent {
	return func() []RecordedEvent {
		ctx := context.Background()
		rows, err := store.Unpublished(ctx, math.MaxInt32)
		if err != nil || len(rows) == 0 {
			return nil
		}
		out := make([]RecordedEvent, len(rows))
		seqs := make([]int64, len(rows))
		for i, e := range rows {
			out[i] = RecordedEvent{Type: e.Type, Subject: e.Subject, Data: e.Data}
			seqs[i] = e.Seq
		}
		_ = store.MarkPublished(ctx, seqs, rows[len(rows)-1].Time)
		return out
	}
}
