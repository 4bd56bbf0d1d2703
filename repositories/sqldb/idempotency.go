package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/repositories/idempotency"
)

// IdempotencyKeys is the idempotency.Store of a service's database: the
// table idempotency_keys of its migrations, beside the rows its stories
// write, so that the answer kept for a key commits with the work it
// describes.
type IdempotencyKeys struct {
	db                                      *sqlx.DB
	forget, reserve, get, done, free, sweep string
}

var _ idempotency.Store = (*IdempotencyKeys)(nil)

// NewIdempotencyKeys returns the keys stored in db, whose service's
// migrations create idempotency_keys.
func NewIdempotencyKeys(db *sqlx.DB) *IdempotencyKeys {
	if db == nil {
		panic("sqldb: NewIdempotencyKeys needs a database")
	}
	return &IdempotencyKeys{
		db: db,
		forget: db.Rebind(`DELETE FROM idempotency_keys WHERE subject = ? AND key = ?
			AND ((state = 'done' AND created_at < ?) OR (state = 'in_progress' AND created_at < ?))`),
		reserve: db.Rebind(`INSERT INTO idempotency_keys (subject, key, request_hash, state, created_at)
			VALUES (?, ?, ?, 'in_progress', ?) ON CONFLICT (subject, key) DO NOTHING`),
		get: db.Rebind(`SELECT request_hash, state, status, headers, body FROM idempotency_keys
			WHERE subject = ? AND key = ?`),
		// A reservation is known by its created_at: the request whose
		// reservation another took over after its lease matches nothing.
		done: db.Rebind(`UPDATE idempotency_keys SET state = 'done', status = ?, headers = ?, body = ?
			WHERE subject = ? AND key = ? AND state = 'in_progress' AND created_at = ?`),
		free: db.Rebind(`DELETE FROM idempotency_keys WHERE subject = ? AND key = ? AND state = 'in_progress' AND created_at = ?`),
		sweep: db.Rebind(`DELETE FROM idempotency_keys
			WHERE (state = 'done' AND created_at < ?) OR (state = 'in_progress' AND created_at < ?)`),
	}
}

// keyRow is a row of idempotency_keys as Reserve reads it.
type keyRow struct {
	Hash    string `db:"request_hash"`
	State   string `db:"state"`
	Status  int    `db:"status"`
	Headers string `db:"headers"`
	Body    []byte `db:"body"`
}

// Reserve implements idempotency.Store, in a transaction of its own even
// when ctx carries one: the reservation must be seen by the retries that
// run beside the work, before the work commits.
func (s *IdempotencyKeys) Reserve(ctx context.Context, k idempotency.Key, hash string, now, expired, abandoned time.Time) (*idempotency.Record, error) {
	ctx = context.WithValue(ctx, txKey{s.db}, nil)
	var held *idempotency.Record
	err := atomically(ctx, s.db, func(ctx context.Context) error {
		q := on(ctx, s.db)
		if _, err := q.ExecContext(ctx, s.forget, k.Subject, k.Value, expired.UnixNano(), abandoned.UnixNano()); err != nil {
			return fmt.Errorf("sqldb: forget idempotency key: %w", err)
		}
		res, err := q.ExecContext(ctx, s.reserve, k.Subject, k.Value, hash, now.UnixNano())
		if err != nil {
			return fmt.Errorf("sqldb: reserve idempotency key: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqldb: reserve idempotency key: %w", err)
		} else if n == 1 {
			return nil
		}
		var row keyRow
		if err := q.GetContext(ctx, &row, s.get, k.Subject, k.Value); err != nil {
			return fmt.Errorf("sqldb: read idempotency key: %w", err)
		}
		held = &idempotency.Record{Hash: row.Hash, Done: row.State == "done"}
		if held.Done {
			held.Response = idempotency.Response{Status: row.Status, Header: http.Header{}, Body: row.Body}
			if err := json.Unmarshal([]byte(row.Headers), &held.Response.Header); err != nil {
				return fmt.Errorf("sqldb: read idempotency key headers: %w", err)
			}
		}
		return nil
	})
	return held, err
}

// errDiscard rolls back a work that returned no response to keep.
var errDiscard = errors.New("sqldb: nothing to keep")

// Complete implements idempotency.Store: work runs in a transaction of s's
// database that the stories' Transaction middleware joins, and the answer
// is written in it.
func (s *IdempotencyKeys) Complete(ctx context.Context, k idempotency.Key, reserved time.Time, work func(ctx context.Context) (*idempotency.Response, error)) error {
	ctx = context.WithValue(ctx, txKey{s.db}, nil)
	err := atomically(ctx, s.db, func(ctx context.Context) error {
		resp, err := work(ctx)
		if err != nil {
			return err
		}
		if resp == nil {
			return errDiscard
		}
		headers, err := json.Marshal(resp.Header)
		if err != nil {
			return fmt.Errorf("sqldb: write idempotency key headers: %w", err)
		}
		body := resp.Body
		if body == nil {
			body = []byte{}
		}
		res, err := on(ctx, s.db).ExecContext(ctx, s.done, resp.Status, string(headers), body, k.Subject, k.Value, reserved.UnixNano())
		if err != nil {
			return fmt.Errorf("sqldb: complete idempotency key: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqldb: complete idempotency key: %w", err)
		} else if n != 1 {
			// The reservation was taken over: another request owns the
			// key now, and this work must not commit beside its.
			return idempotency.ErrTakenOver
		}
		return nil
	})
	if errors.Is(err, errDiscard) {
		return nil
	}
	return err
}

// Release implements idempotency.Store.
func (s *IdempotencyKeys) Release(ctx context.Context, k idempotency.Key, reserved time.Time) error {
	ctx = context.WithValue(ctx, txKey{s.db}, nil)
	if _, err := on(ctx, s.db).ExecContext(ctx, s.free, k.Subject, k.Value, reserved.UnixNano()); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sqldb: release idempotency key: %w", err)
	}
	return nil
}

// Sweep implements idempotency.Store, in one statement of its own, which
// the index on created_at keeps to the rows it deletes.
func (s *IdempotencyKeys) Sweep(ctx context.Context, expired, abandoned time.Time) (int64, error) {
	ctx = context.WithValue(ctx, txKey{s.db}, nil)
	res, err := on(ctx, s.db).ExecContext(ctx, s.sweep, expired.UnixNano(), abandoned.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("sqldb: sweep idempotency keys: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqldb: sweep idempotency keys: %w", err)
	}
	return n, nil
}
