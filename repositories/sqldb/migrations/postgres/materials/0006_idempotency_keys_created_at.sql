-- The scheduled sweep deletes the keys of the Idempotency-Key header past
-- their time by age (services/platform/idempotency).
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
