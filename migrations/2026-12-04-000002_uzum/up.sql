-- Uzum Bank Merchant API credentials of a seller bot's payment account (the password is a
-- Fernet ciphertext, like the other keys).
ALTER TABLE payment_accounts ADD COLUMN uzum_service_id BIGINT;
ALTER TABLE payment_accounts ADD COLUMN uzum_login VARCHAR(128);
ALTER TABLE payment_accounts ADD COLUMN uzum_password TEXT;
ALTER TABLE payment_accounts ADD COLUMN uzum_enabled BOOLEAN NOT NULL DEFAULT FALSE;
