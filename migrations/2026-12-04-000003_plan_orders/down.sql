ALTER TABLE platform_payments DROP CONSTRAINT platform_payments_method_check;
DELETE FROM platform_payments WHERE method IN ('payme', 'click', 'uzum');
ALTER TABLE platform_payments ADD CONSTRAINT platform_payments_method_check CHECK (method IN ('card', 'manual'));
ALTER TABLE platform_payments DROP CONSTRAINT platform_payments_status_check;
ALTER TABLE platform_payments ADD CONSTRAINT platform_payments_status_check
    CHECK (status IN ('pending', 'approved', 'rejected'));
DROP INDEX platform_payments_one_per_order;
ALTER TABLE platform_payments DROP COLUMN provider_transaction;
ALTER TABLE platform_payments DROP COLUMN order_id;
DELETE FROM orders WHERE user_admin_id IS NOT NULL;
DROP INDEX orders_one_open_plan_per_owner;
ALTER TABLE orders DROP CONSTRAINT orders_access_or_plan;
ALTER TABLE orders DROP COLUMN plan;
ALTER TABLE orders DROP COLUMN user_admin_id;
ALTER TABLE orders ALTER COLUMN channel_id SET NOT NULL;
ALTER TABLE orders ALTER COLUMN user_bot_id SET NOT NULL;
ALTER TABLE orders ALTER COLUMN end_user_id SET NOT NULL;
