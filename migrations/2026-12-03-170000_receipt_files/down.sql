ALTER TABLE payments DROP COLUMN screenshot_unique_id;
