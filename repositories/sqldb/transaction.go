package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/stories/story"
)

// Transaction returns a story middleware that runs a whole story in one
// transaction of db: every repository statement the story's steps make
// on db goes through it, and it commits when the story succeeds (ended
// early by story.Done included) and rolls back when it fails, whether for
// a declared reason or an internal error, or when a step panics. A story
// that writes two rows, or a row and its event, leaves both or neither.
//
// Stories that run inside a story already in a transaction of db (a
// substory, or a story a step runs) join it rather than nest.
func Transaction(db *sqlx.DB) story.Middleware {
	if db == nil {
		panic("sqldb: Transaction needs a database")
	}
	return func(ctx context.Context, _ string, next func(context.Context) error) error {
		joined, tx, err := begin(ctx, db)
		if err != nil {
			return err
		}
		if tx == nil {
			err := next(joined)
			if err != nil && !errors.Is(err, story.Done) && !errors.Is(err, story.Skip) {
				fail(ctx, db)
			}
			return err
		}
		// Rollback after Commit does nothing; it is here for the failures
		// and for a panic going through.
		defer tx.Rollback()
		err = next(joined)
		if err != nil && !errors.Is(err, story.Done) && !errors.Is(err, story.Skip) {
			return err
		}
		if cerr := tx.Commit(); cerr != nil {
			return fmt.Errorf("sqldb: commit: %w", classify(cerr))
		}
		return err
	}
}

// begin returns the context the statements of a transaction of db run
// with, and the transaction when it is the caller's to commit. A
// transaction ctx carries is joined (nil: its owner commits). So is one
// held for later (see deferredTx), begun now if nothing began it yet.
// Otherwise begin starts one of the caller's own.
func begin(ctx context.Context, db *sqlx.DB) (context.Context, *sqlx.Tx, error) {
	key := txKey{db}
	switch held := ctx.Value(key).(type) {
	case *sqlx.Tx:
		return ctx, nil, nil
	case *deferredTx:
		tx, err := held.begin(db)
		if err != nil {
			return nil, nil, err
		}
		return context.WithValue(ctx, key, tx), nil, nil
	}
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("sqldb: begin: %w", classify(err))
	}
	return context.WithValue(ctx, key, tx), tx, nil
}

// fail marks the transaction held for later in ctx, if any, as one that
// must not commit: something that ran in it failed.
func fail(ctx context.Context, db *sqlx.DB) {
	if held, ok := ctx.Value(txKey{db}).(*deferredTx); ok {
		held.fail()
	}
}

// deferredTx is a transaction of a database whose owner commits it, begun
// only when the first story or repository method that writes asks for one
// (IdempotencyKeys.Complete holds one around a request's work, so that
// the work's writes and the answer it records commit together, while what
// the work does before it writes, such as calling another service, runs
// outside it and holds no lock).
type deferredTx struct {
	// ctx is the owner's: the transaction lives as long as it does, not
	// as long as the context of the step that began it.
	ctx    context.Context
	mu     sync.Mutex
	tx     *sqlx.Tx
	failed bool
}

// begin returns the transaction, beginning it on first use.
func (d *deferredTx) begin(db *sqlx.DB) (*sqlx.Tx, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tx == nil {
		tx, err := db.BeginTxx(d.ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("sqldb: begin: %w", classify(err))
		}
		d.tx = tx
	}
	return d.tx, nil
}

// current returns the transaction if it was begun, and whether something
// that ran in it failed.
func (d *deferredTx) current() (*sqlx.Tx, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.tx, d.failed
}

func (d *deferredTx) fail() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.failed = true
}

// txKey keys the transaction of one database in a context, so that a
// transaction of one service's database is never used for another's.
type txKey struct{ db *sqlx.DB }

// querier is what repositories run statements on: the pool, or the
// transaction of the story they run in.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

// on returns the transaction of db that ctx carries, or db itself, with
// the errors that say the database is unavailable marked as such.
func on(ctx context.Context, db *sqlx.DB) classified {
	switch held := ctx.Value(txKey{db}).(type) {
	case *sqlx.Tx:
		return classified{held}
	case *deferredTx:
		if tx, _ := held.current(); tx != nil {
			return classified{tx}
		}
	}
	return classified{db}
}

// classified runs statements on q and wraps ErrUnavailable into the
// errors that say the database cannot serve now (see classify), so that
// every repository method returns it without a word about it.
type classified struct{ q querier }

func (c classified) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := c.q.ExecContext(ctx, query, args...)
	return res, classify(err)
}

func (c classified) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	return classify(c.q.GetContext(ctx, dest, query, args...))
}

func (c classified) SelectContext(ctx context.Context, dest any, query string, args ...any) error {
	return classify(c.q.SelectContext(ctx, dest, query, args...))
}
