-- The scheduler's bookkeeping: since when a chat refuses removals (the owner is told once
-- per episode, cleared by the next successful removal), and a bot's consecutive failed
-- health checks (several make it `dead`; one answer makes it `alive` again).
ALTER TABLE channels ADD COLUMN removal_blocked_at TIMESTAMPTZ;
ALTER TABLE user_bots ADD COLUMN failed_checks INT NOT NULL DEFAULT 0;
