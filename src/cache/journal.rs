//! The journal of an update's planned effects, so a redelivery continues where the first
//! attempt stopped instead of running the handler again.
//!
//! ```text
//!   handler → plan ──(journaled ahead when an unrepeatable effect is not last)──► run effect i
//!                                                    advance `next` after each unrepeatable one
//!   effect i fails → journal { plan, next: i } → claim released → Telegram redelivers
//!   redelivery: the claim script returns the journal → effects i.. run, the handler does not
//!   done → the journal is deleted with the "done" mark, in one round trip
//! ```
//!
//! The effect in flight when a process dies may still be repeated (Telegram has no
//! idempotency key for `sendMessage`); everything before it is not.

use serde::{Deserialize, Serialize};

use super::{Cache, CacheError};
use crate::handlers::Effect;

/// How long a journal is kept (as long as the "done" mark: Telegram gives up within a day).
const JOURNAL_TTL_SECS: u64 = 24 * 3600;

/// What is left to do for an update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// The whole plan, as the handler made it.
    pub effects: Vec<Effect>,
    /// Index of the first effect not yet done.
    pub next: usize,
}

impl Cache {
    pub(super) fn journal_key(&self, bot_id: i64, update_id: u32) -> String {
        self.key(format_args!("jr:{bot_id}:{update_id}"))
    }

    /// Stores the plan and how far it got.
    pub async fn write_journal(&self, bot_id: i64, update_id: u32, journal: &Journal) -> Result<(), CacheError> {
        let plan = serde_json::to_string(&journal.effects)
            .map_err(|e| CacheError::Unavailable(format!("journal not serializable: {e}")))?;
        let key = self.journal_key(bot_id, update_id);
        let mut conn = self.conn().await?;
        let _: () = redis::pipe()
            .hset_multiple(&key, &[("plan", plan), ("next", journal.next.to_string())])
            .ignore()
            .expire(&key, JOURNAL_TTL_SECS as i64)
            .ignore()
            .query_async(&mut *conn)
            .await?;
        Ok(())
    }

    /// Records that effects before `next` are done.
    pub async fn advance_journal(&self, bot_id: i64, update_id: u32, next: usize) -> Result<(), CacheError> {
        let key = self.journal_key(bot_id, update_id);
        let mut conn = self.conn().await?;
        let _: () = redis::cmd("HSET").arg(&key).arg("next").arg(next).query_async(&mut *conn).await?;
        Ok(())
    }

    /// The journal of an update, if one was written.
    pub async fn read_journal(&self, bot_id: i64, update_id: u32) -> Result<Option<Journal>, CacheError> {
        let key = self.journal_key(bot_id, update_id);
        let mut conn = self.conn().await?;
        let (plan, next): (Option<String>, Option<usize>) =
            redis::cmd("HMGET").arg(&key).arg("plan").arg("next").query_async(&mut *conn).await?;
        Ok(parse(plan, next))
    }
}

/// A journal from its stored fields; `None` when absent or unreadable (then the handler runs
/// again, as before journals existed).
pub(super) fn parse(plan: Option<String>, next: Option<usize>) -> Option<Journal> {
    let effects: Vec<Effect> =
        serde_json::from_str(&plan?).map_err(|e| tracing::error!(error = %e, "unreadable journal ignored")).ok()?;
    Some(Journal { next: next.unwrap_or(0).min(effects.len()), effects })
}
