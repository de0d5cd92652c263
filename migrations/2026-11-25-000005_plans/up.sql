-- Plans bought in the bot and granted by moderators: a manual grant is a plan payment of 0
-- made by a moderator; an owner has at most one pending plan payment (a second receipt
-- joins it); dates are scanned by the statistics.
ALTER TABLE platform_payments ADD COLUMN method VARCHAR(16) NOT NULL DEFAULT 'card'
    CHECK (method IN ('card', 'manual'));
ALTER TABLE platform_payments ADD COLUMN receipts INT NOT NULL DEFAULT 0;
ALTER TABLE platform_payments DROP CONSTRAINT platform_payments_amount_check;
ALTER TABLE platform_payments ADD CONSTRAINT platform_payments_amount_check
    CHECK (amount > 0 OR (amount = 0 AND method = 'manual'));
CREATE UNIQUE INDEX platform_payments_one_pending ON platform_payments (user_admin_id) WHERE status = 'pending';
CREATE INDEX platform_payments_created ON platform_payments (created_at);
-- The dashboard counts new owners, new end users and payments by creation time.
CREATE INDEX user_admins_created ON user_admins (created_at);
CREATE INDEX end_users_created ON end_users (created_at);
CREATE INDEX payments_created ON payments (created_at);
