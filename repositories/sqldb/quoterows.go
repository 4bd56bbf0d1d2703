package sqldb

import (
	"database/sql"
	"time"

	"github.com/charterhq/charter/stories/quotes"
)

// The rows of quotes and quote_lines as stored: times are Unix
// nanoseconds, amounts minor units, and what a draft does not have yet is
// NULL.

// quoteColumns are the columns of quotes, as an UPDATE ... RETURNING
// names them.
const quoteColumns = `id, company_id, state, version, total_amount, total_currency, valid_until,
	created_at, updated_at, submitted_at, decided_at`

// quoteLineColumns are the columns of quotes q LEFT JOIN quote_lines l,
// the line's named apart: a quote without lines comes back as one row
// whose line columns are NULL.
const quoteLineColumns = `q.id AS id, q.company_id AS company_id, q.state AS state, q.version AS version,
	q.total_amount AS total_amount, q.total_currency AS total_currency, q.valid_until AS valid_until,
	q.created_at AS created_at, q.updated_at AS updated_at, q.submitted_at AS submitted_at,
	q.decided_at AS decided_at,
	l.position AS line_position, l.material_id AS line_material_id, l.quantity AS line_quantity,
	l.width_mm AS line_width_mm, l.height_mm AS line_height_mm, l.material_name AS line_material_name,
	l.unit_price_amount AS line_unit_price_amount, l.unit_price_currency AS line_unit_price_currency,
	l.total_amount AS line_total_amount, l.total_currency AS line_total_currency`

// quoteRow is a row of quotes.
type quoteRow struct {
	ID            int64          `db:"id"`
	CompanyID     int64          `db:"company_id"`
	State         string         `db:"state"`
	Version       int64          `db:"version"`
	TotalAmount   sql.NullInt64  `db:"total_amount"`
	TotalCurrency sql.NullString `db:"total_currency"`
	ValidUntil    sql.NullInt64  `db:"valid_until"`
	CreatedAt     int64          `db:"created_at"`
	UpdatedAt     int64          `db:"updated_at"`
	SubmittedAt   sql.NullInt64  `db:"submitted_at"`
	DecidedAt     sql.NullInt64  `db:"decided_at"`
}

// lineRow is the quote_lines part of a joined row: all NULL for a quote
// without lines.
type lineRow struct {
	Position          sql.NullInt64  `db:"line_position"`
	MaterialID        sql.NullInt64  `db:"line_material_id"`
	Quantity          sql.NullInt32  `db:"line_quantity"`
	WidthMM           sql.NullInt32  `db:"line_width_mm"`
	HeightMM          sql.NullInt32  `db:"line_height_mm"`
	MaterialName      sql.NullString `db:"line_material_name"`
	UnitPriceAmount   sql.NullInt64  `db:"line_unit_price_amount"`
	UnitPriceCurrency sql.NullString `db:"line_unit_price_currency"`
	TotalAmount       sql.NullInt64  `db:"line_total_amount"`
	TotalCurrency     sql.NullString `db:"line_total_currency"`
}

// quoteLineRow is a row of quotes joined to one of its lines.
type quoteLineRow struct {
	quoteRow
	lineRow
}

// toQuoteRow is q as stored, but for its ID, version and lines. It
// refuses times that int64 nanoseconds cannot hold.
func toQuoteRow(q quotes.Quote) (quoteRow, error) {
	row := quoteRow{CompanyID: q.CompanyID, State: string(q.State)}
	var err error
	if row.CreatedAt, err = nanos(q.CreatedAt); err != nil {
		return quoteRow{}, err
	}
	if row.UpdatedAt, err = nanos(q.UpdatedAt); err != nil {
		return quoteRow{}, err
	}
	for _, t := range []struct {
		from *time.Time
		to   *sql.NullInt64
	}{{q.ValidUntil, &row.ValidUntil}, {q.SubmittedAt, &row.SubmittedAt}, {q.DecidedAt, &row.DecidedAt}} {
		if t.from == nil {
			continue
		}
		n, err := nanos(*t.from)
		if err != nil {
			return quoteRow{}, err
		}
		*t.to = sql.NullInt64{Int64: n, Valid: true}
	}
	if q.Total != nil {
		row.TotalAmount = sql.NullInt64{Int64: q.Total.Amount, Valid: true}
		row.TotalCurrency = sql.NullString{String: q.Total.Currency, Valid: true}
	}
	return row, nil
}

// quote is the row as a quote with a copy of lines, so that the caller's
// slice and the result share nothing.
func (r quoteRow) quote(lines []quotes.Line) quotes.Quote {
	q := quotes.Quote{
		ID:          r.ID,
		CompanyID:   r.CompanyID,
		State:       quotes.State(r.State),
		Lines:       append(make([]quotes.Line, 0, len(lines)), lines...),
		ValidUntil:  timeOf(r.ValidUntil),
		Version:     r.Version,
		CreatedAt:   time.Unix(0, r.CreatedAt).UTC(),
		UpdatedAt:   time.Unix(0, r.UpdatedAt).UTC(),
		SubmittedAt: timeOf(r.SubmittedAt),
		DecidedAt:   timeOf(r.DecidedAt),
	}
	if r.TotalAmount.Valid {
		q.Total = &quotes.Money{Amount: r.TotalAmount.Int64, Currency: r.TotalCurrency.String}
	}
	return q
}

func (r lineRow) line() quotes.Line {
	return quotes.Line{
		MaterialID:   r.MaterialID.Int64,
		Quantity:     r.Quantity.Int32,
		WidthMM:      r.WidthMM.Int32,
		HeightMM:     r.HeightMM.Int32,
		MaterialName: r.MaterialName.String,
		UnitPrice:    quotes.Money{Amount: r.UnitPriceAmount.Int64, Currency: r.UnitPriceCurrency.String},
		Total:        quotes.Money{Amount: r.TotalAmount.Int64, Currency: r.TotalCurrency.String},
	}
}

// assemble turns joined rows, each quote's together and its lines in
// order, into quotes in the rows' order.
func assemble(rows []quoteLineRow) []quotes.Quote {
	out := []quotes.Quote{}
	for _, row := range rows {
		if len(out) == 0 || out[len(out)-1].ID != row.ID {
			out = append(out, row.quote(nil))
		}
		if row.Position.Valid {
			last := &out[len(out)-1]
			last.Lines = append(last.Lines, row.line())
		}
	}
	return out
}

// timeOf is a nullable time column as a time in UTC, or nil.
func timeOf(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := time.Unix(0, n.Int64).UTC()
	return &t
}
