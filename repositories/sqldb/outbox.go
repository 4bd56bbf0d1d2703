package sqldb

import (
	"context"
	"fmt"
	"strconv"
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
	db                                        *sqlx.DB
	now                                       func() time.Time
	postgres                                  bool
	insert, unpublished, mark, backlog, purge string
	lease, release                            string
}

var _ outbox.Store = (*Outbox)(nil)

// NewOutbox returns the outbox stored in db, whose service's migrations
// create the table outbox.
func NewOutbox(db *sqlx.DB) *Outbox {
	if db == nil {
		panic("sqldb: NewOutbox needs a database")
	}
	mark := `UPDATE outbox SET published_at = ? WHERE seq IN (SELECT value FROM json_each(?))`
	postgres := db.DriverName() == driverPostgres
	if postgres {
		mark = `UPDATE outbox SET published_at = ? WHERE seq = ANY(?)`
	}
	return &Outbox{
		db:       db,
		now:      time.Now,
		postgres: postgres,
		mark:     db.Rebind(mark),
		insert: db.Rebind(`INSERT INTO outbox (id, type, subject, time, data)
			VALUES (?, ?, ?, ?, ?)`),
		unpublished: db.Rebind(`SELECT seq, id, type, subject, time, data FROM outbox
			WHERE published_at IS NULL ORDER BY seq LIMIT ?`),
		backlog: `SELECT COUNT(*) FROM outbox WHERE published_at IS NULL`,
		purge:   db.Rebind(`DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ?`),
		// One statement takes, renews or refuses the lease, so that two
		// relays asking at once cannot both get it.
		lease: db.Rebind(`INSERT INTO outbox_lease (name, holder, expires_at) VALUES ('relay', ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE outbox_lease.holder = excluded.holder OR outbox_lease.expires_at <= ?`),
		release: db.Rebind(`DELETE FROM outbox_lease WHERE name = 'relay' AND holder = ?`),
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

// MarkPublished implements outbox.Store, in one statement however many
// seqs there are: PostgreSQL takes them as an array, SQLite as a JSON
// array it reads with json_each. It names each seq rather than a range:
// on PostgreSQL a transaction that took a smaller seq can commit after
// the relay read the larger ones, and its rows must stay unpublished.
func (o *Outbox) MarkPublished(ctx context.Context, seqs []int64, at time.Time) error {
	if len(seqs) == 0 {
		return nil
	}
	var list any = seqs
	if !o.postgres {
		text := make([]byte, 0, 8*len(seqs))
		for i, s := range seqs {
			if i == 0 {
				text = append(text, '[')
			} else {
				text = append(text, ',')
			}
			text = strconv.AppendInt(text, s, 10)
		}
		list = string(append(text, ']'))
	}
	if _, err := on(ctx, o.db).ExecContext(ctx, o.mark, at.UnixNano(), list); err != nil {
		return fmt.Errorf("sqldb: mark events published: %w", err)
	}
	return nil
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

// Lease implements outbox.Store. The times are the relay's clock: the
// replicas of a service should agree on the time to within much less
// than a lease.
func (o *Outbox) Lease(ctx context.Context, holder string, now, until time.Time) (bool, error) {
	res, err := on(ctx, o.db).ExecContext(ctx, o.lease, holder, until.UnixNano(), now.UnixNano())
	if err != nil {
		return false, fmt.Errorf("sqldb: the relay lease: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqldb: the relay lease: %w", err)
	}
	return n == 1, nil
}

// Release implements outbox.Store.
func (o *Outbox) Release(ctx context.Context, holder string) error {
	if _, err := on(ctx, o.db).ExecContext(ctx, o.release, holder); err != nil {
		return fmt.Errorf("sqldb: release the relay lease: %w", err)
	}
	return nil
}
