ALTER TABLE user_bots DROP COLUMN failed_checks;
ALTER TABLE channels DROP COLUMN removal_blocked_at;
