DROP INDEX platform_payments_grant_token;
ALTER TABLE platform_payments DROP COLUMN grant_token;
DROP INDEX payments_grant_token;
ALTER TABLE payments DROP COLUMN grant_token;
