//! Cluster-wide job locks: `SET NX PX` with a random token, released only by its holder,
//! so a scheduler job runs on one node at a time.

use std::time::Duration;

use super::{Cache, CacheError};

/// A held lock; release it when the job is done (it also expires on its own).
#[derive(Debug)]
pub struct JobLock {
    key: String,
    token: String,
}

const EXTEND: &str =
    r#"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end"#;

const RELEASE: &str =
    r#"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end"#;

impl Cache {
    /// Tries to take the lock of `job` for at most `ttl`; `None` when another node has it.
    pub async fn try_lock(&self, job: &str, ttl: Duration) -> Result<Option<JobLock>, CacheError> {
        let key = self.key(format_args!("lock:{job}"));
        let token = crate::crypto::random_webhook_secret();
        let mut conn = self.conn().await?;
        let set: Option<String> = redis::cmd("SET")
            .arg(&key)
            .arg(&token)
            .arg("NX")
            .arg("PX")
            .arg(ttl.as_millis() as u64)
            .query_async(&mut *conn)
            .await?;
        Ok(set.map(|_| JobLock { key, token }))
    }

    /// Renews the lease of a lock this node holds; false when it was lost (expired and
    /// perhaps taken by another node), and the holder should stop.
    pub async fn extend_lock(&self, lock: &JobLock, ttl: Duration) -> Result<bool, CacheError> {
        let mut conn = self.conn().await?;
        let extended: i64 = redis::Script::new(EXTEND)
            .key(&lock.key)
            .arg(&lock.token)
            .arg(ttl.as_millis() as u64)
            .invoke_async(&mut *conn)
            .await?;
        Ok(extended == 1)
    }

    /// Releases a lock this node holds.
    pub async fn unlock(&self, lock: JobLock) -> Result<(), CacheError> {
        let mut conn = self.conn().await?;
        let _: i64 = redis::Script::new(RELEASE).key(&lock.key).arg(&lock.token).invoke_async(&mut *conn).await?;
        Ok(())
    }
}
