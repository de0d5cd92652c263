//! Progress markers for long start-up work (webhook registration of thousands of bots):
//! how far the last attempt got, kept for a while so a crash-looping process resumes
//! instead of starting over.

use std::time::Duration;

use super::{Cache, CacheError};

impl Cache {
    /// The checkpoint `name`, if one was saved and has not expired.
    pub async fn checkpoint(&self, name: &str) -> Result<Option<i64>, CacheError> {
        let mut conn = self.conn().await?;
        let value: Option<i64> =
            redis::cmd("GET").arg(self.key(format_args!("checkpoint:{name}"))).query_async(&mut *conn).await?;
        Ok(value)
    }

    /// Saves checkpoint `name` for `ttl`.
    pub async fn save_checkpoint(&self, name: &str, value: i64, ttl: Duration) -> Result<(), CacheError> {
        let mut conn = self.conn().await?;
        let _: () = redis::cmd("SET")
            .arg(self.key(format_args!("checkpoint:{name}")))
            .arg(value)
            .arg("PX")
            .arg(ttl.as_millis() as u64)
            .query_async(&mut *conn)
            .await?;
        Ok(())
    }
}
