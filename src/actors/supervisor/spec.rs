//! What it takes to start a bot, and loading those from the database.

use std::sync::Arc;

use crate::{
    crypto::BotToken,
    db::{self, user_bots::BotRecord},
    handlers::{BotKind, BotProfile},
    state::AppState,
};

/// A bot ready to run: who it is, its token and its webhook secret.
#[derive(Clone)]
pub struct BotSpec {
    /// Identity and handler tree.
    pub profile: Arc<BotProfile>,
    /// Plaintext token, in memory only.
    pub token: BotToken,
    /// Webhook secret.
    pub secret: Arc<str>,
}

impl BotSpec {
    /// The main Getolog bot: its secret is derived from the encryption key, so every node
    /// agrees on it without storing it.
    pub fn main_bot(app: &AppState, username: String) -> Self {
        let token = app.settings.bot_token.clone();
        let secret = app.settings.vault.derive_secret("main-bot-webhook");
        Self {
            profile: Arc::new(BotProfile { telegram_id: token.bot_id(), username, kind: BotKind::Main }),
            token,
            secret: secret.into(),
        }
    }

    /// A seller bot from its database row (decrypting its token).
    pub fn from_record(app: &AppState, record: BotRecord) -> Result<Self, crate::crypto::VaultError> {
        let token = app.settings.vault.decrypt(&record.bot_token)?;
        Ok(Self {
            profile: Arc::new(BotProfile {
                telegram_id: record.telegram_bot_id,
                username: record.bot_username,
                kind: BotKind::Seller { user_bot_id: record.id, owner_id: record.user_admin_id },
            }),
            token,
            secret: record.webhook_secret.into(),
        })
    }
}

fn decrypt_all(app: &AppState, records: Vec<BotRecord>) -> Vec<BotSpec> {
    records
        .into_iter()
        .filter_map(|record| {
            let id = record.telegram_bot_id;
            BotSpec::from_record(app, record).map_err(|e| tracing::error!(bot_id = id, error = %e, "bot skipped")).ok()
        })
        .collect()
}

/// Every servable seller bot.
pub async fn load_servable(app: &AppState) -> Result<Vec<BotSpec>, db::DbError> {
    let mut conn = app.db.get().await?;
    let records = db::user_bots::list_servable(&mut conn).await?;
    Ok(decrypt_all(app, records))
}

/// One servable seller bot.
pub async fn load_one(app: &AppState, telegram_bot_id: i64) -> Result<Option<BotSpec>, db::DbError> {
    let mut conn = app.db.get().await?;
    let record = db::user_bots::find_servable(&mut conn, telegram_bot_id).await?;
    Ok(decrypt_all(app, record.into_iter().collect()).pop())
}

/// One bot whose stored token may still work, whatever its actor's state (failed,
/// disconnected): what the scheduler needs to finish removals through it.
pub async fn load_with_token(app: &AppState, telegram_bot_id: i64) -> Result<Option<BotSpec>, db::DbError> {
    let mut conn = app.db.get().await?;
    let record = db::user_bots::find_with_token(&mut conn, telegram_bot_id).await?;
    Ok(decrypt_all(app, record.into_iter().collect()).pop())
}
