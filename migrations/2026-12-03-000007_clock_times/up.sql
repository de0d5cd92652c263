-- Time comes from one place: the application's clock. A column default of the database's
-- `now()` would stamp rows with the real date while every window (statistics, expiry,
-- warnings) is computed from the injected clock, so tests and replays would depend on the
-- day they run. Without the defaults, an insert that forgets a time fails loudly instead.
ALTER TABLE user_admins ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE user_bots ALTER COLUMN health_changed_at DROP DEFAULT;
ALTER TABLE user_bots ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE channels ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE end_users ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE payments ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE subscriptions ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE admin_subscriptions ALTER COLUMN started_at DROP DEFAULT;
ALTER TABLE platform_payments ALTER COLUMN created_at DROP DEFAULT;
ALTER TABLE outbox ALTER COLUMN created_at DROP DEFAULT;
