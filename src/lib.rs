//! Getolog: sell paid access to private Telegram channels and groups through the owner's
//! own bot. See `README.md` and `docs/` for the architecture; an update flows
//! `http::webhook → actors::supervisor → actors::bot → handlers → (services, db) → effects`.

pub mod actors;
pub mod cache;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod events;
pub mod handlers;
pub mod http;
pub mod i18n;
pub mod memory;
pub mod platform;
pub mod services;
pub mod simulator;
pub mod startup;
pub mod state;
pub mod stats;
pub mod status;
pub mod telegram;
pub mod telemetry;
