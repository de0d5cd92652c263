-- The seven tables of the seed design (§6), with what the spec adds:
-- bot Telegram id unique, webhook secret, health state, payment review fields,
-- invite-link / join-request tracking, platform plan payments.
-- Money is NUMERIC(12,2); times are TIMESTAMPTZ; enumerations are CHECKed text.

CREATE TABLE user_admins (
    id BIGSERIAL PRIMARY KEY,
    telegram_id BIGINT NOT NULL UNIQUE,
    username VARCHAR(255),
    full_name VARCHAR(255) NOT NULL DEFAULT '',
    language VARCHAR(5) NOT NULL DEFAULT 'uz' CHECK (language IN ('uz', 'en', 'ru')),
    banned BOOLEAN NOT NULL DEFAULT FALSE,
    notify_new_end_users BOOLEAN NOT NULL DEFAULT TRUE,
    notify_joins BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE user_bots (
    id BIGSERIAL PRIMARY KEY,
    user_admin_id BIGINT NOT NULL REFERENCES user_admins (id) ON DELETE CASCADE,
    telegram_bot_id BIGINT NOT NULL UNIQUE,
    bot_token TEXT NOT NULL,
    bot_username VARCHAR(255) NOT NULL,
    webhook_secret VARCHAR(256) NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    health VARCHAR(16) NOT NULL DEFAULT 'alive'
        CHECK (health IN ('alive', 'dead', 'revoked', 'failed')),
    health_changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error TEXT,
    welcome_message JSONB NOT NULL DEFAULT '{}'::jsonb,
    payment_method VARCHAR(50) NOT NULL DEFAULT 'card',
    payment_methods TEXT[] NOT NULL DEFAULT ARRAY['card']::TEXT[],
    card_number VARCHAR(20),
    card_holder VARCHAR(255),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One live seller bot per owner (seed rule); a disconnected bot keeps its data.
CREATE UNIQUE INDEX user_bots_one_active_per_owner ON user_bots (user_admin_id) WHERE is_active;

CREATE TABLE channels (
    id BIGSERIAL PRIMARY KEY,
    user_bot_id BIGINT NOT NULL REFERENCES user_bots (id) ON DELETE CASCADE,
    telegram_chat_id BIGINT NOT NULL,
    type VARCHAR(16) NOT NULL CHECK (type IN ('channel', 'group')),
    title VARCHAR(255) NOT NULL DEFAULT '',
    price NUMERIC(12, 2) CHECK (price > 0),
    currency VARCHAR(10) NOT NULL DEFAULT 'UZS',
    duration_months INTEGER NOT NULL DEFAULT 1 CHECK (duration_months IN (0, 1, 6, 12)),
    link_status VARCHAR(16) NOT NULL DEFAULT 'pending'
        CHECK (link_status IN ('pending', 'linked', 'broken', 'unlinked')),
    can_invite_users BOOLEAN NOT NULL DEFAULT FALSE,
    can_restrict_members BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (user_bot_id, telegram_chat_id)
);
-- At most one linked channel and one linked group per bot.
CREATE UNIQUE INDEX channels_one_per_type ON channels (user_bot_id, type) WHERE link_status = 'linked';

CREATE TABLE end_users (
    id BIGSERIAL PRIMARY KEY,
    telegram_id BIGINT NOT NULL,
    user_bot_id BIGINT NOT NULL REFERENCES user_bots (id) ON DELETE CASCADE,
    username VARCHAR(255),
    full_name VARCHAR(255) NOT NULL DEFAULT '',
    language VARCHAR(5) CHECK (language IN ('uz', 'en', 'ru')),
    banned BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (telegram_id, user_bot_id)
);
CREATE INDEX end_users_telegram_id ON end_users (telegram_id);

CREATE TABLE payments (
    id BIGSERIAL PRIMARY KEY,
    end_user_id BIGINT NOT NULL REFERENCES end_users (id) ON DELETE CASCADE,
    user_bot_id BIGINT NOT NULL REFERENCES user_bots (id) ON DELETE CASCADE,
    channel_id BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    amount NUMERIC(12, 2) NOT NULL CHECK (amount > 0),
    currency VARCHAR(10) NOT NULL DEFAULT 'UZS',
    duration_months INTEGER NOT NULL CHECK (duration_months IN (0, 1, 6, 12)),
    payment_method VARCHAR(50) NOT NULL DEFAULT 'card',
    status VARCHAR(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    screenshot_file_id TEXT,
    screenshot_kind VARCHAR(16) CHECK (screenshot_kind IN ('photo', 'document')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    approved_at TIMESTAMPTZ,
    reviewed_at TIMESTAMPTZ,
    reviewed_by BIGINT,
    reject_reason TEXT
);
CREATE INDEX payments_status ON payments (status);
CREATE INDEX payments_bot_created ON payments (user_bot_id, created_at);

CREATE TABLE subscriptions (
    id BIGSERIAL PRIMARY KEY,
    end_user_id BIGINT NOT NULL REFERENCES end_users (id) ON DELETE CASCADE,
    channel_id BIGINT NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    payment_id BIGINT REFERENCES payments (id) ON DELETE SET NULL,
    invite_link TEXT UNIQUE,
    link_used BOOLEAN NOT NULL DEFAULT FALSE,
    link_revoked_at TIMESTAMPTZ,
    join_requested_at TIMESTAMPTZ,
    joined_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ,
    kicked_at TIMESTAMPTZ,
    status VARCHAR(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired', 'kicked')),
    notified_3day BOOLEAN NOT NULL DEFAULT FALSE,
    notified_1day BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX subscriptions_expiry ON subscriptions (expires_at, status);
CREATE INDEX subscriptions_end_user ON subscriptions (end_user_id, channel_id);

CREATE TABLE admin_subscriptions (
    id BIGSERIAL PRIMARY KEY,
    user_admin_id BIGINT NOT NULL REFERENCES user_admins (id) ON DELETE CASCADE,
    plan VARCHAR(16) NOT NULL CHECK (plan IN ('free', '1month', '6month', '12month')),
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ,
    amount_paid NUMERIC(12, 2) NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
    status VARCHAR(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired')),
    notified_3day BOOLEAN NOT NULL DEFAULT FALSE,
    notified_1day BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX admin_subscriptions_owner ON admin_subscriptions (user_admin_id, status);
CREATE INDEX admin_subscriptions_expiry ON admin_subscriptions (expires_at, status);

-- Owners' plan payments to the platform, reviewed by a moderator.
CREATE TABLE platform_payments (
    id BIGSERIAL PRIMARY KEY,
    user_admin_id BIGINT NOT NULL REFERENCES user_admins (id) ON DELETE CASCADE,
    plan VARCHAR(16) NOT NULL CHECK (plan IN ('1month', '6month', '12month')),
    amount NUMERIC(12, 2) NOT NULL CHECK (amount > 0),
    status VARCHAR(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    screenshot_file_id TEXT,
    screenshot_kind VARCHAR(16) CHECK (screenshot_kind IN ('photo', 'document')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    reviewed_at TIMESTAMPTZ,
    reviewed_by BIGINT,
    reject_reason TEXT
);
CREATE INDEX platform_payments_status ON platform_payments (status);
