-- Effects an update queued for later (messages to owners, receipts forwarded to them): sent by
-- the courier at the pace Telegram allows, so they never hold up the update that planned them.
-- One row per planned effect (dedupe_key = bot:update:index), so a redelivery that queues it
-- again changes nothing: at least once, and once per recipient.
CREATE TABLE deliveries (
    id BIGSERIAL PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    bot_id BIGINT NOT NULL,
    reply_chat BIGINT NOT NULL,
    effect JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    claimed_until TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    done_at TIMESTAMPTZ
);
CREATE INDEX deliveries_due ON deliveries (due_at, id) WHERE done_at IS NULL;
