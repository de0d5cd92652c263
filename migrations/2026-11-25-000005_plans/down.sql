DROP INDEX payments_created;
DROP INDEX end_users_created;
DROP INDEX user_admins_created;
DROP INDEX platform_payments_created;
DROP INDEX platform_payments_one_pending;
ALTER TABLE platform_payments DROP CONSTRAINT platform_payments_amount_check;
ALTER TABLE platform_payments DROP COLUMN receipts;
ALTER TABLE platform_payments DROP COLUMN method;
ALTER TABLE platform_payments ADD CONSTRAINT platform_payments_amount_check CHECK (amount > 0);
