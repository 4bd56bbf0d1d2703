-- Quotes' copies of the materials of the materials service: the read
-- model submissions are priced from, kept from materials' created,
-- updated and deleted events, so that quoting needs no answer from
-- materials. One row per material, never shared with the materials
-- service's own tables. A kept change replaces the whole row, and only
-- when it is later than the row (see the stories' MaterialCopy.Supersedes):
-- version is the material's version after the change (0 when the event
-- does not say) and changed_at when it changed, in Unix nanoseconds in
-- UTC as in the other tables. A deleted row stays deleted: materials
-- never reuses an ID. The price's amount and currency are both NULL for a
-- material with no price.
CREATE TABLE material_copies (
    material_id    BIGINT           PRIMARY KEY,
    company_id     BIGINT           NOT NULL,
    name           TEXT             NOT NULL,
    thickness      DOUBLE PRECISION NOT NULL,
    is_active      BOOLEAN          NOT NULL,
    price_amount   BIGINT,
    price_currency TEXT,
    deleted        BOOLEAN          NOT NULL,
    version        BIGINT           NOT NULL CHECK (version >= 0),
    changed_at     BIGINT           NOT NULL,
    CHECK ((price_amount IS NULL) = (price_currency IS NULL))
);
