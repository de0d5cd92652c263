#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! The end-to-end tests, one binary: each module drives the real HTTP front (or the real
//! `getolog serve`) with its own PostgreSQL database, its own Redis prefix and the simulator
//! playing Telegram and the payment providers. One binary links once, where one per file
//! linked the whole crate fifty times over.

mod support;

mod alerts;
mod click;
mod clock;
mod concurrent_decisions;
mod courier;
mod crash_recovery;
mod customers;
mod decision_follow_ups;
mod dedupe;
mod demo;
mod effect_journal;
mod failed_bots;
mod first_flow;
mod flood_limits;
mod grants_once;
mod group_chatter;
mod group_upgrade;
mod invite_links;
mod isolation;
mod lease_holders;
mod managed_bots;
mod moderator_panel;
mod notifications;
mod operations;
mod outages;
mod owner_bot;
mod owner_channels;
mod owner_settings;
mod owner_stats;
mod payme;
mod payme_crash;
mod payme_races;
mod payme_secrets;
mod plan_renewal;
mod plans;
mod platform_card;
mod platform_plans;
mod pools;
mod prepared_statements;
mod process;
mod provider_settings;
mod provider_stats;
mod purchase;
mod query_plans;
mod rate_limit;
mod receipt_resent;
mod review_revisions;
mod scheduler_expiry;
mod scheduler_health;
mod scheduler_nodes;
mod scheduler_removals;
mod scheduler_warnings;
mod shop_cache;
mod stars;
mod startup_webhooks;
mod store_restarts;
mod support_inbox;
mod two_nodes;
mod uzum;
mod webhook_front;
mod webhook_reply;
