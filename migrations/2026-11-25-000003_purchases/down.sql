DROP INDEX subscriptions_one_active;
DROP INDEX payments_one_pending;
ALTER TABLE payments DROP COLUMN receipts;
ALTER TABLE payments DROP CONSTRAINT payments_amount_check;
ALTER TABLE payments ADD CONSTRAINT payments_amount_check CHECK (amount > 0);
