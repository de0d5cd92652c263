//! Access to a sold chat: the personal invite link (join request required, named after the
//! payment), created through the seller bot, which must be an administrator there.

use teloxide_core::{payloads::CreateChatInviteLinkSetters, requests::Requester, types::ChatId};

use crate::{
    db::{channels::Channel, subscriptions, user_bots, DbError},
    platform::Platform,
    state::AppState,
    telegram::errors::{classify, TelegramFailure},
};

/// Why no link could be made.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// The seller bot is not running on this node (disconnected, revoked).
    #[error("seller bot not running")]
    BotNotRunning,
    /// Telegram refused or failed.
    #[error("Telegram: {0:?}")]
    Telegram(TelegramFailure),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] DbError),
}

impl From<diesel::result::Error> for AccessError {
    fn from(e: diesel::result::Error) -> Self {
        AccessError::Storage(DbError::Query(e))
    }
}

/// Creates a new personal link for a subscription (join request required, so only the
/// payer is let in) and stores it; returns the link.
pub async fn issue_invite(
    app: &AppState,
    platform: &Platform,
    subscription_id: i64,
    chat: &Channel,
    label: &str,
) -> Result<String, AccessError> {
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    let bot = user_bots::find(&mut conn, chat.user_bot_id).await?.ok_or(AccessError::BotNotRunning)?;
    let client = platform.client_of(bot.telegram_bot_id).ok_or(AccessError::BotNotRunning)?;
    drop(conn);
    let link = client
        .raw()
        .create_chat_invite_link(ChatId(chat.telegram_chat_id))
        .creates_join_request(true)
        .name(label.chars().take(32).collect::<String>())
        .await
        .map_err(|e| AccessError::Telegram(classify(&e)))?;
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    subscriptions::set_invite_link(&mut conn, subscription_id, &link.invite_link).await?;
    Ok(link.invite_link)
}
