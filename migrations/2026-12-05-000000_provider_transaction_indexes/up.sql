-- A generic plan (a statement prepared once and run many times) cannot tell two indexes
-- apart by their values. Looking a transaction up by (provider, external_id) chose
-- (provider, provider_time) as often as the unique key, and then read every transaction of
-- that provider. GetStatement's window needs only the time.
DROP INDEX provider_transactions_by_time;
CREATE INDEX provider_transactions_by_time ON provider_transactions (provider_time);
-- The partial unique indexes cannot serve a generic plan (their predicates name values), so
-- "is this order busy?" read the whole table. The order's transactions, by order.
CREATE INDEX provider_transactions_by_order ON provider_transactions (order_id);
