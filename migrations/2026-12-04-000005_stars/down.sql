ALTER TABLE payments ALTER COLUMN provider_transaction TYPE VARCHAR(64);
DROP TRIGGER channels_settings_version_changed ON channels;
CREATE TRIGGER channels_settings_version_changed AFTER UPDATE ON channels
    FOR EACH ROW
    WHEN ((OLD.user_bot_id, OLD.telegram_chat_id, OLD.type, OLD.title, OLD.price, OLD.currency,
           OLD.duration_months, OLD.link_status, OLD.can_invite_users, OLD.can_restrict_members)
          IS DISTINCT FROM
          (NEW.user_bot_id, NEW.telegram_chat_id, NEW.type, NEW.title, NEW.price, NEW.currency,
           NEW.duration_months, NEW.link_status, NEW.can_invite_users, NEW.can_restrict_members))
    EXECUTE FUNCTION channels_settings_version();
DROP TABLE star_subscription_events;
DROP TABLE star_subscriptions;
ALTER TABLE payments DROP COLUMN period_days;
DROP INDEX payments_one_per_stars_charge;
ALTER TABLE orders DROP COLUMN renews;
ALTER TABLE orders DROP COLUMN currency;
ALTER TABLE channels DROP COLUMN price_stars;
