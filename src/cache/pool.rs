//! The Redis pool: bb8 over bb8-redis's multiplexed connections, taught to notice when a
//! connection broke.
//!
//! bb8-redis never reports a connection as broken, and its health check (a `PING` per
//! checkout) doubles the round trips of the hot path. So after a Redis restart every pooled
//! connection kept failing with "broken pipe" until the process restarted. Here:
//!
//! ```text
//!   connect ──► Connection { generation: g } ──► command fails, connection dropped
//!                                                  │ marks itself broken (bb8 discards it
//!                                                  │ on return) and raises the pool's
//!                                                  ▼ generation to g + 1
//!   every other connection of generation ≤ g is now stale: discarded at its next checkout,
//!   before it can fail a request; fresh ones are opened in their place.
//! ```
//!
//! One failed command after a restart therefore retires the whole dead generation at once,
//! with no round trip added to a healthy checkout.

use std::sync::{
    atomic::{AtomicU64, Ordering},
    Arc,
};

use bb8_redis::RedisConnectionManager;
use redis::{aio::MultiplexedConnection, Cmd, Pipeline, RedisError, RedisFuture, Value};

/// Opens connections and tells bb8 which ones are broken.
#[derive(Clone)]
pub struct Manager {
    inner: RedisConnectionManager,
    generation: Arc<AtomicU64>,
}

impl Manager {
    /// A manager for the server at `url`.
    pub fn new(url: &str) -> Result<Self, RedisError> {
        Ok(Self { inner: RedisConnectionManager::new(url)?, generation: Arc::default() })
    }
}

/// A pooled connection that remembers whether it has seen its socket die.
pub struct Connection {
    inner: MultiplexedConnection,
    generation: u64,
    current: Arc<AtomicU64>,
    broken: bool,
}

impl Connection {
    /// True when this connection must not be used again: it broke, or a connection opened
    /// no later than it did saw the server go away.
    pub fn is_stale(&self) -> bool {
        self.broken || self.generation < self.current.load(Ordering::Acquire)
    }

    /// Marks the connection broken by this error when the error says the socket is gone
    /// (or unanswered), and retires its generation when the server itself went away.
    fn observe(&mut self, error: &RedisError) {
        if error.is_connection_dropped() || error.is_unrecoverable_error() {
            self.broken = true;
            self.current.fetch_max(self.generation + 1, Ordering::AcqRel);
        } else if error.is_timeout() || error.is_io_error() {
            self.broken = true;
        }
    }
}

impl redis::aio::ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        Box::pin(async move {
            let result = self.inner.req_packed_command(cmd).await;
            if let Err(error) = &result {
                self.observe(error);
            }
            result
        })
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        Box::pin(async move {
            let result = self.inner.req_packed_commands(pipeline, offset, count).await;
            if let Err(error) = &result {
                self.observe(error);
            }
            result
        })
    }

    fn get_db(&self) -> i64 {
        self.inner.get_db()
    }
}

impl bb8::ManageConnection for Manager {
    type Connection = Connection;
    type Error = RedisError;

    async fn connect(&self) -> Result<Connection, RedisError> {
        let generation = self.generation.load(Ordering::Acquire);
        let inner = self.inner.connect().await?;
        Ok(Connection { inner, generation, current: self.generation.clone(), broken: false })
    }

    async fn is_valid(&self, conn: &mut Connection) -> Result<(), RedisError> {
        self.inner.is_valid(&mut conn.inner).await
    }

    fn has_broken(&self, conn: &mut Connection) -> bool {
        conn.is_stale()
    }
}
