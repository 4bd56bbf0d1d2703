package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/stories/quotes"
)

var _ quotes.MaterialCopies = (*MaterialCopies)(nil)

// MaterialCopies is a quotes.MaterialCopies in the material_copies table
// of the quotes database. It is safe for concurrent use.
type MaterialCopies struct {
	db *sqlx.DB
	// Queries rebound for db's placeholders once, not per call.
	keep, clear string
}

// NewMaterialCopies returns the store over db, which must come from Open
// with the "quotes" service (or have been migrated with Migrate). It
// panics on a nil db: that is a wiring mistake, found at start.
func NewMaterialCopies(db *sqlx.DB) *MaterialCopies {
	if db == nil {
		panic("sqldb: NewMaterialCopies needs a database")
	}
	return &MaterialCopies{
		db: db,
		// One statement inserts the first copy of a material or replaces
		// the stored one, and only when the change supersedes it
		// (quotes.MaterialCopy.Supersedes, the same rule): of two changes
		// kept at once, or one delivered again, the later stays. A
		// refused change affects no row.
		keep: db.Rebind(`INSERT INTO material_copies AS c
			(material_id, company_id, name, thickness, is_active, price_amount, price_currency, deleted, sequence, changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (material_id) DO UPDATE SET
				company_id = excluded.company_id, name = excluded.name, thickness = excluded.thickness,
				is_active = excluded.is_active, price_amount = excluded.price_amount,
				price_currency = excluded.price_currency, deleted = excluded.deleted,
				sequence = excluded.sequence, changed_at = excluded.changed_at
			WHERE NOT c.deleted AND (excluded.deleted OR CASE
				WHEN excluded.sequence > 0 AND c.sequence > 0
				THEN excluded.sequence > c.sequence
				ELSE excluded.changed_at > c.changed_at END)`),
		clear: `DELETE FROM material_copies`,
	}
}

// copyRow is a row of material_copies as stored.
type copyRow struct {
	MaterialID    int64          `db:"material_id"`
	CompanyID     int64          `db:"company_id"`
	Name          string         `db:"name"`
	Thickness     float64        `db:"thickness"`
	IsActive      bool           `db:"is_active"`
	PriceAmount   sql.NullInt64  `db:"price_amount"`
	PriceCurrency sql.NullString `db:"price_currency"`
	Deleted       bool           `db:"deleted"`
	Sequence      int64          `db:"sequence"`
	ChangedAt     int64          `db:"changed_at"`
}

func (r copyRow) copy() quotes.MaterialCopy {
	c := quotes.MaterialCopy{
		ID: r.MaterialID, CompanyID: r.CompanyID, Name: r.Name, Thickness: r.Thickness, Active: r.IsActive,
		Deleted: r.Deleted, Sequence: r.Sequence, ChangedAt: time.Unix(0, r.ChangedAt).UTC(),
	}
	// The schema's CHECK stores both or neither.
	if r.PriceAmount.Valid && r.PriceCurrency.Valid {
		c.Price = &quotes.Money{Amount: r.PriceAmount.Int64, Currency: r.PriceCurrency.String}
	}
	return c
}

// Keep stores c unless the stored copy of its material is as recent or
// more, and reports whether it stored it.
func (r *MaterialCopies) Keep(ctx context.Context, c quotes.MaterialCopy) (bool, error) {
	changed, err := nanos(c.ChangedAt)
	if err != nil {
		return false, err
	}
	var amount sql.NullInt64
	var currency sql.NullString
	if c.Price != nil {
		amount = sql.NullInt64{Int64: c.Price.Amount, Valid: true}
		currency = sql.NullString{String: c.Price.Currency, Valid: true}
	}
	res, err := on(ctx, r.db).ExecContext(ctx, r.keep,
		c.ID, c.CompanyID, c.Name, c.Thickness, c.Active, amount, currency, c.Deleted, c.Sequence, changed)
	if err != nil {
		return false, fmt.Errorf("sqldb: keep material copy: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("sqldb: keep material copy: %w", err)
	}
	return n > 0, nil
}

// Copies returns the stored copies of ids, deleted ones included.
func (r *MaterialCopies) Copies(ctx context.Context, ids []int64) (map[int64]quotes.MaterialCopy, error) {
	out := make(map[int64]quotes.MaterialCopy, len(ids))
	if len(ids) == 0 {
		return out, ctx.Err()
	}
	query, args, err := sqlx.In(`SELECT material_id, company_id, name, thickness, is_active, price_amount, price_currency,
		deleted, sequence, changed_at FROM material_copies WHERE material_id IN (?)`, ids)
	if err != nil {
		return nil, fmt.Errorf("sqldb: material copies: %w", err)
	}
	var rows []copyRow
	if err := on(ctx, r.db).SelectContext(ctx, &rows, r.db.Rebind(query), args...); err != nil {
		return nil, fmt.Errorf("sqldb: material copies: %w", err)
	}
	for _, row := range rows {
		out[row.MaterialID] = row.copy()
	}
	return out, nil
}

// Clear removes every copy.
func (r *MaterialCopies) Clear(ctx context.Context) error {
	if _, err := on(ctx, r.db).ExecContext(ctx, r.clear); err != nil {
		return fmt.Errorf("sqldb: clear material copies: %w", err)
	}
	return nil
}
