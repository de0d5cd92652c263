DROP INDEX subscriptions_removing;
DROP INDEX subscriptions_one_live;
UPDATE subscriptions SET status = 'active' WHERE status = 'removing';
CREATE UNIQUE INDEX subscriptions_one_active ON subscriptions (end_user_id, channel_id) WHERE status = 'active';
ALTER TABLE subscriptions DROP COLUMN removal_retry_at;
ALTER TABLE subscriptions DROP COLUMN removal_attempts;
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_status_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status_check CHECK (status IN ('active', 'expired', 'kicked'));
