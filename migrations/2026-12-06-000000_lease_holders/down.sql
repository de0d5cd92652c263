ALTER TABLE outbox DROP COLUMN claimed_by;
ALTER TABLE deliveries DROP COLUMN claimed_by;
