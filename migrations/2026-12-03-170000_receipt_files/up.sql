-- The latest receipt's `file_unique_id` (the same for one file, whoever sends it and however
-- often): a customer who sends the same receipt again (its forward to the owner seemed to
-- fail) does not attach it a second time.
ALTER TABLE payments ADD COLUMN screenshot_unique_id TEXT;
