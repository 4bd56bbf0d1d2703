package sqldb

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// atomically runs fn so that the statements it makes on db commit together
// or not at all, with or without a story transaction around the call.
//
// When ctx carries a transaction of db (the story runs in Transaction(db),
// or the request in IdempotencyKeys.Complete, whose transaction begins
// here when nothing began it yet), fn joins it: the story's commit or rollback decides for every statement,
// and a method that fails fails the story, which rolls back the whole.
// Otherwise fn runs in a transaction of its own, committed when fn returns
// nil and rolled back when it returns an error or panics.
//
// fn must make every statement on on(ctx, db) with the ctx it is given,
// never on db itself: on an in-memory SQLite, whose pool holds a single
// connection, a statement on db would wait forever for the transaction's.
func atomically(ctx context.Context, db *sqlx.DB, fn func(ctx context.Context) error) error {
	joined, tx, err := begin(ctx, db)
	if err != nil {
		return err
	}
	if tx == nil {
		if err := fn(joined); err != nil {
			fail(ctx, db)
			return err
		}
		return nil
	}
	// Rollback after Commit does nothing; it is here for the failures and
	// for a panic going through.
	defer tx.Rollback()
	if err := fn(joined); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqldb: commit: %w", classify(err))
	}
	return nil
}
