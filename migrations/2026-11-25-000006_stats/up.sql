-- Owners' statistics: subscriptions per chat by creation time, new customers per bot by
-- creation time, and the renewal check (an earlier approved payment of the same user for
-- the same chat) answered from the index alone.
CREATE INDEX subscriptions_channel_created ON subscriptions (channel_id, created_at);
CREATE INDEX end_users_bot_created ON end_users (user_bot_id, created_at);
CREATE INDEX payments_approved_user_channel ON payments (end_user_id, channel_id, created_at, id)
    WHERE status = 'approved';
