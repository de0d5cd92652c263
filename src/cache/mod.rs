//! Redis: update de-duplication, conversation state, rate limits and scheduler locks.
//! Every key starts with the configured prefix, so tests and deployments can share a server.

pub mod checkpoint;
pub mod conversation;
pub mod dedupe;
pub mod journal;
pub mod lease;
pub mod lock;
pub mod operations;
pub mod pool;
pub mod rate_limit;
pub mod recent;
pub mod remembered;

use self::pool::Manager;

/// The shared pool of Redis connections.
pub type RedisPool = bb8::Pool<Manager>;

/// How long a request waits for a connection before Redis counts as unavailable.
const CHECKOUT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// A Redis failure: no connection, or a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// No connection could be checked out.
    #[error("redis unavailable: {0}")]
    Unavailable(String),
    /// A command failed.
    #[error("redis command failed: {0}")]
    Command(#[from] redis::RedisError),
}

impl From<bb8::RunError<redis::RedisError>> for CacheError {
    fn from(e: bb8::RunError<redis::RedisError>) -> Self {
        CacheError::Unavailable(e.to_string())
    }
}

/// A lazy pool (no connection until first use) over `manager`'s connections.
fn pool_of(manager: &Manager, size: u32) -> RedisPool {
    bb8::Pool::builder()
        .max_size(size)
        .connection_timeout(CHECKOUT_TIMEOUT)
        // No ping before every checkout (it doubled the round trips per update): a
        // connection knows when it broke, see `pool`.
        .test_on_check_out(false)
        .build_unchecked(manager.clone())
}

/// Redis access with the key prefix applied.
#[derive(Clone)]
pub struct Cache {
    pool: RedisPool,
    manager: Manager,
    prefix: std::sync::Arc<str>,
    held: std::sync::Arc<lease::HeldClaims>,
    recent: std::sync::Arc<recent::RecentFlags>,
}

impl Cache {
    /// Builds the pool lazily (no connection until first use).
    pub fn new(url: &str, prefix: &str, size: u32) -> Result<Self, CacheError> {
        let manager = Manager::new(url)?;
        let pool = pool_of(&manager, size);
        Ok(Self { pool, manager, prefix: prefix.into(), held: Default::default(), recent: Default::default() })
    }

    /// The same cache with a pool of its own, for one thread: its connections are opened by,
    /// and driven on, the thread that uses them. Claims held, flags seen and the Redis
    /// restarts noticed (see `pool`) stay shared with every other pool.
    pub fn with_own_pool(&self, size: u32) -> Self {
        Self { pool: pool_of(&self.manager, size), ..self.clone() }
    }

    /// The full key for a logical name.
    pub fn key(&self, name: std::fmt::Arguments<'_>) -> String {
        format!("{}:{}", self.prefix, name)
    }

    /// Checks out a live connection: one retired by a Redis restart seen on another
    /// connection is discarded here, before it can fail a request.
    pub async fn conn(&self) -> Result<bb8::PooledConnection<'_, Manager>, CacheError> {
        for _ in 0..=self.pool.state().connections {
            let conn = self.pool.get().await?;
            if !conn.is_stale() {
                return Ok(conn);
            }
            drop(conn); // bb8 asks `has_broken` on return and throws it away
        }
        Ok(self.pool.get().await?)
    }

    /// True the first time it is called for `name` within `ttl` (e.g. "tell the owner once
    /// a day"), false after. A flag this node saw set less than a minute ago is answered from
    /// memory (see `recent`): at worst the next period's first answer comes a minute late.
    pub async fn first_within(
        &self,
        name: std::fmt::Arguments<'_>,
        ttl: std::time::Duration,
    ) -> Result<bool, CacheError> {
        let key = self.key(name);
        let now = std::time::Instant::now();
        if self.recent.seen_within(&key, ttl.min(recent::MEMO), now) {
            return Ok(false);
        }
        let mut conn = self.conn().await?;
        let set: Option<String> = redis::cmd("SET")
            .arg(&key)
            .arg(1)
            .arg("NX")
            .arg("EX")
            .arg(ttl.as_secs().max(1))
            .query_async(&mut *conn)
            .await?;
        self.recent.note(key, now);
        Ok(set.is_some())
    }

    /// When `name` was first seen (`at`, Unix milliseconds, the first time it is asked within
    /// `ttl`; the first caller's `at` after). A redelivered update learns when it first came.
    pub async fn first_seen_at(
        &self,
        name: std::fmt::Arguments<'_>,
        at: i64,
        ttl: std::time::Duration,
    ) -> Result<i64, CacheError> {
        let key = self.key(name);
        let mut conn = self.conn().await?;
        let earlier: Option<i64> = redis::cmd("SET")
            .arg(&key)
            .arg(at)
            .arg("NX")
            .arg("GET")
            .arg("EX")
            .arg(ttl.as_secs().max(1))
            .query_async(&mut *conn)
            .await?;
        Ok(earlier.unwrap_or(at))
    }

    /// `PING`, for readiness.
    pub async fn ping(&self) -> Result<(), CacheError> {
        let mut conn = self.conn().await?;
        let _: String = redis::cmd("PING").query_async(&mut *conn).await?;
        Ok(())
    }
}
