ALTER TABLE platform_payments DROP COLUMN revision;
ALTER TABLE payments DROP COLUMN revision;
