-- The keys of the Idempotency-Key header (services/platform/idempotency):
-- one row per key a caller sent, written in progress in a transaction of
-- its own before the work, and done, with the answer to replay, in the
-- transaction of the work itself, so that a quote is never created or moved
-- without the answer that says so, nor an answer kept for a change that
-- was not. Keys belong to the caller (the token's subject). Times are Unix
-- nanoseconds in UTC, as in the other tables.
CREATE TABLE idempotency_keys (
    subject      TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('in_progress', 'done')),
    status       INTEGER NOT NULL DEFAULT 0,
    headers      TEXT    NOT NULL DEFAULT '{}',
    body         BLOB    NOT NULL DEFAULT x'',
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (subject, key)
);
-- The scheduled sweep deletes the keys past their time by age.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
