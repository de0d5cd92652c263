//! Per-user rate limiting: at most N updates per window per user per bot, counted by the
//! time the user acted. Excess updates are dropped quietly; the user is told to slow down at
//! most once a minute.
//!
//! A message carries the second it was sent (`date`), so a backlog Telegram delivers in one
//! burst after an outage spreads over the seconds the user really wrote in and is handled
//! in full, while a real flood shares its seconds and is cut. A button press carries no time
//! in the Bot API, so presses are counted in the window they arrive in. Within a window,
//! updates are ranked by `update_id` (Telegram's order), so a redelivery keeps the verdict of
//! its first delivery instead of counting twice.

use super::{Cache, CacheError};

/// One round trip: rank the update in the user's window, and when over the limit, take the
/// once-a-minute "slow down" notice if it is free.
const LIMIT: &str = r#"
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('ZRANK', KEYS[1], ARGV[3]) < tonumber(ARGV[1]) then return 0 end
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', 60) then return 2 end
return 1
"#;

/// How long a window's ranking is kept, for redeliveries that come late.
const KEEP_WINDOW_MS: u64 = 60_000;

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

/// One user action to count.
#[derive(Debug, Clone, Copy)]
pub struct Act {
    /// The bot.
    pub bot_id: i64,
    /// The user.
    pub user_id: i64,
    /// The update (its rank within the window).
    pub update_id: u32,
    /// When the user acted, in Unix seconds.
    pub at: i64,
}

impl Cache {
    /// Counts `act` against `limit` per `window` (windows are aligned to whole multiples of
    /// `window` since the Unix epoch).
    pub async fn rate(&self, act: Act, limit: u32, window: std::time::Duration) -> Result<Rate, CacheError> {
        let slot = act.at.div_euclid(window.as_secs().max(1) as i64);
        let (bot_id, user_id) = (act.bot_id, act.user_id);
        let mut conn = self.conn().await?;
        let verdict: i64 = redis::Script::new(LIMIT)
            .key(self.key(format_args!("rl:{bot_id}:{user_id}:{slot}")))
            .key(self.key(format_args!("rln:{bot_id}:{user_id}")))
            .arg(limit)
            .arg(KEEP_WINDOW_MS.max(window.as_millis() as u64 * 2))
            .arg(act.update_id)
            .invoke_async(&mut *conn)
            .await?;
        Ok(match verdict {
            0 => Rate::Allowed,
            2 => Rate::LimitedNotify,
            _ => Rate::Limited,
        })
    }
}
