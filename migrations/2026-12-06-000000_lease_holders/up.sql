-- The process holding a lease (its advisory-lock key, see db::lease_holder): a row whose
-- holder's lock is gone (the process died) is free at once instead of when its lease lapses.
ALTER TABLE deliveries ADD COLUMN claimed_by INTEGER;
ALTER TABLE outbox ADD COLUMN claimed_by INTEGER;
