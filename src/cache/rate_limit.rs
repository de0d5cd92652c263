//! Per-user rate limiting: at most N updates per second per user per bot. Excess updates are
//! dropped quietly; the user is told to slow down at most once a minute.

use super::{Cache, CacheError};

/// One round trip: count the update in the user's one-second window, and when over the
/// limit, take the once-a-minute "slow down" notice if it is free.
const LIMIT: &str = r#"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n <= tonumber(ARGV[1]) then return 0 end
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', 60) then return 2 end
return 1
"#;

/// What the limiter says about an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    /// Within the limit: handle it.
    Allowed,
    /// Over the limit: drop it, and tell the user to slow down (first time this minute).
    LimitedNotify,
    /// Over the limit: drop it silently.
    Limited,
}

impl Cache {
    /// Counts one update of `user_id` at `bot_id` against `limit` per `window`.
    pub async fn rate(
        &self,
        bot_id: i64,
        user_id: i64,
        limit: u32,
        window: std::time::Duration,
    ) -> Result<Rate, CacheError> {
        let mut conn = self.conn().await?;
        let verdict: i64 = redis::Script::new(LIMIT)
            .key(self.key(format_args!("rl:{bot_id}:{user_id}")))
            .key(self.key(format_args!("rln:{bot_id}:{user_id}")))
            .arg(limit)
            .arg(window.as_millis().max(1) as u64)
            .invoke_async(&mut *conn)
            .await?;
        Ok(match verdict {
            0 => Rate::Allowed,
            2 => Rate::LimitedNotify,
            _ => Rate::Limited,
        })
    }
}
