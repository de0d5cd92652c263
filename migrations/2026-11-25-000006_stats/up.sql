-- Owners' statistics count subscriptions per chat by creation time, and the export and
-- renewal checks look up a user's payments per chat.
CREATE INDEX subscriptions_channel_created ON subscriptions (channel_id, created_at);
CREATE INDEX payments_user_channel ON payments (end_user_id, channel_id, created_at);
