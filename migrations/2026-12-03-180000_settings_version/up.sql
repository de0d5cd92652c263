-- A version of what a seller bot's shop shows (its row's settings and its chats), raised by
-- the database itself on every change, so a node may keep the shop in memory and check it
-- against the version read with the customer's row, at no extra round trip.
ALTER TABLE user_bots ADD COLUMN settings_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION user_bots_settings_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.user_admin_id, NEW.telegram_bot_id, NEW.bot_username, NEW.is_active, NEW.health,
        NEW.welcome_message, NEW.payment_methods, NEW.card_number, NEW.card_holder)
       IS DISTINCT FROM
       (OLD.user_admin_id, OLD.telegram_bot_id, OLD.bot_username, OLD.is_active, OLD.health,
        OLD.welcome_message, OLD.payment_methods, OLD.card_number, OLD.card_holder) THEN
        NEW.settings_version := OLD.settings_version + 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER user_bots_settings_version BEFORE UPDATE ON user_bots
    FOR EACH ROW EXECUTE FUNCTION user_bots_settings_version();

CREATE FUNCTION channels_settings_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE user_bots SET settings_version = settings_version + 1 WHERE id = OLD.user_bot_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE user_bots SET settings_version = settings_version + 1 WHERE id = NEW.user_bot_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER channels_settings_version_written AFTER INSERT OR DELETE ON channels
    FOR EACH ROW EXECUTE FUNCTION channels_settings_version();
CREATE TRIGGER channels_settings_version_changed AFTER UPDATE ON channels
    FOR EACH ROW
    WHEN ((OLD.user_bot_id, OLD.telegram_chat_id, OLD.type, OLD.title, OLD.price, OLD.currency,
           OLD.duration_months, OLD.link_status, OLD.can_invite_users, OLD.can_restrict_members)
          IS DISTINCT FROM
          (NEW.user_bot_id, NEW.telegram_chat_id, NEW.type, NEW.title, NEW.price, NEW.currency,
           NEW.duration_months, NEW.link_status, NEW.can_invite_users, NEW.can_restrict_members))
    EXECUTE FUNCTION channels_settings_version();
