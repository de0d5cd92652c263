-- A reviewer approves exactly what they saw. Every change to a pending payment (a further
-- receipt, a different plan) bumps its revision; review buttons carry the revision they
-- showed, and a decision is guarded on it (`WHERE status = 'pending' AND revision = $seen`),
-- so an older copy can no longer approve what it did not show. Rows pending at this
-- migration with several receipts start at their receipt count: copies drawn before
-- revisions existed stand for revision 1, and may have shown an older receipt.
ALTER TABLE payments ADD COLUMN revision INT NOT NULL DEFAULT 1;
ALTER TABLE platform_payments ADD COLUMN revision INT NOT NULL DEFAULT 1;
UPDATE payments SET revision = receipts WHERE status = 'pending' AND receipts > 1;
UPDATE platform_payments SET revision = receipts WHERE status = 'pending' AND receipts > 1;
