package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/outbox"
)

// Inbox is the outbox.Inbox of a consuming service's database: the table
// inbox of its migrations, written in the transaction the handler's
// statements join.
type Inbox struct {
	db             *sqlx.DB
	now            func() time.Time
	insert, forget string
}

var _ outbox.Inbox = (*Inbox)(nil)

// NewInbox returns the inbox stored in db, whose service's migrations
// create the table inbox.
func NewInbox(db *sqlx.DB) *Inbox {
	if db == nil {
		panic("sqldb: NewInbox needs a database")
	}
	return &Inbox{
		db:  db,
		now: time.Now,
		insert: db.Rebind(`INSERT INTO inbox (consumer, event_id, handled_at) VALUES (?, ?, ?)
			ON CONFLICT (consumer, event_id) DO NOTHING`),
		forget: db.Rebind(`DELETE FROM inbox WHERE consumer = ? AND event_id = ?`),
	}
}

// Begin implements outbox.Inbox: a transaction of its own, never one ctx
// carries, since a batch commits by itself. On SQLite it takes the write
// lock at once (see sqliteParams), so that the handlers' writes never
// wait for it halfway. The inbox rows of ids are written first, in one
// statement per claimChunk, in id order, so that on PostgreSQL two
// replicas that claim the same events wait on each other in one order
// rather than deadlock: a redelivery waits there until the batch that
// handles the event ends, and finds it handled.
func (in *Inbox) Begin(ctx context.Context, consumer string, ids []string) (outbox.Batch, error) {
	tx, err := in.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqldb: begin: %w", classify(err))
	}
	b := &inboxBatch{in: in, ctx: ctx, tx: tx, consumer: consumer, claimed: map[string]bool{}}
	if err := b.claim(ids); err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	return b, nil
}

// claimChunk bounds the rows of one INSERT, below either database's limit
// on bound parameters.
const claimChunk = 500

// claim writes the inbox rows of ids that are not there yet, and notes
// them as the batch's to handle.
func (b *inboxBatch) claim(ids []string) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	now := b.in.now().UTC().UnixNano()
	for len(ids) > 0 {
		chunk := ids[:min(claimChunk, len(ids))]
		ids = ids[len(chunk):]
		var q strings.Builder
		q.WriteString("INSERT INTO inbox (consumer, event_id, handled_at) VALUES ")
		args := make([]any, 0, 3*len(chunk))
		for i, id := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?)")
			args = append(args, b.consumer, id, now)
		}
		q.WriteString(" ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id")
		var written []string
		if err := b.tx.SelectContext(b.ctx, &written, b.in.db.Rebind(q.String()), args...); err != nil {
			return fmt.Errorf("sqldb: inbox: %w", classify(err))
		}
		for _, id := range written {
			b.claimed[id] = true
		}
	}
	return nil
}

// inboxBatch is a batch of deliveries in one transaction, each event in
// the savepoint inbox_event: SQLite and PostgreSQL both roll back to a
// savepoint, and on PostgreSQL that also ends the aborted state a failed
// statement leaves the transaction in, so the next event can run.
type inboxBatch struct {
	in       *Inbox
	ctx      context.Context // the transaction's, for its own statements
	tx       *sqlx.Tx
	consumer string
	// claimed are the events whose rows Begin wrote and whose handler
	// has not run yet.
	claimed map[string]bool
	// held says the savepoint of the last event is still there: it is
	// released with the next event's SAVEPOINT, in one round trip, or by
	// the commit.
	held bool
	// failed is set once the transaction cannot go on: Once and Commit
	// return it.
	failed error
}

// errHandled rolls back the savepoint of an event handled before.
var errHandled = errors.New("sqldb: event handled before")

// Once implements outbox.Batch. An event Begin did not claim has its row
// written here, first, as Begin does.
//
// On PostgreSQL a statement of fn that failed while fn itself succeeded
// leaves the transaction aborted: the next event's savepoint, or the
// commit, then fails, and the batch with it.
func (b *inboxBatch) Once(ctx context.Context, id string, fn func(ctx context.Context) error) (bool, error) {
	if b.failed != nil {
		return false, b.failed
	}
	savepoint := "SAVEPOINT inbox_event"
	if b.held {
		savepoint = "RELEASE SAVEPOINT inbox_event; " + savepoint
	}
	if err := b.exec(savepoint); err != nil {
		return false, b.fail(err)
	}
	b.held = true
	// The handler's statements, and the stories it runs, join the
	// transaction (see on and begin), under the handler's own deadline.
	ctx = context.WithValue(ctx, txKey{b.in.db}, b.tx)
	claimed := b.claimed[id]
	delete(b.claimed, id)
	var err error
	if !claimed {
		err = b.insertRow(ctx, id)
	}
	if err == nil {
		err = fn(ctx)
	}
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, errHandled):
		return false, nil
	}
	// The savepoint stays after ROLLBACK TO, for the next event to
	// release. A claimed row was written before it: it goes too, so
	// that the event is handled when it comes again.
	if rerr := b.exec("ROLLBACK TO SAVEPOINT inbox_event"); rerr != nil {
		return false, b.fail(errors.Join(err, rerr))
	}
	if claimed {
		if _, rerr := b.tx.ExecContext(b.ctx, b.in.forget, b.consumer, id); rerr != nil {
			return false, b.fail(errors.Join(err, classify(rerr)))
		}
	}
	return false, err
}

// insertRow writes the event's inbox row, or returns errHandled when it
// exists.
func (b *inboxBatch) insertRow(ctx context.Context, id string) error {
	res, err := on(ctx, b.in.db).ExecContext(ctx, b.in.insert, b.consumer, id, b.in.now().UTC().UnixNano())
	if err != nil {
		return fmt.Errorf("sqldb: inbox: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqldb: inbox: %w", err)
	} else if n == 0 {
		return errHandled
	}
	return nil
}

func (b *inboxBatch) exec(stmt string) error {
	_, err := b.tx.ExecContext(b.ctx, stmt)
	return classify(err)
}

// fail marks the batch as one that cannot commit, and returns why.
func (b *inboxBatch) fail(err error) error {
	b.failed = fmt.Errorf("%w: %w", outbox.ErrBatchFailed, err)
	return b.failed
}

// Commit implements outbox.Batch. The rows Begin claimed for events
// that never came to Once (the consumer stopped halfway) go first: those
// events are not handled.
func (b *inboxBatch) Commit() error {
	if b.failed != nil {
		_ = b.tx.Rollback()
		return b.failed
	}
	for id := range b.claimed {
		if _, err := b.tx.ExecContext(b.ctx, b.in.forget, b.consumer, id); err != nil {
			_ = b.tx.Rollback()
			return fmt.Errorf("sqldb: inbox: %w", classify(err))
		}
	}
	if err := b.tx.Commit(); err != nil {
		return fmt.Errorf("sqldb: commit: %w", classify(err))
	}
	return nil
}

// Rollback implements outbox.Batch.
func (b *inboxBatch) Rollback() error {
	if err := b.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return classify(err)
	}
	return nil
}
