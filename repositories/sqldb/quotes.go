package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/stories/quotes"
)

var _ quotes.Repository = (*Quotes)(nil)

// Quotes is a quotes.Repository in the quotes and quote_lines tables. It is
// safe for concurrent use.
//
// Every change of state is one UPDATE whose WHERE names the state it
// leaves, so that of two racing changes the database lets exactly one
// through; the loser finds no row, and a second look at the quote says why.
// A method that writes a quote and its lines does so atomically: in the
// story's transaction when there is one, in its own otherwise.
type Quotes struct {
	db *sqlx.DB
	// Queries rebound for db's placeholders once, not per call.
	insert, get, touchDraft, touchDraftAt, submit, decide, expire, remove, removeAt, removeLines, status string
}

// NewQuotes returns the repository over db, which must come from Open
// with the "quotes" service (or have been migrated with Migrate). It
// panics on a nil db: that is a wiring mistake, found at start.
func NewQuotes(db *sqlx.DB) *Quotes {
	if db == nil {
		panic("sqldb: NewQuotes needs a database")
	}
	return &Quotes{
		db: db,
		insert: db.Rebind(`INSERT INTO quotes
			(company_id, state, version, total_amount, total_currency, valid_until, created_at, updated_at, submitted_at, decided_at)
			VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		get: db.Rebind(`SELECT ` + quoteLineColumns + `
			FROM quotes q LEFT JOIN quote_lines l ON l.quote_id = q.id
			WHERE q.id = ? ORDER BY l.position`),
		touchDraft: db.Rebind(`UPDATE quotes SET updated_at = ?, version = version + 1
			WHERE id = ? AND state = ? RETURNING ` + quoteColumns),
		// The conditional forms check the version a client read in the
		// statement that writes, so that of two writers who read the
		// same version only one changes the quote.
		touchDraftAt: db.Rebind(`UPDATE quotes SET updated_at = ?, version = version + 1
			WHERE id = ? AND state = ? AND version = ? RETURNING ` + quoteColumns),
		submit: db.Rebind(`UPDATE quotes
			SET state = ?, total_amount = ?, total_currency = ?, valid_until = ?, submitted_at = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND state = ? AND version = ? RETURNING ` + quoteColumns),
		decide: db.Rebind(`UPDATE quotes SET state = ?, decided_at = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND state = ?`),
		expire: db.Rebind(`UPDATE quotes SET state = ?, updated_at = ?, version = version + 1
			WHERE state = ? AND valid_until < ? RETURNING id`),
		remove:      db.Rebind(`DELETE FROM quotes WHERE id = ? AND state = ?`),
		removeAt:    db.Rebind(`DELETE FROM quotes WHERE id = ? AND state = ? AND version = ?`),
		removeLines: db.Rebind(`DELETE FROM quote_lines WHERE quote_id = ?`),
		status:      db.Rebind(`SELECT state FROM quotes WHERE id = ?`),
	}
}

// Create stores q and its lines under a new ID at version 1. It returns an
// error for a state that is not one of quotes.States.
func (r *Quotes) Create(ctx context.Context, q quotes.Quote) (quotes.Quote, error) {
	if !q.State.Valid() {
		return quotes.Quote{}, fmt.Errorf("sqldb: create quote: unknown state %q", q.State)
	}
	row, err := toQuoteRow(q)
	if err != nil {
		return quotes.Quote{}, err
	}
	err = atomically(ctx, r.db, func(ctx context.Context) error {
		err := on(ctx, r.db).GetContext(ctx, &row.ID, r.insert,
			row.CompanyID, row.State, row.TotalAmount, row.TotalCurrency, row.ValidUntil,
			row.CreatedAt, row.UpdatedAt, row.SubmittedAt, row.DecidedAt)
		if err != nil {
			return fmt.Errorf("sqldb: create quote: %w", err)
		}
		return r.insertLines(ctx, row.ID, q.Lines)
	})
	if err != nil {
		return quotes.Quote{}, err
	}
	row.Version = 1
	return row.quote(q.Lines), nil
}

// Get returns the quote with id and its lines, read in one statement so
// that they are of one moment. Returns quotes.ErrNotFound.
func (r *Quotes) Get(ctx context.Context, id int64) (quotes.Quote, error) {
	var rows []quoteLineRow
	if err := on(ctx, r.db).SelectContext(ctx, &rows, r.get, id); err != nil {
		return quotes.Quote{}, fmt.Errorf("sqldb: get quote: %w", err)
	}
	found := assemble(rows)
	if len(found) == 0 {
		return quotes.Quote{}, quotes.ErrNotFound
	}
	return found[0], nil
}

// ReplaceLines replaces the lines of draft id and sets its UpdatedAt to
// at. The quote's row is updated first: the condition on its state, and
// the row lock PostgreSQL takes with it, hold off any other change of the
// quote until the lines are written. Returns quotes.ErrNotFound or
// quotes.ErrNotDraft.
func (r *Quotes) ReplaceLines(ctx context.Context, id, version int64, lines []quotes.Line, at time.Time) (quotes.Quote, error) {
	updated, err := nanos(at)
	if err != nil {
		return quotes.Quote{}, err
	}
	query, args := r.touchDraft, []any{updated, id, string(quotes.Draft)}
	if version != 0 {
		query, args = r.touchDraftAt, append(args, version)
	}
	var row quoteRow
	err = atomically(ctx, r.db, func(ctx context.Context) error {
		err := on(ctx, r.db).GetContext(ctx, &row, query, args...)
		if errors.Is(err, sql.ErrNoRows) {
			return r.refusal(ctx, id, quotes.Draft, versionRefusal(version, quotes.ErrVersionMismatch))
		}
		if err != nil {
			return fmt.Errorf("sqldb: replace quote lines: %w", err)
		}
		return r.writeLines(ctx, id, lines)
	})
	if err != nil {
		return quotes.Quote{}, err
	}
	return row.quote(lines), nil
}

// Delete removes draft id and its lines. The schema deletes the lines with
// the quote; they are deleted here as well so that a connection opened
// with foreign keys off leaves none behind. Returns quotes.ErrNotFound or
// quotes.ErrNotDraft.
func (r *Quotes) Delete(ctx context.Context, id, version int64) error {
	query, args := r.remove, []any{id, string(quotes.Draft)}
	if version != 0 {
		query, args = r.removeAt, append(args, version)
	}
	return atomically(ctx, r.db, func(ctx context.Context) error {
		res, err := on(ctx, r.db).ExecContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("sqldb: delete quote: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqldb: delete quote: %w", err)
		} else if n == 0 {
			return r.refusal(ctx, id, quotes.Draft, versionRefusal(version, quotes.ErrVersionMismatch))
		}
		if _, err := on(ctx, r.db).ExecContext(ctx, r.removeLines, id); err != nil {
			return fmt.Errorf("sqldb: delete quote lines: %w", err)
		}
		return nil
	})
}

// Submit moves draft id at version to submitted with s, then writes its
// priced lines. Returns quotes.ErrNotFound, quotes.ErrNotDraft or
// quotes.ErrChanged.
func (r *Quotes) Submit(ctx context.Context, id, version int64, s quotes.Submission) (quotes.Quote, error) {
	validUntil, err := nanos(s.ValidUntil)
	if err != nil {
		return quotes.Quote{}, err
	}
	at, err := nanos(s.At)
	if err != nil {
		return quotes.Quote{}, err
	}
	var row quoteRow
	err = atomically(ctx, r.db, func(ctx context.Context) error {
		err := on(ctx, r.db).GetContext(ctx, &row, r.submit,
			string(quotes.Submitted), s.Total.Amount, s.Total.Currency, validUntil, at, at,
			id, string(quotes.Draft), version)
		if errors.Is(err, sql.ErrNoRows) {
			return r.refusal(ctx, id, quotes.Draft, quotes.ErrChanged)
		}
		if err != nil {
			return fmt.Errorf("sqldb: submit quote: %w", err)
		}
		return r.writeLines(ctx, id, s.Lines)
	})
	if err != nil {
		return quotes.Quote{}, err
	}
	return row.quote(s.Lines), nil
}

// Decide moves submitted quote id to to, quotes.Accepted or
// quotes.Rejected, at at. Returns quotes.ErrNotFound or
// quotes.ErrNotSubmitted.
func (r *Quotes) Decide(ctx context.Context, id int64, to quotes.State, at time.Time) (quotes.Quote, error) {
	if to != quotes.Accepted && to != quotes.Rejected {
		return quotes.Quote{}, fmt.Errorf("sqldb: decide quote: %q is not a decision", to)
	}
	decided, err := nanos(at)
	if err != nil {
		return quotes.Quote{}, err
	}
	var q quotes.Quote
	err = atomically(ctx, r.db, func(ctx context.Context) error {
		res, err := on(ctx, r.db).ExecContext(ctx, r.decide, string(to), decided, decided, id, string(quotes.Submitted))
		if err != nil {
			return fmt.Errorf("sqldb: decide quote: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("sqldb: decide quote: %w", err)
		} else if n == 0 {
			return r.refusal(ctx, id, quotes.Submitted, nil)
		}
		// Read back in the same transaction: the lines of a submitted
		// quote do not change, but the quote just written is what the
		// caller gets.
		q, err = r.Get(ctx, id)
		return err
	})
	if err != nil {
		return quotes.Quote{}, err
	}
	return q, nil
}

// Expire moves every submitted quote whose ValidUntil is before now to
// expired, in one conditional statement, and returns the quotes it moved
// as they are after it, in ID order, read in the same transaction.
func (r *Quotes) Expire(ctx context.Context, now time.Time) ([]quotes.Quote, error) {
	at, err := nanos(now)
	if err != nil {
		return nil, err
	}
	var moved []quotes.Quote
	err = atomically(ctx, r.db, func(ctx context.Context) error {
		var ids []int64
		if err := on(ctx, r.db).SelectContext(ctx, &ids, r.expire, string(quotes.Expired), at, string(quotes.Submitted), at); err != nil {
			return fmt.Errorf("sqldb: expire quotes: %w", err)
		}
		slices.Sort(ids)
		for _, id := range ids {
			q, err := r.Get(ctx, id)
			if err != nil {
				return err
			}
			moved = append(moved, q)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return moved, nil
}

// Count returns how many quotes match f.
func (r *Quotes) Count(ctx context.Context, f quotes.Filter) (int64, error) {
	where, args := quoteWhere(f)
	var n int64
	if err := on(ctx, r.db).GetContext(ctx, &n, r.db.Rebind("SELECT COUNT(*) FROM quotes"+where), args...); err != nil {
		return 0, fmt.Errorf("sqldb: count quotes: %w", err)
	}
	return n, nil
}

// quoteOrderColumns is the allow-list of orderings: the only way a field
// becomes an identifier in SQL. The empty field sorts by id, like the zero
// Order.
var quoteOrderColumns = map[quotes.Field]string{
	"":                 "id",
	quotes.ByID:        "id",
	quotes.ByCreatedAt: "created_at",
	quotes.ByUpdatedAt: "updated_at",
	quotes.ByState:     "state",
}

// Find returns the page q selects with the lines of each quote, ties
// broken by ascending id. A Limit of zero or less means no limit. Returns
// quotes.ErrInvalidOrdering for a field that is not sortable.
//
// The page is chosen in a subquery and joined to its lines in the same
// statement, so that quotes and lines are of one moment without a
// transaction; the outer query sorts again, since a join keeps no order.
func (r *Quotes) Find(ctx context.Context, q quotes.Query) ([]quotes.Quote, error) {
	column, ok := quoteOrderColumns[q.Order.By]
	if !ok {
		return nil, quotes.ErrInvalidOrdering
	}
	direction := " ASC"
	if q.Order.Descending {
		direction = " DESC"
	}
	// SQLite accepts OFFSET only after a LIMIT, so "no limit" is the
	// largest one.
	limit := int64(math.MaxInt64)
	if q.Limit > 0 {
		limit = int64(q.Limit)
	}
	where, args := quoteWhere(q.Filter)
	var query strings.Builder
	query.WriteString("SELECT " + quoteLineColumns + " FROM (SELECT * FROM quotes" + where +
		" ORDER BY " + column + direction + ", id ASC LIMIT ? OFFSET ?) q" +
		" LEFT JOIN quote_lines l ON l.quote_id = q.id" +
		" ORDER BY q." + column + direction + ", q.id ASC, l.position ASC")
	args = append(args, limit, max(q.Offset, 0))

	var rows []quoteLineRow
	if err := on(ctx, r.db).SelectContext(ctx, &rows, r.db.Rebind(query.String()), args...); err != nil {
		return nil, fmt.Errorf("sqldb: find quotes: %w", err)
	}
	return assemble(rows), nil
}

// quoteWhere turns f into a WHERE clause with ? placeholders.
func quoteWhere(f quotes.Filter) (string, []any) {
	var conds []string
	var args []any
	if f.CompanyID != 0 {
		conds = append(conds, "company_id = ?")
		args = append(args, f.CompanyID)
	}
	if f.State != "" {
		conds = append(conds, "state = ?")
		args = append(args, string(f.State))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// refusal says why a conditional write of quote id found no row to
// change, looking at the quote once more: quotes.ErrNotFound when there is
// no such quote, and when it is not in state want the failure a story
// declares for that (quotes.ErrNotDraft or quotes.ErrNotSubmitted).
//
// States only move forward, so a quote in state want now was in it, or did
// not exist yet, when the write looked. For a submission, whose write was
// also conditional on a version, that means the draft was at another
// version: changed, quotes.ErrChanged for a submission and
// quotes.ErrVersionMismatch for a write at the version a client read (a
// story only writes at a version it has read, so "did not exist yet" does
// not arise); changed is nil for a write at any version. Otherwise the quote was created
// since the write looked (quotes.ErrNotFound then), or, for want
// submitted, submitted since (quotes.ErrNotSubmitted then).
func (r *Quotes) refusal(ctx context.Context, id int64, want quotes.State, changed error) error {
	var now string
	err := on(ctx, r.db).GetContext(ctx, &now, r.status, id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return quotes.ErrNotFound
	case err != nil:
		return fmt.Errorf("sqldb: read quote state: %w", err)
	case quotes.State(now) != want && want == quotes.Draft:
		return quotes.ErrNotDraft
	case quotes.State(now) != want:
		return quotes.ErrNotSubmitted
	case changed != nil:
		return changed
	case want == quotes.Draft:
		return quotes.ErrNotFound
	}
	return quotes.ErrNotSubmitted
}

// writeLines replaces the lines of quote id with lines.
func (r *Quotes) writeLines(ctx context.Context, id int64, lines []quotes.Line) error {
	if _, err := on(ctx, r.db).ExecContext(ctx, r.removeLines, id); err != nil {
		return fmt.Errorf("sqldb: delete quote lines: %w", err)
	}
	return r.insertLines(ctx, id, lines)
}

// linesPerInsert bounds the rows of one INSERT, and so its parameters
// (eleven a row), well below what either database accepts in a statement.
const linesPerInsert = 500

// insertLines inserts lines as quote id's, in as few statements as the
// bound allows: a quote's 100 lines take one round trip, not 100.
func (r *Quotes) insertLines(ctx context.Context, id int64, lines []quotes.Line) error {
	for start := 0; start < len(lines); start += linesPerInsert {
		chunk := lines[start:min(start+linesPerInsert, len(lines))]
		var query strings.Builder
		query.WriteString(`INSERT INTO quote_lines (quote_id, position, material_id, quantity, width_mm, height_mm,
			material_name, unit_price_amount, unit_price_currency, total_amount, total_currency) VALUES `)
		args := make([]any, 0, 11*len(chunk))
		for i, l := range chunk {
			if i > 0 {
				query.WriteString(", ")
			}
			query.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, id, start+i, l.MaterialID, l.Quantity, l.WidthMM, l.HeightMM,
				l.MaterialName, l.UnitPrice.Amount, l.UnitPrice.Currency, l.Total.Amount, l.Total.Currency)
		}
		if _, err := on(ctx, r.db).ExecContext(ctx, r.db.Rebind(query.String()), args...); err != nil {
			return fmt.Errorf("sqldb: insert quote lines: %w", err)
		}
	}
	return nil
}

// versionRefusal is changed for a write at a version, nil for one at any
// (version 0).
func versionRefusal(version int64, changed error) error {
	if version == 0 {
		return nil
	}
	return changed
}
