ALTER TABLE user_bots DROP COLUMN managed;
