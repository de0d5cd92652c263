DROP TRIGGER channels_settings_version_changed ON channels;
DROP TRIGGER channels_settings_version_written ON channels;
DROP FUNCTION channels_settings_version();
DROP TRIGGER user_bots_settings_version ON user_bots;
DROP FUNCTION user_bots_settings_version();
ALTER TABLE user_bots DROP COLUMN settings_version;
