-- Platform events waiting to be delivered to moderators (transactional outbox): written in
-- the same transaction as the change they announce, drained by the ModeratorActor, so an
-- alert survives a crash between the change and its delivery (at-least-once).
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    payload JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    claimed_until TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TIMESTAMPTZ
);
CREATE INDEX outbox_pending ON outbox (id) WHERE sent_at IS NULL;
