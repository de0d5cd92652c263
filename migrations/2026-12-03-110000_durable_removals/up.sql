-- Removal is durable work. The expiry job marks a subscription `removing` in its own
-- committed statement right before the ban (guarded: still active and still due), and it
-- stays `removing` until Telegram confirms; failed attempts are counted and retried after
-- `removal_retry_at` (exponential backoff). A renewal approved while a row is `removing`
-- takes it back to `active` (see `subscriptions::grant_or_extend`), so one person never has
-- two live subscriptions to a chat: the unique index now covers both states.
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_status_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status_check
    CHECK (status IN ('active', 'removing', 'expired', 'kicked'));
ALTER TABLE subscriptions ADD COLUMN removal_attempts INT NOT NULL DEFAULT 0;
ALTER TABLE subscriptions ADD COLUMN removal_retry_at TIMESTAMPTZ;
DROP INDEX subscriptions_one_active;
CREATE UNIQUE INDEX subscriptions_one_live ON subscriptions (end_user_id, channel_id)
    WHERE status IN ('active', 'removing');
CREATE INDEX subscriptions_removing ON subscriptions (removal_retry_at, id) WHERE status = 'removing';
