//! Where messages went: a handler that sends copies of one thing to several people (a plan
//! receipt to every moderator) names the set, and a later decision edits every copy; a newer
//! version of the thing takes the set, retiring the older copies.

use super::{Cache, CacheError};

/// How long the copies are remembered.
const KEEP_SECONDS: u64 = 30 * 24 * 3600;

impl Cache {
    /// Adds a sent message to the set `key`.
    pub async fn remember_message(&self, key: &str, chat_id: i64, message_id: i32) -> Result<(), CacheError> {
        let key = self.key(format_args!("sent:{key}"));
        let mut conn = self.conn().await?;
        let _: () = redis::pipe()
            .atomic()
            .cmd("SADD")
            .arg(&key)
            .arg(format!("{chat_id}:{message_id}"))
            .ignore()
            .cmd("EXPIRE")
            .arg(&key)
            .arg(KEEP_SECONDS)
            .ignore()
            .query_async(&mut *conn)
            .await?;
        Ok(())
    }

    /// The messages of the set `key`, as (chat, message).
    pub async fn remembered_messages(&self, key: &str) -> Result<Vec<(i64, i32)>, CacheError> {
        let mut conn = self.conn().await?;
        let members: Vec<String> =
            redis::cmd("SMEMBERS").arg(self.key(format_args!("sent:{key}"))).query_async(&mut *conn).await?;
        Ok(parse_members(&members))
    }

    /// The messages of the set `key`, emptying it in the same step (copies being replaced
    /// by newer ones are edited once, and only the newer ones are remembered after).
    pub async fn take_remembered_messages(&self, key: &str) -> Result<Vec<(i64, i32)>, CacheError> {
        let key = self.key(format_args!("sent:{key}"));
        let mut conn = self.conn().await?;
        let (members,): (Vec<String>,) = redis::pipe()
            .atomic()
            .cmd("SMEMBERS")
            .arg(&key)
            .cmd("DEL")
            .arg(&key)
            .ignore()
            .query_async(&mut *conn)
            .await?;
        Ok(parse_members(&members))
    }
}

/// `chat:message` members as pairs (anything else is skipped).
fn parse_members(members: &[String]) -> Vec<(i64, i32)> {
    members
        .iter()
        .filter_map(|m| {
            let (chat, message) = m.split_once(':')?;
            Some((chat.parse().ok()?, message.parse().ok()?))
        })
        .collect()
}
