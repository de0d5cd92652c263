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
