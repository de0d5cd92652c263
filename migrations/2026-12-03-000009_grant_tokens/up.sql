-- A grant by hand happens once per intended grant: the button carries a token drawn with
-- the screen, stored on the manual payment under a unique key in the same transaction as
-- the access or plan it gives. A double press or a redelivery finds the token taken; a
-- failed attempt leaves nothing behind, so its retry grants. (NULLs never collide: paid
-- payments carry no token.)
ALTER TABLE payments ADD COLUMN grant_token VARCHAR(32);
CREATE UNIQUE INDEX payments_grant_token ON payments (end_user_id, channel_id, grant_token);
ALTER TABLE platform_payments ADD COLUMN grant_token VARCHAR(32);
CREATE UNIQUE INDEX platform_payments_grant_token ON platform_payments (user_admin_id, grant_token);
