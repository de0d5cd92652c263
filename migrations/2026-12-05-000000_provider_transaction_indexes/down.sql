DROP INDEX provider_transactions_by_order;
DROP INDEX provider_transactions_by_time;
CREATE INDEX provider_transactions_by_time ON provider_transactions (provider, provider_time);
