ALTER TABLE subscriptions DROP COLUMN invite_delivery;
