-- Which relay publishes the outbox (services/platform/events): replicas of
-- a service each run one, and the one whose lease has not expired
-- publishes while the others stand by, so that events are published once
-- rather than raced for (the broker's de-duplication and the consumers'
-- inboxes would absorb the copies, at a cost). A relay renews its lease
-- while it runs and deletes it when it stops; expires_at is Unix
-- nanoseconds in UTC.
CREATE TABLE outbox_lease (
    name       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    holder     TEXT COLLATE "C" NOT NULL,
    expires_at BIGINT NOT NULL
);
