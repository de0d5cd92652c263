-- A personal link is stored before the message carrying it is sent, with the name of the
-- delivery that made it (`payment:7:approved:customer`). A retry of that delivery (a crash,
-- a 429 on the customer's chat) sends the same link again instead of making a second one.
ALTER TABLE subscriptions ADD COLUMN invite_delivery TEXT;
