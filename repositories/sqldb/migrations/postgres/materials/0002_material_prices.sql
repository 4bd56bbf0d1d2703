-- The price of one square metre of a material, as money: an integer
-- amount in the currency's minor unit, never a float, and its ISO 4217
-- code. Both are NULL for a material with no price yet, as every existing
-- material is after this migration; the CHECK keeps a half price (an
-- amount without a currency or the reverse) from ever being stored.
-- Nullable columns with no default are added without rewriting the
-- table. The stories refuse a negative amount or a malformed code before
-- it gets here; the CHECK also holds any other writer to them.
ALTER TABLE materials
    ADD COLUMN price_amount   BIGINT,
    ADD COLUMN price_currency TEXT,
    ADD CONSTRAINT materials_price CHECK (
        (price_amount IS NULL) = (price_currency IS NULL)
        AND (price_amount IS NULL OR price_amount >= 0)
        AND (price_currency IS NULL OR price_currency ~ '^[A-Z]{3}$')
    );
