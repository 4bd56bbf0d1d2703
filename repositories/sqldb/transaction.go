package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
	key := txKey{db}
	return func(ctx context.Context, _ string, next func(context.Context) error) error {
		if _, ok := ctx.Value(key).(*sqlx.Tx); ok {
			return next(ctx)
		}
		tx, err := db.BeginTxx(ctx, nil)
		if err != nil {
			return fmt.Errorf("sqldb: begin: %w", classify(err))
		}
		// Rollback after Commit does nothing; it is here for the failures
		// and for a panic going through.
		defer tx.Rollback()
		err = next(context.WithValue(ctx, key, tx))
		if err != nil && !errors.Is(err, story.Done) && !errors.Is(err, story.Skip) {
			return err
		}
		if cerr := tx.Commit(); cerr != nil {
			return fmt.Errorf("sqldb: commit: %w", classify(cerr))
		}
		return err
	}
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
	if tx, ok := ctx.Value(txKey{db}).(*sqlx.Tx); ok {
		return classified{tx}
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
