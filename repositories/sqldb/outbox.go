package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/stories/story"
)

// Outbox is the outbox.Store of a service's database: the table outbox of
// its migrations, written in the transaction of the story that records
// the events (see Transaction), so that an event exists iff its story
// committed.
type Outbox struct {
	db                                  *sqlx.DB
	now                                 func() time.Time
	insert, unpublished, backlog, purge string
}

var _ outbox.Store = (*Outbox)(nil)

// NewOutbox returns the outbox stored in db, whose service's migrations
// create the table outbox.
func NewOutbox(db *sqlx.DB) *Outbox {
	if db == nil {
		panic("sqldb: NewOutbox needs a database")
	}
	return &Outbox{
		db:  db,
		now: time.Now,
		insert: db.Rebind(`INSERT INTO outbox (id, type, subject, time, data)
			VALUES (?, ?, ?, ?, ?)`),
		unpublished: db.Rebind(`SELECT seq, id, type, subject, time, data FROM outbox
			WHERE published_at IS NULL ORDER BY seq LIMIT ?`),
		backlog: `SELECT COUNT(*) FROM outbox WHERE published_at IS NULL`,
		purge:   db.Rebind(`DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ?`),
	}
}

// outboxRow is a row of outbox as the relay reads it.
type outboxRow struct {
	Seq     int64  `db:"seq"`
	ID      string `db:"id"`
	Type    string `db:"type"`
	Subject string `db:"subject"`
	Time    int64  `db:"time"`
	Data    string `db:"data"`
}

// Record implements story.Events: the events are written in the
// transaction of db that ctx carries, or together in one of their own
// when ctx carries none.
func (o *Outbox) Record(ctx context.Context, events ...story.Event) error {
	if len(events) == 0 {
		return nil
	}
	rows, err := outbox.New(o.now(), events...)
	if err != nil {
		return err
	}
	return atomically(ctx, o.db, func(ctx context.Context) error {
		q := on(ctx, o.db)
		for _, e := range rows {
			if _, err := q.ExecContext(ctx, o.insert, e.ID, e.Type, e.Subject, e.Time.UnixNano(), string(e.Data)); err != nil {
				return fmt.Errorf("sqldb: record event %s: %w", e.Type, err)
			}
		}
		return nil
	})
}

// Unpublished implements outbox.Store.
func (o *Outbox) Unpublished(ctx context.Context, limit int) ([]outbox.Event, error) {
	var rows []outboxRow
	if err := on(ctx, o.db).SelectContext(ctx, &rows, o.unpublished, limit); err != nil {
		return nil, fmt.Errorf("sqldb: read the outbox: %w", err)
	}
	out := make([]outbox.Event, len(rows))
	for i, r := range rows {
		out[i] = outbox.Event{Seq: r.Seq, ID: r.ID, Type: r.Type, Subject: r.Subject,
			Time: time.Unix(0, r.Time).UTC(), Data: []byte(r.Data)}
	}
	return out, nil
}

// markChunk bounds the seqs of one UPDATE, below either database's limit
// on bound parameters.
const markChunk = 500

// MarkPublished implements outbox.Store. It names each seq rather than a
// range: on PostgreSQL a transaction that took a smaller seq can commit
// after the relay read the larger ones, and its rows must stay unpublished.
func (o *Outbox) MarkPublished(ctx context.Context, seqs []int64, at time.Time) error {
	return atomically(ctx, o.db, func(ctx context.Context) error {
		for len(seqs) > 0 {
			chunk := seqs[:min(markChunk, len(seqs))]
			seqs = seqs[len(chunk):]
			query, args, err := sqlx.In(`UPDATE outbox SET published_at = ? WHERE seq IN (?)`, at.UnixNano(), chunk)
			if err != nil {
				return err
			}
			if _, err := on(ctx, o.db).ExecContext(ctx, o.db.Rebind(query), args...); err != nil {
				return fmt.Errorf("sqldb: mark events published: %w", err)
			}
		}
		return nil
	})
}

// Backlog implements outbox.Store.
func (o *Outbox) Backlog(ctx context.Context) (int64, error) {
	var n int64
	if err := on(ctx, o.db).GetContext(ctx, &n, o.backlog); err != nil {
		return 0, fmt.Errorf("sqldb: count the outbox backlog: %w", err)
	}
	return n, nil
}

// Purge implements outbox.Store.
func (o *Outbox) Purge(ctx context.Context, before time.Time) (int64, error) {
	res, err := on(ctx, o.db).ExecContext(ctx, o.purge, before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("sqldb: purge the outbox: %w", err)
	}
	return res.RowsAffected()
}
