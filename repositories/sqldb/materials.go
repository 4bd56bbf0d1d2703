package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/charterhq/charter/stories/materials"
)

var _ materials.Repository = (*Materials)(nil)

// Materials is a materials.Repository in the materials table. It is safe
// for concurrent use.
type Materials struct {
	db *sqlx.DB
	// Queries rebound for db's placeholders once, not per call.
	insert, get, update, updateAt, remove, removeAt string
}

// NewMaterials returns the repository over db, which must come from Open
// (or have been migrated with Migrate). It panics on a nil db: that is a
// wiring mistake, found at start.
func NewMaterials(db *sqlx.DB) *Materials {
	if db == nil {
		panic("sqldb: NewMaterials needs a database")
	}
	return &Materials{
		db: db,
		insert: db.Rebind(`INSERT INTO materials
			(company_id, name, quality, thickness, is_active, price_amount, price_currency, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		get: db.Rebind(`SELECT ` + materialColumns + ` FROM materials WHERE id = ?`),
		// A NULL price keeps the stored one in the same statement, so that
		// no price written by a concurrent update is lost between a read
		// and a write. Amount and currency are both NULL or both set, so
		// the pair stays whole.
		update: db.Rebind(`UPDATE materials SET ` + updateColumns + ` WHERE id = ? RETURNING ` + materialColumns),
		// The conditional forms check the version in the statement that
		// writes, so that of two writers who read the same version only
		// one changes the row: the other's WHERE no longer matches.
		updateAt: db.Rebind(`UPDATE materials SET ` + updateColumns + ` WHERE id = ? AND version = ? RETURNING ` + materialColumns),
		remove:   db.Rebind(`DELETE FROM materials WHERE id = ?`),
		removeAt: db.Rebind(`DELETE FROM materials WHERE id = ? AND version = ?`),
	}
}

// updateColumns is what an update sets, from the arguments name, quality,
// thickness, is_active, price amount, price currency and updated_at.
const updateColumns = `name = ?, quality = ?, thickness = ?, is_active = ?,
	price_amount = COALESCE(?, price_amount), price_currency = COALESCE(?, price_currency),
	updated_at = ?, version = version + 1`

const materialColumns = `id, company_id, name, quality, thickness, is_active, price_amount, price_currency, created_at, updated_at, version`

// materialRow is a row of materials as stored: times are Unix nanoseconds;
// the price's amount and currency are both NULL when it has none.
type materialRow struct {
	ID            int64          `db:"id"`
	CompanyID     int64          `db:"company_id"`
	Name          string         `db:"name"`
	Quality       string         `db:"quality"`
	Thickness     float64        `db:"thickness"`
	IsActive      bool           `db:"is_active"`
	PriceAmount   sql.NullInt64  `db:"price_amount"`
	PriceCurrency sql.NullString `db:"price_currency"`
	CreatedAt     int64          `db:"created_at"`
	UpdatedAt     int64          `db:"updated_at"`
	Version       int64          `db:"version"`
}

func (r materialRow) material() materials.Material {
	m := materials.Material{
		ID:        r.ID,
		CompanyID: r.CompanyID,
		Name:      r.Name,
		Quality:   r.Quality,
		Thickness: r.Thickness,
		IsActive:  r.IsActive,
		CreatedAt: time.Unix(0, r.CreatedAt).UTC(),
		UpdatedAt: time.Unix(0, r.UpdatedAt).UTC(),
		Version:   r.Version,
	}
	// The schema's CHECK stores both or neither.
	if r.PriceAmount.Valid && r.PriceCurrency.Valid {
		m.Price = &materials.Money{Amount: r.PriceAmount.Int64, Currency: r.PriceCurrency.String}
	}
	return m
}

// priceColumns is p as the price_amount and price_currency columns take
// it: both NULL for no price.
func priceColumns(p *materials.Money) (sql.NullInt64, sql.NullString) {
	if p == nil {
		return sql.NullInt64{}, sql.NullString{}
	}
	return sql.NullInt64{Int64: p.Amount, Valid: true}, sql.NullString{String: p.Currency, Valid: true}
}

// Create stores m under a new ID. Returns materials.ErrConflict when the
// company already has a material with m's name.
func (r *Materials) Create(ctx context.Context, m materials.Material) (materials.Material, error) {
	created, err := nanos(m.CreatedAt)
	if err != nil {
		return materials.Material{}, err
	}
	updated, err := nanos(m.UpdatedAt)
	if err != nil {
		return materials.Material{}, err
	}
	amount, currency := priceColumns(m.Price)
	err = on(ctx, r.db).GetContext(ctx, &m.ID, r.insert,
		m.CompanyID, m.Name, m.Quality, m.Thickness, m.IsActive, amount, currency, created, updated)
	if err != nil {
		return materials.Material{}, writeError("create material", err)
	}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	m.Version = 1 // the column's default
	// The caller's price is not the one returned: changing one must not
	// change the other, as with every other repository.
	if m.Price != nil {
		p := *m.Price
		m.Price = &p
	}
	return m, nil
}

// Get returns the material with id, or materials.ErrNotFound.
func (r *Materials) Get(ctx context.Context, id int64) (materials.Material, error) {
	var row materialRow
	if err := on(ctx, r.db).GetContext(ctx, &row, r.get, id); err != nil {
		return materials.Material{}, readError("get material", err)
	}
	return row.material(), nil
}

// Update replaces the editable fields of material id, sets UpdatedAt to at
// and adds one to its version, in one statement; a nil f.Price keeps the
// stored price. A version other than 0 must be the stored one, checked in
// the same statement. Returns materials.ErrNotFound,
// materials.ErrVersionMismatch or materials.ErrConflict.
func (r *Materials) Update(ctx context.Context, id, version int64, f materials.Fields, at time.Time) (materials.Material, error) {
	updated, err := nanos(at)
	if err != nil {
		return materials.Material{}, err
	}
	amount, currency := priceColumns(f.Price)
	args := []any{f.Name, f.Quality, f.Thickness, f.IsActive, amount, currency, updated, id}
	query := r.update
	if version != 0 {
		query, args = r.updateAt, append(args, version)
	}
	var row materialRow
	err = on(ctx, r.db).GetContext(ctx, &row, query, args...)
	if err != nil {
		err = writeError("update material", err)
		if version != 0 && errors.Is(err, materials.ErrNotFound) {
			return materials.Material{}, r.missed(ctx, id)
		}
		return materials.Material{}, err
	}
	return row.material(), nil
}

// Delete removes material id, which must be at version unless version is
// 0, checked in the same statement. Returns materials.ErrNotFound or
// materials.ErrVersionMismatch.
func (r *Materials) Delete(ctx context.Context, id, version int64) error {
	query, args := r.remove, []any{id}
	if version != 0 {
		query, args = r.removeAt, append(args, version)
	}
	res, err := on(ctx, r.db).ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("sqldb: delete material: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqldb: delete material: %w", err)
	}
	if n == 0 {
		if version != 0 {
			return r.missed(ctx, id)
		}
		return materials.ErrNotFound
	}
	return nil
}

// missed says why a conditional write changed no row: the material is
// gone (materials.ErrNotFound) or at another version
// (materials.ErrVersionMismatch). The write has already been refused; this
// read only names the reason, so it need not be atomic with it.
func (r *Materials) missed(ctx context.Context, id int64) error {
	if _, err := r.Get(ctx, id); err != nil {
		return err
	}
	return materials.ErrVersionMismatch
}

// Count returns how many materials match f.
func (r *Materials) Count(ctx context.Context, f materials.Filter) (int64, error) {
	where, args := whereClause(f)
	var n int64
	if err := on(ctx, r.db).GetContext(ctx, &n, r.db.Rebind("SELECT COUNT(*) FROM materials"+where), args...); err != nil {
		return 0, fmt.Errorf("sqldb: count materials: %w", err)
	}
	return n, nil
}

// orderColumns is the allow-list of orderings: the only way a field becomes
// an identifier in SQL. The empty field sorts by id, like the zero Order.
var orderColumns = map[materials.Field]string{
	"":                    "id",
	materials.ByID:        "id",
	materials.ByName:      "name",
	materials.ByQuality:   "quality",
	materials.ByThickness: "thickness",
	materials.ByCreatedAt: "created_at",
}

// Find returns the page q selects, ties broken by ascending id. A Limit of
// zero or less means no limit. Returns materials.ErrInvalidOrdering for a
// field that is not sortable.
func (r *Materials) Find(ctx context.Context, q materials.Query) ([]materials.Material, error) {
	column, ok := orderColumns[q.Order.By]
	if !ok {
		return nil, materials.ErrInvalidOrdering
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
	where, args := whereClause(q.Filter)
	var query strings.Builder
	query.WriteString("SELECT " + materialColumns + " FROM materials" + where + " ORDER BY " + column + direction)
	if column != "id" {
		query.WriteString(", id ASC")
	}
	query.WriteString(" LIMIT ? OFFSET ?")
	args = append(args, limit, max(q.Offset, 0))

	var rows []materialRow
	if err := on(ctx, r.db).SelectContext(ctx, &rows, r.db.Rebind(query.String()), args...); err != nil {
		return nil, fmt.Errorf("sqldb: find materials: %w", err)
	}
	out := make([]materials.Material, len(rows))
	for i, row := range rows {
		out[i] = row.material()
	}
	return out, nil
}

// whereClause turns f into a WHERE clause with ? placeholders.
func whereClause(f materials.Filter) (string, []any) {
	var conds []string
	var args []any
	if f.CompanyID != 0 {
		conds = append(conds, "company_id = ?")
		args = append(args, f.CompanyID)
	}
	if f.IsActive != nil {
		conds = append(conds, "is_active = ?")
		args = append(args, *f.IsActive)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Times outside this range do not fit in int64 nanoseconds.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// nanos is t as stored. It refuses times int64 nanoseconds cannot hold
// (before 1677 or after 2262) instead of silently storing another instant.
func nanos(t time.Time) (int64, error) {
	if t.Before(minTime) || t.After(maxTime) {
		return 0, fmt.Errorf("sqldb: time %v is outside the storable range %v to %v", t, minTime.UTC(), maxTime.UTC())
	}
	return t.UnixNano(), nil
}

func readError(op string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return materials.ErrNotFound
	}
	return fmt.Errorf("sqldb: %s: %w", op, err)
}

func writeError(op string, err error) error {
	if isUniqueViolation(err) {
		return materials.ErrConflict
	}
	return readError(op, err)
}
