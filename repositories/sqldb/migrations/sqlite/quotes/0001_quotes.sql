-- Times are Unix nanoseconds in UTC: SQLite has no timestamp type, and
-- integers sort by instant and keep every digit a time.Time has. Amounts
-- are integers in minor units, never floats.
--
-- version counts the writes to a quote; a submission is conditional on it.
-- total_amount and total_currency, valid_until and submitted_at are NULL
-- until the quote is submitted, decided_at until it is accepted or rejected.
CREATE TABLE quotes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: ids are never reused
    company_id     INTEGER NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'accepted', 'rejected', 'expired')),
    version        INTEGER NOT NULL,
    total_amount   INTEGER,
    total_currency TEXT,
    valid_until    INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    submitted_at   INTEGER,
    decided_at     INTEGER,
    CHECK ((total_amount IS NULL) = (total_currency IS NULL))
);

-- An external caller's list keeps to its company.
CREATE INDEX quotes_company ON quotes (company_id);
-- The expiry job looks for submitted quotes by validity.
CREATE INDEX quotes_state_valid_until ON quotes (state, valid_until);

-- The lines of a quote, in the order the company gave them (position from
-- 0). The priced columns are empty ('' and 0) until the quote is submitted.
CREATE TABLE quote_lines (
    quote_id            INTEGER NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    material_id         INTEGER NOT NULL,
    quantity            INTEGER NOT NULL,
    width_mm            INTEGER NOT NULL,
    height_mm           INTEGER NOT NULL,
    material_name       TEXT    NOT NULL,
    unit_price_amount   INTEGER NOT NULL,
    unit_price_currency TEXT    NOT NULL,
    total_amount        INTEGER NOT NULL,
    total_currency      TEXT    NOT NULL,
    PRIMARY KEY (quote_id, position)
);
