//! Who holds a lease. The courier's deliveries and the moderators' outbox are leased for a
//! minute, so a node that vanishes mid-round (network gone, machine frozen) gives them back
//! on its own. A process that dies outright (`kill -9`, a panic, OOM) should not make its
//! customers wait that minute: each process takes a PostgreSQL advisory lock under a random
//! key of its own on a connection kept for that alone, and names that key on every row it
//! leases. PostgreSQL drops the lock the moment the process's connection closes, so a row
//! whose holder's lock is gone is free at once ([`HOLDER_GONE`]), for this node restarted or
//! for another node.
//!
//! While the lock is not held (the database restarted, the connection broke) the process
//! leases nothing: its rows would look abandoned to every other node.

use std::{
    sync::{
        atomic::{AtomicBool, AtomicI32, Ordering},
        Arc,
    },
    time::Duration,
};

use diesel::{sql_types::Integer, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

/// The advisory-lock namespace of lease holders (the first of the lock's two keys): "geto".
pub const NAMESPACE: i32 = 0x6765_746f;

/// SQL for the keys of the lease holders whose locks are held now, in this database (one
/// definition for [`HOLDER_GONE`] and [`is_held`]).
macro_rules! held_keys {
    () => {
        "SELECT objid::bigint::integer FROM pg_locks
        WHERE locktype = 'advisory' AND classid = 1734702191 AND objsubid = 2 AND granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    };
}

/// SQL true for a leased row whose `claimed_by` names a process whose lock is gone. Rows
/// leased before holders were recorded (`claimed_by` NULL) wait for their lease to lapse.
pub const HOLDER_GONE: &str = concat!("(claimed_by IS NOT NULL AND claimed_by NOT IN (", held_keys!(), "))");

/// Whether holder `key`'s lock is held right now (its process is alive and connected).
pub async fn is_held(conn: &mut AsyncPgConnection, key: i32) -> diesel::QueryResult<bool> {
    let held: Taken = diesel::sql_query(concat!("SELECT $1 IN (", held_keys!(), ") AS taken"))
        .bind::<Integer, _>(key)
        .get_result(conn)
        .await?;
    Ok(held.taken)
}

/// How often the lock's connection is checked while held.
const CHECK_EVERY: Duration = Duration::from_millis(1000);
/// How long to wait before connecting again after a failure.
const RECONNECT_AFTER: Duration = Duration::from_millis(200);

/// This process as a lease holder: its key, and whether its lock is held right now.
#[derive(Debug)]
pub struct LeaseHolder {
    key: AtomicI32,
    held: AtomicBool,
}

impl LeaseHolder {
    /// A holder whose lock is not taken yet; [`LeaseHolder::keep`] takes and keeps it.
    pub fn new() -> Arc<Self> {
        Arc::new(Self { key: AtomicI32::new(random_key()), held: AtomicBool::new(false) })
    }

    /// The key to record on leased rows, while this process's lock is held; `None` otherwise
    /// (lease nothing then).
    pub fn key(&self) -> Option<i32> {
        AtomicBool::load(&self.held, Ordering::Acquire).then(|| AtomicI32::load(&self.key, Ordering::Relaxed))
    }

    /// Takes the lock on a connection of its own and keeps it for as long as the process
    /// runs, taking it again after the database comes back.
    pub async fn keep(self: Arc<Self>, database_url: String) {
        loop {
            if let Err(e) = self.hold_while_connected(&database_url).await {
                tracing::warn!(error = %e, "lease holder's lock lost; taking it again");
            }
            self.held.store(false, Ordering::Release);
            tokio::time::sleep(RECONNECT_AFTER).await;
        }
    }

    async fn hold_while_connected(&self, database_url: &str) -> Result<(), diesel::ConnectionError> {
        let mut conn = AsyncPgConnection::establish(database_url).await?;
        loop {
            let key = AtomicI32::load(&self.key, Ordering::Relaxed);
            let taken: Taken = diesel::sql_query("SELECT pg_try_advisory_lock($1, $2) AS taken")
                .bind::<Integer, _>(NAMESPACE)
                .bind::<Integer, _>(key)
                .get_result(&mut conn)
                .await
                .map_err(query_failed)?;
            if taken.taken {
                break;
            }
            // Another live process drew the same key: draw again.
            self.key.store(random_key(), Ordering::Relaxed);
        }
        self.held.store(true, Ordering::Release);
        loop {
            tokio::time::sleep(CHECK_EVERY).await;
            diesel::sql_query("SELECT 1").execute(&mut conn).await.map_err(query_failed)?;
        }
    }
}

#[derive(QueryableByName)]
struct Taken {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    taken: bool,
}

fn query_failed(e: diesel::result::Error) -> diesel::ConnectionError {
    diesel::ConnectionError::BadConnection(e.to_string())
}

/// A positive key, so `pg_locks.objid` (an unsigned oid) reads back as the same integer.
fn random_key() -> i32 {
    rand::random_range(1..i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gone_test_looks_in_this_namespace_for_positive_keys() {
        assert!(HOLDER_GONE.contains(&format!("classid = {NAMESPACE}")));
        assert!((0..1000).map(|_| random_key()).all(|key| key > 0));
    }

    #[test]
    fn no_key_is_offered_before_the_lock_is_held() {
        assert_eq!(LeaseHolder::new().key(), None);
    }
}
