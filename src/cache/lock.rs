//! Cluster-wide job locks: `SET NX PX` with a random token, released only by its holder,
//! so a scheduler job runs on one node at a time. A lock taken as a lease holder
//! ([`Cache::try_lock_as`]) names that holder, so another process can take it over the
//! moment the holder is known to be gone instead of waiting for it to lapse.

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

const TAKE_OVER: &str = r#"if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end"#;

const RELEASE: &str =
    r#"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end"#;

impl Cache {
    /// Tries to take the lock of `job` for at most `ttl`; `None` when another node has it.
    pub async fn try_lock(&self, job: &str, ttl: Duration) -> Result<Option<JobLock>, CacheError> {
        Ok(self.try_lock_as(job, ttl, None).await?.ok())
    }

    /// Like [`Cache::try_lock`], naming `holder` (this process's lease-holder key, when it
    /// holds one) in the lock. When another has it: `Err` with what the lock holds now, for
    /// [`Cache::take_over_lock`], and the key of its holder if it named one.
    pub async fn try_lock_as(
        &self,
        job: &str,
        ttl: Duration,
        holder: Option<i32>,
    ) -> Result<Result<JobLock, (String, Option<i32>)>, CacheError> {
        let key = self.key(format_args!("lock:{job}"));
        let token = holder_token(holder);
        let mut conn = self.conn().await?;
        // `NX GET`: set when free, else answer what is there (Redis 7).
        let seen: Option<String> = redis::cmd("SET")
            .arg(&key)
            .arg(&token)
            .arg("NX")
            .arg("GET")
            .arg("PX")
            .arg(ttl.as_millis() as u64)
            .query_async(&mut *conn)
            .await?;
        Ok(match seen {
            None => Ok(JobLock { key, token }),
            Some(seen) => {
                let holder = named_holder(&seen);
                Err((seen, holder))
            }
        })
    }

    /// Takes a lock whose holder is gone, if it still holds exactly `seen` (nobody else took
    /// it meanwhile); `None` otherwise.
    pub async fn take_over_lock(
        &self,
        job: &str,
        seen: &str,
        ttl: Duration,
        holder: Option<i32>,
    ) -> Result<Option<JobLock>, CacheError> {
        let key = self.key(format_args!("lock:{job}"));
        let token = holder_token(holder);
        let mut conn = self.conn().await?;
        let taken: i64 = redis::Script::new(TAKE_OVER)
            .key(&key)
            .arg(seen)
            .arg(&token)
            .arg(ttl.as_millis() as u64)
            .invoke_async(&mut *conn)
            .await?;
        Ok((taken == 1).then_some(JobLock { key, token }))
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

/// A lock's token: the holder's key (or `-` for none) and a random part.
fn holder_token(holder: Option<i32>) -> String {
    let random = crate::crypto::random_webhook_secret();
    match holder {
        Some(key) => format!("{key}:{random}"),
        None => format!("-:{random}"),
    }
}

/// The holder a lock's token names, if any.
fn named_holder(token: &str) -> Option<i32> {
    token.split_once(':').and_then(|(holder, _)| holder.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_holder_or_none() {
        assert_eq!(named_holder(&holder_token(Some(41))), Some(41));
        assert_eq!(named_holder(&holder_token(None)), None);
        assert_eq!(named_holder("0123456789abcdef"), None, "a plain job lock names nobody");
        assert_ne!(holder_token(Some(41)), holder_token(Some(41)), "each take is its own");
    }
}
