-- End-user purchases: a manual grant is a payment of amount 0; one pending payment per
-- user and chat (a second receipt joins it); one active subscription per user and chat (a
-- renewal extends it); invite links are looked up by their URL.
ALTER TABLE payments DROP CONSTRAINT payments_amount_check;
ALTER TABLE payments ADD CONSTRAINT payments_amount_check
    CHECK (amount > 0 OR (payment_method = 'manual' AND amount = 0));
ALTER TABLE payments ADD COLUMN receipts INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX payments_one_pending ON payments (end_user_id, channel_id) WHERE status = 'pending';
CREATE UNIQUE INDEX subscriptions_one_active ON subscriptions (end_user_id, channel_id) WHERE status = 'active';
