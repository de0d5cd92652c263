-- Click SHOP-API credentials of a seller bot's payment account (the secret key is a Fernet
-- ciphertext, like the Payme keys).
ALTER TABLE payment_accounts ADD COLUMN click_service_id BIGINT;
ALTER TABLE payment_accounts ADD COLUMN click_merchant_id BIGINT;
ALTER TABLE payment_accounts ADD COLUMN click_merchant_user_id BIGINT;
ALTER TABLE payment_accounts ADD COLUMN click_secret TEXT;
ALTER TABLE payment_accounts ADD COLUMN click_enabled BOOLEAN NOT NULL DEFAULT FALSE;
