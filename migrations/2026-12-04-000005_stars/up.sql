-- Telegram Stars: a chat's price in Stars (alongside or instead of its UZS price), orders paid
-- in Stars (XTR; a 1-month chat is sold as a Telegram subscription that renews every 30 days),
-- the subscriptions Telegram renews, and each Stars charge granted once.

ALTER TABLE channels ADD COLUMN price_stars INT CHECK (price_stars BETWEEN 1 AND 10000);

-- An order's currency: UZS (its amount in tiyin) or XTR (its amount in whole Stars). A Stars
-- order for a 1-month chat renews (a Telegram subscription).
ALTER TABLE orders ADD COLUMN currency VARCHAR(3) NOT NULL DEFAULT 'UZS' CHECK (currency IN ('UZS', 'XTR'));
ALTER TABLE orders ADD COLUMN renews BOOLEAN NOT NULL DEFAULT false;

-- A Stars charge (its `telegram_payment_charge_id`) grants once, whoever delivers it again.
CREATE UNIQUE INDEX payments_one_per_stars_charge ON payments (provider_transaction)
    WHERE payment_method = 'stars';
-- A period counted in days instead of months (a Stars subscription's 30 days).
ALTER TABLE payments ADD COLUMN period_days INT CHECK (period_days > 0);

-- A monthly Stars subscription: the order it began with (its invoice payload), the first
-- charge (which names it to `editUserStarSubscription`), whether Telegram will renew it, and
-- how far it is paid.
CREATE TABLE star_subscriptions (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL UNIQUE REFERENCES orders(id) ON DELETE CASCADE,
    user_bot_id BIGINT NOT NULL REFERENCES user_bots(id) ON DELETE CASCADE,
    end_user_id BIGINT NOT NULL REFERENCES end_users(id) ON DELETE CASCADE,
    channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    first_charge_id VARCHAR(128) NOT NULL UNIQUE,
    -- active: Telegram renews it; canceled: by the customer or the owner; failed: a renewal
    -- could not be charged. Either way access runs to `paid_until`.
    state VARCHAR(16) NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'canceled', 'failed')),
    paid_until TIMESTAMPTZ NOT NULL,
    renewals INT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX star_subscriptions_by_customer ON star_subscriptions (end_user_id, channel_id);

-- Changes of a Stars subscription, for the owner's statistics.
CREATE TABLE star_subscription_events (
    id BIGSERIAL PRIMARY KEY,
    star_subscription_id BIGINT NOT NULL REFERENCES star_subscriptions(id) ON DELETE CASCADE,
    user_bot_id BIGINT NOT NULL REFERENCES user_bots(id) ON DELETE CASCADE,
    state VARCHAR(16) NOT NULL CHECK (state IN ('active', 'canceled', 'failed')),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX star_subscription_events_by_bot ON star_subscription_events (user_bot_id, created_at);

-- The Stars price shows in the shop: changing it raises the bot's settings version.
DROP TRIGGER channels_settings_version_changed ON channels;
CREATE TRIGGER channels_settings_version_changed AFTER UPDATE ON channels
    FOR EACH ROW
    WHEN ((OLD.user_bot_id, OLD.telegram_chat_id, OLD.type, OLD.title, OLD.price, OLD.currency,
           OLD.duration_months, OLD.link_status, OLD.can_invite_users, OLD.can_restrict_members,
           OLD.price_stars)
          IS DISTINCT FROM
          (NEW.user_bot_id, NEW.telegram_chat_id, NEW.type, NEW.title, NEW.price, NEW.currency,
           NEW.duration_months, NEW.link_status, NEW.can_invite_users, NEW.can_restrict_members,
           NEW.price_stars))
    EXECUTE FUNCTION channels_settings_version();

-- Telegram's charge ids are longer than the providers' transaction ids.
ALTER TABLE payments ALTER COLUMN provider_transaction TYPE VARCHAR(128);
