-- Times are Unix nanoseconds in UTC: SQLite has no timestamp type, and
-- integers sort by instant and keep every digit a time.Time has.
CREATE TABLE materials (
    id         INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: ids are never reused
    company_id INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    quality    TEXT    NOT NULL,
    thickness  REAL    NOT NULL,
    is_active  INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE UNIQUE INDEX materials_company_name ON materials (company_id, name);
