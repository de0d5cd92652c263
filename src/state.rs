//! What every component shares: storage, cache, translations, time and settings.

use std::sync::Arc;

use crate::{cache::Cache, clock::SharedClock, config::Settings, db::DbPool, i18n::I18n};

/// Shared, cheaply cloneable application state.
#[derive(Clone)]
pub struct AppState {
    /// PostgreSQL pool.
    pub db: DbPool,
    /// Redis access.
    pub cache: Cache,
    /// Translations.
    pub i18n: I18n,
    /// Where "now" comes from.
    pub clock: SharedClock,
    /// Validated settings.
    pub settings: Arc<Settings>,
    /// Wakes the courier when an effect is queued for it.
    pub courier: Arc<tokio::sync::Notify>,
    /// Seller bots' shops as last read, checked against their settings version.
    pub shops: Arc<crate::services::shops::ShopCache>,
}

impl AppState {
    /// The same state with storage pools of its own, for the bot actors of one arbiter thread.
    /// A pooled connection's I/O is driven by the thread that opened it, so with one shared
    /// pool a query from one thread often went through another thread and back. Caches,
    /// translations, settings and the courier stay shared.
    pub fn with_own_pools(&self, database_pool_size: u32, redis_pool_size: u32) -> Self {
        Self {
            db: crate::db::build_thread_pool(&self.settings.database_url, database_pool_size),
            cache: self.cache.with_own_pool(redis_pool_size),
            ..self.clone()
        }
    }
}
