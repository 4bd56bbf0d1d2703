package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/outbox"
)

// Inbox is the outbox.Inbox of a consuming service's database: the table
// inbox of its migrations, written in the transaction the handler's
// statements join.
type Inbox struct {
	db     *sqlx.DB
	now    func() time.Time
	insert string
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
	}
}

// Begin implements outbox.Inbox: a transaction of its own, never one ctx
// carries, since a batch commits by itself. On SQLite it takes the write
// lock at once (see sqliteParams), so that the handlers' writes never
// wait for it halfway.
func (in *Inbox) Begin(ctx context.Context, consumer string) (outbox.Batch, error) {
	tx, err := in.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("sqldb: begin: %w", classify(err))
	}
	return &inboxBatch{in: in, ctx: ctx, tx: tx, consumer: consumer}, nil
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
	// failed is set once the transaction cannot go on: Once and Commit
	// return it.
	failed error
}

// errHandled rolls back the savepoint of an event handled before.
var errHandled = errors.New("sqldb: event handled before")

// Once implements outbox.Batch. The row is written first: on PostgreSQL a
// second delivery handled at the same moment by another replica waits on
// it, and finds it once the first's batch commits, instead of running fn
// beside it.
func (b *inboxBatch) Once(ctx context.Context, id string, fn func(ctx context.Context) error) (bool, error) {
	if b.failed != nil {
		return false, b.failed
	}
	if err := b.exec("SAVEPOINT inbox_event"); err != nil {
		return false, b.fail(err)
	}
	// The handler's statements, and the stories it runs, join the
	// transaction (see on and begin), under the handler's own deadline.
	ctx = context.WithValue(ctx, txKey{b.in.db}, b.tx)
	err := b.insertRow(ctx, id)
	if err == nil {
		err = fn(ctx)
	}
	if err == nil || errors.Is(err, errHandled) {
		// On PostgreSQL a statement of fn that failed while fn itself
		// succeeded leaves the transaction aborted: the release fails,
		// and the event is rolled back like a failure.
		rerr := b.exec("RELEASE SAVEPOINT inbox_event")
		if rerr == nil {
			return err == nil, nil
		}
		err = fmt.Errorf("sqldb: inbox: %w", rerr)
	}
	// ROLLBACK TO keeps the savepoint: RELEASE pops it, so that the next
	// event's does not nest in it.
	if rerr := b.exec("ROLLBACK TO SAVEPOINT inbox_event"); rerr != nil {
		return false, b.fail(errors.Join(err, rerr))
	}
	if rerr := b.exec("RELEASE SAVEPOINT inbox_event"); rerr != nil {
		return false, b.fail(errors.Join(err, rerr))
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

// Commit implements outbox.Batch.
func (b *inboxBatch) Commit() error {
	if b.failed != nil {
		_ = b.tx.Rollback()
		return b.failed
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
