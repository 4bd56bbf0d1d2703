package sqldb

import (
	"context"
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

// errHandled rolls back the transaction of an event handled before.
var errHandled = errors.New("sqldb: event handled before")

// Once implements outbox.Inbox. The row is written first: on PostgreSQL a
// second delivery handled at the same moment by another replica waits on
// it, and finds it once the first commits, instead of running fn beside
// it.
func (in *Inbox) Once(ctx context.Context, consumer, id string, fn func(ctx context.Context) error) (bool, error) {
	err := atomically(ctx, in.db, func(ctx context.Context) error {
		res, err := on(ctx, in.db).ExecContext(ctx, in.insert, consumer, id, in.now().UTC().UnixNano())
		if err != nil {
			return fmt.Errorf("sqldb: inbox: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqldb: inbox: %w", err)
		} else if n == 0 {
			return errHandled
		}
		return fn(ctx)
	})
	if errors.Is(err, errHandled) {
		return false, nil
	}
	return err == nil, err
}
