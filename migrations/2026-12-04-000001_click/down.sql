ALTER TABLE payment_accounts DROP COLUMN click_enabled;
ALTER TABLE payment_accounts DROP COLUMN click_secret;
ALTER TABLE payment_accounts DROP COLUMN click_merchant_user_id;
ALTER TABLE payment_accounts DROP COLUMN click_merchant_id;
ALTER TABLE payment_accounts DROP COLUMN click_service_id;
