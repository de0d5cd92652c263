ALTER TABLE payment_accounts DROP COLUMN uzum_enabled;
ALTER TABLE payment_accounts DROP COLUMN uzum_password;
ALTER TABLE payment_accounts DROP COLUMN uzum_login;
ALTER TABLE payment_accounts DROP COLUMN uzum_service_id;
