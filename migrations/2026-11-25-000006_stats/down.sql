DROP INDEX payments_user_channel;
DROP INDEX subscriptions_channel_created;
