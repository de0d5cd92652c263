//! Access to a sold chat: the personal invite link (join request required, named after the
//! payment), created through the seller bot, which must be an administrator there.

use teloxide_core::{payloads::CreateChatInviteLinkSetters, requests::Requester, types::ChatId};

use crate::telegram::BotClient;

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
    /// Another delivery of this subscription's link is under way (another press of the same
    /// button, on another device or node): this one does nothing.
    #[error("a link for this subscription is being delivered")]
    InProgress,
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

/// Creates a new personal link to a chat (join request required, so only the payer is let
/// in), through the chat's seller bot. It is stored by [`store_invite`] once the user has it.
pub async fn create_invite(
    app: &AppState,
    platform: &Platform,
    chat: &Channel,
    label: &str,
) -> Result<String, AccessError> {
    let client = seller_client(app, platform, chat.user_bot_id).await?;
    let create = |chat_id: i64| {
        client
            .raw()
            .create_chat_invite_link(ChatId(chat_id))
            .creates_join_request(true)
            .name(label.chars().take(32).collect::<String>())
    };
    let created = match create(chat.telegram_chat_id).await {
        // The group became a supergroup (the linked chat now follows it): the link is made there.
        Err(e) => match super::channels::upgraded_to(app, chat.telegram_chat_id, &e).await {
            Some(to) => create(to).await,
            None => Err(e),
        },
        created => created,
    };
    Ok(created.map_err(|e| AccessError::Telegram(classify(&e)))?.invite_link)
}

/// Records the link a user was given.
pub async fn store_invite(app: &AppState, subscription_id: i64, link: &str) -> Result<(), AccessError> {
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    subscriptions::set_invite_link(&mut conn, subscription_id, link).await?;
    Ok(())
}

/// The running client of a seller bot.
pub async fn seller_client(app: &AppState, platform: &Platform, user_bot_id: i64) -> Result<BotClient, AccessError> {
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    let bot = user_bots::find(&mut conn, user_bot_id).await?.ok_or(AccessError::BotNotRunning)?;
    platform.client_of(bot.telegram_bot_id).await.ok_or(AccessError::BotNotRunning)
}

/// How long one delivery of a link may hold its subscription (it releases it when done; a
/// crashed delivery's hold lapses).
const DELIVERY_HOLD: std::time::Duration = std::time::Duration::from_secs(60);

/// Creates a link, hands it to the user (the message is built by `message`), then stores it;
/// a link whose message could not be delivered is revoked and not stored, so a retry makes
/// a new one. The previous unused link, if any, is revoked. One delivery per subscription at
/// a time, cluster-wide: a second one at the same moment (two devices pressing Approve on
/// two nodes) gets [`AccessError::InProgress`], so the user gets one link, not two.
pub async fn deliver_invite(
    app: &AppState,
    platform: &Platform,
    subscription: &crate::db::subscriptions::Subscription,
    chat: &Channel,
    user_telegram_id: i64,
    label: &str,
    message: impl FnOnce(&str) -> String,
) -> Result<String, AccessError> {
    let hold = format!("invite:{}", subscription.id);
    let held = app.cache.try_lock(&hold, DELIVERY_HOLD).await.map_err(|e| DbError::Unavailable(e.to_string()))?;
    let Some(held) = held else { return Err(AccessError::InProgress) };
    // The link may have been stored by a delivery that ended just before this one began.
    let stored = {
        let mut conn = app.db.get().await.map_err(DbError::from)?;
        crate::db::subscriptions::find(&mut conn, subscription.id).await?
    };
    let result = match stored {
        Some(now) if now.invite_link.is_some() && now.invite_link != subscription.invite_link => {
            Err(AccessError::InProgress)
        }
        _ => deliver_held(app, platform, subscription, chat, user_telegram_id, label, message).await,
    };
    if let Err(e) = app.cache.unlock(held).await {
        tracing::warn!(error = %e, subscription = subscription.id, "link delivery hold not released; it lapses");
    }
    result
}

async fn deliver_held(
    app: &AppState,
    platform: &Platform,
    subscription: &crate::db::subscriptions::Subscription,
    chat: &Channel,
    user_telegram_id: i64,
    label: &str,
    message: impl FnOnce(&str) -> String,
) -> Result<String, AccessError> {
    let client = seller_client(app, platform, chat.user_bot_id).await?;
    let link = create_invite(app, platform, chat, label).await?;
    // Raw, not throttled: the throttle would sit out a long retry_after here; the update
    // fails instead and Telegram redelivers it.
    let sent = client.raw().send_message(ChatId(user_telegram_id), message(&link)).await;
    match sent.map_err(|e| classify(&e)) {
        Ok(_) | Err(TelegramFailure::ChatClosed(_)) => {}
        Err(failure) => {
            let _ = client.raw().revoke_chat_invite_link(ChatId(chat.telegram_chat_id), link.clone()).await;
            return Err(AccessError::Telegram(failure));
        }
    }
    if let (Some(old), false) = (&subscription.invite_link, subscription.link_used) {
        let _ = client.raw().revoke_chat_invite_link(ChatId(chat.telegram_chat_id), old.clone()).await;
    }
    store_invite(app, subscription.id, &link).await?;
    Ok(link)
}
