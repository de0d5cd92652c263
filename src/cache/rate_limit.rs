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

use super::Cache;

/// Lua run by the claim script when a new update is counted (keys 3 and 4, args 3 to 5):
/// rank the update in the user's window, and when over the limit, take the once-a-minute
/// "slow down" notice if it is free. Answers `0` allowed, `2` limited and notify, `1` limited.
pub(super) const COUNT: &str = r#"
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[5])
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
  if redis.call('ZRANK', KEYS[3], ARGV[5]) < tonumber(ARGV[3]) then return {'new', '0'} end
  if redis.call('SET', KEYS[4], '1', 'NX', 'EX', 60) then return {'new', '2'} end
  return {'new', '1'}
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

/// An act to count against a limit of `limit` per `window`.
#[derive(Debug, Clone, Copy)]
pub struct RateCheck {
    /// What the user did.
    pub act: Act,
    /// Updates allowed per window.
    pub limit: u32,
    /// The window (aligned to whole multiples of it since the Unix epoch).
    pub window: std::time::Duration,
}

impl Cache {
    /// The keys and arguments [`COUNT`] takes: the window's ranking and the notice flag;
    /// the limit, how long the ranking is kept, and the update's rank.
    pub(super) fn count_args(&self, check: &RateCheck) -> ([String; 2], [u64; 3]) {
        let RateCheck { act, limit, window } = check;
        let slot = act.at.div_euclid(window.as_secs().max(1) as i64);
        let (bot_id, user_id) = (act.bot_id, act.user_id);
        let keys =
            [self.key(format_args!("rl:{bot_id}:{user_id}:{slot}")), self.key(format_args!("rln:{bot_id}:{user_id}"))];
        let keep = KEEP_WINDOW_MS.max(window.as_millis() as u64 * 2);
        (keys, [u64::from(*limit), keep, u64::from(act.update_id)])
    }
}

/// The verdict [`COUNT`] answered.
pub(super) fn verdict(answer: Option<&str>) -> Rate {
    match answer {
        Some("0") => Rate::Allowed,
        Some("2") => Rate::LimitedNotify,
        _ => Rate::Limited,
    }
}
