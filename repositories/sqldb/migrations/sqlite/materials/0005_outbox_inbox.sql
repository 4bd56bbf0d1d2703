-- The transactional outbox and inbox (services/platform/events). A story
-- writes the events it records into outbox in its own transaction, so an
-- event exists iff the change it tells of committed; the relay publishes
-- the rows in seq order and marks them published. A consumer writes an
-- inbox row of each event id it handles in the handler's transaction, so
-- that a redelivered event changes nothing. Times are Unix nanoseconds in
-- UTC, as in the other tables; data is the payload's JSON as written.
-- AUTOINCREMENT never hands out a seq again once purged rows had it.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL UNIQUE,
    type         TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    time         INTEGER NOT NULL,
    data         TEXT    NOT NULL,
    published_at INTEGER
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE inbox (
    consumer   TEXT    NOT NULL,
    event_id   TEXT    NOT NULL,
    handled_at INTEGER NOT NULL,
    PRIMARY KEY (consumer, event_id)
) WITHOUT ROWID;
