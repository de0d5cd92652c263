//! What a seller bot's shop shows (the bot's settings and its chats), kept in memory per bot.
//!
//! The database raises the bot's `settings_version` on every change of either (triggers), and
//! the customer's row is read together with it; a kept shop at that version or newer is still
//! true, so a language press reads the shop from memory instead of two more statements. Any
//! node's change is seen at the next update, wherever it was made.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use diesel_async::AsyncPgConnection;

use crate::db::{
    bot_settings::{self, OwnedBot},
    channels::{self, Channel},
};

/// A bot's shop as of one settings version.
#[derive(Debug)]
pub struct Shop {
    /// The settings version it was read at (or a newer one).
    pub version: i64,
    /// The bot's row.
    pub bot: OwnedBot,
    /// Its chats (linked, broken or pending), in the order the offer lists them.
    pub chats: Vec<Channel>,
}

/// The shops this node has read, one per bot (at most one entry per seller bot).
#[derive(Debug, Default)]
pub struct ShopCache(Mutex<HashMap<i64, Arc<Shop>>>);

impl ShopCache {
    /// The bot's shop at `version` or newer: the kept one when it is current, else read again
    /// (the bot's row first, so the chats read after it are at least as new as its version).
    pub async fn get(
        &self,
        conn: &mut AsyncPgConnection,
        user_bot_id: i64,
        version: i64,
    ) -> diesel::QueryResult<Option<Arc<Shop>>> {
        if let Some(kept) = self.kept(user_bot_id).filter(|shop| shop.version >= version) {
            return Ok(Some(kept));
        }
        let Some((bot, version)) = bot_settings::find_versioned(conn, user_bot_id).await? else { return Ok(None) };
        let chats = channels::list_for_bot(conn, user_bot_id).await?;
        let shop = Arc::new(Shop { version, bot, chats });
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match kept.get(&user_bot_id) {
            Some(newer) if newer.version > shop.version => Ok(Some(newer.clone())),
            _ => {
                kept.insert(user_bot_id, shop.clone());
                Ok(Some(shop))
            }
        }
    }

    fn kept(&self, user_bot_id: i64) -> Option<Arc<Shop>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&user_bot_id).cloned()
    }
}
