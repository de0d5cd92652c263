//! What every component shares: storage, cache, translations, time and settings.

use std::sync::Arc;

use crate::{
    cache::Cache,
    clock::SharedClock,
    config::Settings,
    db::{DbPool, Plans, Rehearsal},
    i18n::I18n,
};

/// Connections of a thread's lazy pool (see [`AppState::db_lazy`]). Every update of a seller
/// bot writes through it once: with two, half of a thread's updates at 32 concurrent queued
/// for one (docs/benchmarks.md); six gave no more than four.
const LAZY_CONNECTIONS: u32 = 4;

/// Shared, cheaply cloneable application state.
#[derive(Clone)]
pub struct AppState {
    /// PostgreSQL pool.
    pub db: DbPool,
    /// PostgreSQL connections whose commits do not wait for the disk (`Commits::Lazy`): only
    /// for a customer's touch and language choice, which a crash of PostgreSQL itself may
    /// lose without harm. Never money. (The same pool as `db` where no lazy one is kept.)
    pub db_lazy: DbPool,
    /// How many lazy connections this thread opens ahead (none where `db_lazy` is `db`).
    pub lazy_ahead: u32,
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
    /// This process as the holder of the courier's and the outbox's leases.
    pub leases: Arc<crate::db::lease_holder::LeaseHolder>,
}

impl AppState {
    /// The same state with storage pools of its own, for one thread: the bot actors of one
    /// arbiter thread, or one HTTP worker.
    /// A pooled connection's I/O is driven by the thread that opened it, so with one shared
    /// pool a query from one thread often went through another thread and back. Caches,
    /// translations, settings and the courier stay shared.
    /// With [`Plans::Generic`] (the provider endpoints), each new connection also rehearses
    /// a payment first (`handlers::paid::rehearsal`).
    pub fn with_own_pools(&self, database_pool_size: u32, redis_pool_size: u32, plans: Plans) -> Self {
        let rehearsal = (plans == Plans::Generic).then(|| {
            let app = self.clone();
            let rehearse: Rehearsal = Arc::new(move |conn| {
                let app = app.clone();
                Box::pin(async move { crate::handlers::paid::rehearsal::rehearse(&app, conn).await })
            });
            rehearse
        });
        let url = &self.settings.database_url;
        let db = crate::db::build_thread_pool(url, database_pool_size, plans, rehearsal);
        // The provider endpoints (generic plans) write only money: they keep no lazy pool.
        let (db_lazy, lazy_ahead) = match plans {
            Plans::Default => (crate::db::build_lazy_thread_pool(url, LAZY_CONNECTIONS), LAZY_CONNECTIONS),
            Plans::Generic => (db.clone(), 0),
        };
        Self { db, db_lazy, lazy_ahead, cache: self.cache.with_own_pool(redis_pool_size), ..self.clone() }
    }

    /// [`Self::with_own_pools`] sized as one thread's share of the configured pool sizes,
    /// among `threads` threads (at least 2 connections each).
    pub fn for_one_of(&self, threads: usize, plans: Plans) -> Self {
        self.with_own_pools(self.thread_share(threads), Self::share(self.settings.redis_pool_size, threads), plans)
    }

    /// The upkeep of a thread with pools of its own ([`Self::for_one_of`]), to be spawned on
    /// that thread: its connections opened ahead, then its freed memory given back while the
    /// thread is quiet.
    pub async fn thread_upkeep(self, threads: usize) {
        crate::db::open_ahead(self.db.clone(), self.thread_share(threads)).await;
        // Never more than a pool holds: asking a pool for more than its size waits out the
        // checkout timeout while holding every connection it has.
        if self.lazy_ahead > 0 {
            crate::db::open_ahead(self.db_lazy.clone(), self.lazy_ahead).await;
        }
        crate::memory::give_back_when_quiet(crate::memory::QUIET_CHECK_EVERY).await;
    }

    /// How many PostgreSQL connections one of `threads` threads' pools holds.
    pub fn thread_share(&self, threads: usize) -> u32 {
        Self::share(self.settings.database_pool_size, threads)
    }

    fn share(size: u32, threads: usize) -> u32 {
        (size / threads.max(1) as u32).max(2)
    }
}
