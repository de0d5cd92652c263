//! Conversation (FSM) state: which input step a chat of a bot is in, kept in Redis so it
//! survives a restart and is shared by every node. The state type belongs to the handlers;
//! here it is only JSON under a key per (bot, chat).

use std::time::Duration;

use serde::{de::DeserializeOwned, Serialize};

use super::{Cache, CacheError};

/// An abandoned input step is forgotten after a day.
const STATE_TTL: Duration = Duration::from_secs(24 * 3600);

impl Cache {
    fn conversation_key(&self, bot_id: i64, chat_id: i64) -> String {
        self.key(format_args!("conv:{bot_id}:{chat_id}"))
    }

    /// The chat's current step, if any. A value that no longer parses (an older release's
    /// step) counts as none.
    pub async fn load_step<T: DeserializeOwned>(&self, bot_id: i64, chat_id: i64) -> Result<Option<T>, CacheError> {
        let mut conn = self.conn().await?;
        let raw: Option<String> =
            redis::cmd("GET").arg(self.conversation_key(bot_id, chat_id)).query_async(&mut *conn).await?;
        Ok(raw.and_then(|raw| serde_json::from_str(&raw).ok()))
    }

    /// Puts the chat into `step`.
    pub async fn save_step<T: Serialize>(&self, bot_id: i64, chat_id: i64, step: &T) -> Result<(), CacheError> {
        let raw = serde_json::to_string(step).map_err(|e| CacheError::Unavailable(e.to_string()))?;
        let mut conn = self.conn().await?;
        let () = redis::cmd("SET")
            .arg(self.conversation_key(bot_id, chat_id))
            .arg(raw)
            .arg("EX")
            .arg(STATE_TTL.as_secs())
            .query_async(&mut *conn)
            .await?;
        Ok(())
    }

    /// Leaves any step.
    pub async fn clear_step(&self, bot_id: i64, chat_id: i64) -> Result<(), CacheError> {
        let mut conn = self.conn().await?;
        let _: i64 = redis::cmd("DEL").arg(self.conversation_key(bot_id, chat_id)).query_async(&mut *conn).await?;
        Ok(())
    }
}
