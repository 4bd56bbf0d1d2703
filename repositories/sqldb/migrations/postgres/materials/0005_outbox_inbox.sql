-- The transactional outbox and inbox (services/platform/events). A story
-- writes the events it records into outbox in its own transaction, so an
-- event exists iff the change it tells of committed; the relay publishes
-- the rows in seq order and marks them published. A consumer writes an
-- inbox row of each event id it handles in the handler's transaction, so
-- that a redelivered event changes nothing. Times are Unix nanoseconds in
-- UTC, as in the other tables; data is the payload's JSON as written.
CREATE TABLE outbox (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           TEXT COLLATE "C" NOT NULL UNIQUE,
    type         TEXT COLLATE "C" NOT NULL,
    subject      TEXT COLLATE "C" NOT NULL,
    time         BIGINT           NOT NULL,
    data         TEXT             NOT NULL,
    published_at BIGINT
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

CREATE TABLE inbox (
    consumer   TEXT COLLATE "C" NOT NULL,
    event_id   TEXT COLLATE "C" NOT NULL,
    handled_at BIGINT           NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
