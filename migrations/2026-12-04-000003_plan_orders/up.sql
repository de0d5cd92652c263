-- Platform plans paid through Payme, Click or Uzum, into the platform's own merchant account.
-- An order now buys one of two things: a customer's access to a chat (bot, customer, chat)
-- or an owner's plan (owner, plan code). The database keeps them apart, keeps one open plan
-- order per owner, and one plan payment per order.
ALTER TABLE orders ALTER COLUMN end_user_id DROP NOT NULL;
ALTER TABLE orders ALTER COLUMN user_bot_id DROP NOT NULL;
ALTER TABLE orders ALTER COLUMN channel_id DROP NOT NULL;
ALTER TABLE orders ADD COLUMN user_admin_id BIGINT REFERENCES user_admins(id) ON DELETE CASCADE;
ALTER TABLE orders ADD COLUMN plan VARCHAR(16) CHECK (plan IN ('1month', '6month', '12month'));
ALTER TABLE orders ADD CONSTRAINT orders_access_or_plan CHECK (
    (user_bot_id IS NOT NULL AND end_user_id IS NOT NULL AND channel_id IS NOT NULL
        AND user_admin_id IS NULL AND plan IS NULL)
    OR (user_bot_id IS NULL AND end_user_id IS NULL AND channel_id IS NULL
        AND user_admin_id IS NOT NULL AND plan IS NOT NULL));
CREATE UNIQUE INDEX orders_one_open_plan_per_owner ON orders (user_admin_id)
    WHERE status = 'open' AND user_admin_id IS NOT NULL;

ALTER TABLE platform_payments ADD COLUMN order_id BIGINT REFERENCES orders(id);
ALTER TABLE platform_payments ADD COLUMN provider_transaction VARCHAR(64);
CREATE UNIQUE INDEX platform_payments_one_per_order ON platform_payments (order_id) WHERE order_id IS NOT NULL;
ALTER TABLE platform_payments DROP CONSTRAINT platform_payments_status_check;
ALTER TABLE platform_payments ADD CONSTRAINT platform_payments_status_check
    CHECK (status IN ('pending', 'approved', 'rejected', 'refunded'));
ALTER TABLE platform_payments DROP CONSTRAINT platform_payments_method_check;
ALTER TABLE platform_payments ADD CONSTRAINT platform_payments_method_check
    CHECK (method IN ('card', 'manual', 'payme', 'click', 'uzum'));
