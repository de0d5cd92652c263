-- Automatic payments (Payme, Click, Uzum): each seller bot's merchant account, the orders its
-- customers pay, and the providers' transactions on them. The database guards the money:
-- one open order per customer and chat, one waiting transaction per order and provider, one
-- performed transaction per order, and one payment per order.

CREATE TABLE payment_accounts (
    id BIGSERIAL PRIMARY KEY,
    user_bot_id BIGINT NOT NULL UNIQUE REFERENCES user_bots(id) ON DELETE CASCADE,
    -- The unguessable part of the account's endpoint URLs (not the bot id).
    route_key VARCHAR(48) NOT NULL UNIQUE,
    payme_merchant_id VARCHAR(64),
    -- Keys are Fernet ciphertexts, encrypted like bot tokens.
    payme_key TEXT,
    payme_test_key TEXT,
    payme_test_mode BOOLEAN NOT NULL DEFAULT FALSE,
    payme_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    end_user_id BIGINT NOT NULL REFERENCES end_users(id) ON DELETE CASCADE,
    user_bot_id BIGINT NOT NULL REFERENCES user_bots(id) ON DELETE CASCADE,
    channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    -- Fixed when the order is made, from the chat's price: 1 so'm = 100 tiyin.
    amount_tiyin BIGINT NOT NULL CHECK (amount_tiyin > 0),
    duration_months INT NOT NULL,
    -- open / paid / cancelled / refunded
    status VARCHAR(16) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'cancelled', 'refunded')),
    created_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX orders_one_open_per_customer_chat ON orders (end_user_id, channel_id) WHERE status = 'open';

CREATE TABLE provider_transactions (
    id BIGSERIAL PRIMARY KEY,
    -- payme / click / uzum
    provider VARCHAR(8) NOT NULL,
    -- The provider's own transaction id: the idempotency key.
    external_id VARCHAR(64) NOT NULL,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    amount_tiyin BIGINT NOT NULL,
    -- 1 created, 2 performed, -1 cancelled before perform, -2 cancelled after perform (refund)
    state SMALLINT NOT NULL DEFAULT 1 CHECK (state IN (1, 2, -1, -2)),
    -- The provider's own time of the transaction (Payme's `time`, Unix ms).
    provider_time BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    performed_at TIMESTAMPTZ,
    cancelled_at TIMESTAMPTZ,
    reason SMALLINT,
    payment_id BIGINT,
    UNIQUE (provider, external_id)
);
CREATE UNIQUE INDEX provider_transactions_one_waiting ON provider_transactions (order_id, provider) WHERE state = 1;
CREATE UNIQUE INDEX provider_transactions_one_performed ON provider_transactions (order_id) WHERE state IN (2, -2);
CREATE INDEX provider_transactions_by_time ON provider_transactions (provider, provider_time);

-- A payment made through a provider names its order (one payment per order) and the
-- provider's transaction id (for the CSV export and the customer card).
ALTER TABLE payments ADD COLUMN order_id BIGINT REFERENCES orders(id);
ALTER TABLE payments ADD COLUMN provider_transaction VARCHAR(64);
CREATE UNIQUE INDEX payments_one_per_order ON payments (order_id) WHERE order_id IS NOT NULL;
ALTER TABLE provider_transactions ADD CONSTRAINT provider_transactions_payment
    FOREIGN KEY (payment_id) REFERENCES payments(id);

-- A provider can refund a payment (Payme's cancel after perform, Uzum's reverse).
ALTER TABLE payments DROP CONSTRAINT payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
    CHECK (status IN ('pending', 'approved', 'rejected', 'refunded'));
