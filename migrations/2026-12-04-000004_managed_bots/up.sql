-- A shop bot the main bot created for its owner (Bot API managed bots): its token can be
-- fetched and reissued by the main bot, with no visit to @BotFather.
ALTER TABLE user_bots ADD COLUMN managed BOOLEAN NOT NULL DEFAULT false;
