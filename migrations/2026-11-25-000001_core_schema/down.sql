DROP TABLE platform_payments;
DROP TABLE admin_subscriptions;
DROP TABLE subscriptions;
DROP TABLE payments;
DROP TABLE end_users;
DROP TABLE channels;
DROP TABLE user_bots;
DROP TABLE user_admins;
