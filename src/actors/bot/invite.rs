//! Hands a personal invite link ([`Invite`]) to a customer through the seller bot.
//!
//! One delivery per subscription at a time, cluster-wide (two devices approving at once, a
//! fresh-link press during an approval's follow-up): the second waits its turn (a failure
//! the courier or Telegram's redelivery retries). The link is stored before the message is
//! sent, under the delivery's name, so a retry after a crash or a 429 sends the same link
//! again instead of a second one; the customer's previous unused link is revoked.

use teloxide_core::{
    payloads::CreateChatInviteLinkSetters,
    requests::Requester,
    types::{ChatId, UserId},
    RequestError,
};

use super::executor::execute;
use crate::{
    crypto::redact_tokens,
    handlers::Invite,
    platform::Platform,
    services::access::{self, AccessError, InviteStart},
    telegram::{
        errors::{classify, migrated_to, TelegramFailure},
        BotClient,
    },
};

/// Carries out an [`Invite`]: done (or handed to its `otherwise` for good) is `Ok`; a failure
/// a retry may fix is `Err`.
pub async fn deliver(client: &BotClient, platform: &Platform, invite: &Invite) -> Result<(), TelegramFailure> {
    let app = platform.app();
    let held = access::hold(app, invite.subscription_id).await.map_err(not_now)?;
    let result = deliver_held(client, platform, invite).await;
    access::release(app, held).await;
    result
}

async fn deliver_held(client: &BotClient, platform: &Platform, invite: &Invite) -> Result<(), TelegramFailure> {
    let app = platform.app();
    let link = match access::begin(app, invite.subscription_id, &invite.delivery).await.map_err(not_now)? {
        InviteStart::Ended => return Ok(()),
        InviteStart::Made(link) => link,
        InviteStart::New { chat_id, replaces } => {
            if let Some(text) = &invite.if_member {
                if is_member(client, chat_id, invite.user_id).await {
                    return answer(client, invite.user_id, text.clone()).await;
                }
            }
            let link = match create(client, platform, chat_id, &invite.name).await {
                Ok(link) => link,
                Err(e) => match classify(&e) {
                    failure @ (TelegramFailure::Transient(_)
                    | TelegramFailure::RetryAfter(_)
                    | TelegramFailure::TokenRevoked) => return Err(failure),
                    failure => {
                        tracing::warn!(?failure, subscription = invite.subscription_id, "no invite link could be made");
                        return execute(client, platform, invite.user_id, invite.otherwise.clone()).await;
                    }
                },
            };
            access::record(app, invite.subscription_id, &invite.delivery, &link).await.map_err(not_now)?;
            if let Some(old) = replaces {
                if let Err(e) = client.raw().revoke_chat_invite_link(ChatId(chat_id), old).await {
                    tracing::info!(error = %redact_tokens(&e.to_string()), "the previous unused link was not revoked");
                }
            }
            link
        }
    };
    let (before, after) = &invite.text;
    answer(client, invite.user_id, format!("{before}{link}{after}")).await
}

/// A new personal link (join request required) in the chat, following it when the group
/// became a supergroup.
async fn create(client: &BotClient, platform: &Platform, chat_id: i64, name: &str) -> Result<String, RequestError> {
    let create = |chat_id: i64| {
        client
            .raw()
            .create_chat_invite_link(ChatId(chat_id))
            .creates_join_request(true)
            .name(name.chars().take(32).collect::<String>())
    };
    let created = match create(chat_id).await {
        Err(e) => match crate::services::channels::upgraded_to(platform.app(), chat_id, migrated_to(&e)).await {
            Some(to) => create(to).await,
            None => Err(e),
        },
        created => created,
    };
    created.map(|link| link.invite_link)
}

/// Whether the user is in the chat now (an unknown answer counts as not).
async fn is_member(client: &BotClient, chat_id: i64, user_id: i64) -> bool {
    let member = client.raw().get_chat_member(ChatId(chat_id), UserId(user_id as u64)).await;
    member.is_ok_and(|m| m.is_present())
}

/// Sends the customer a message without the throttle (it would sit out a long `retry_after`
/// here; the delivery fails instead and is retried). A chat closed to the bot ends it.
async fn answer(client: &BotClient, user_id: i64, text: String) -> Result<(), TelegramFailure> {
    match client.raw().send_message(ChatId(user_id), text).await.map_err(|e| classify(&e)) {
        Ok(_) => Ok(()),
        Err(TelegramFailure::ChatClosed(reason) | TelegramFailure::Rejected(reason)) => {
            tracing::info!(%reason, "the customer could not be sent their link");
            Ok(())
        }
        Err(failure) => Err(failure),
    }
}

/// Storage or the hold said "not now": retried like a network failure.
fn not_now(e: AccessError) -> TelegramFailure {
    TelegramFailure::Transient(format!("link delivery: {e}"))
}
