//! End of paid access: every active subscription past its end leaves its channel or group
//! (ban, then unban with `only_if_banned`, so the user can pay and come back), is marked
//! expired, and both the user (with a Renew button) and the owner are told.
//!
//! Nothing is marked removed that was not removed: when Telegram refuses (the bot lost its
//! rights or the chat), the subscription stays due, the owner is told once what is wrong, and
//! the next run tries again. Bots are worked on in parallel, each within its own limits.

use std::{
    collections::BTreeMap,
    sync::atomic::{AtomicBool, Ordering},
};

use chrono::{DateTime, Utc};
use futures_util::{stream, StreamExt};
use teloxide_core::{
    payloads::UnbanChatMemberSetters,
    requests::Requester,
    types::{ChatId, ChatMemberKind, UserId},
};

use super::{notices::lang_of, Jobs, Outcome};
use crate::{
    db::{
        lifecycle::{self, Cursor, DueAccess, Ending},
        DbError,
    },
    handlers::common::chat_label,
    telegram::{
        errors::{classify, TelegramFailure},
        BotClient,
    },
};

/// Due subscriptions read per page.
const PAGE: i64 = 1_000;
/// Bots worked on at the same time.
const BOTS_AT_ONCE: usize = 32;
/// Removals in flight per chat (the bot's throttle paces the messages).
const USERS_AT_ONCE: usize = 4;

/// One run over everything due now.
pub(super) async fn run(jobs: &Jobs) -> Result<Outcome, DbError> {
    let now = jobs.app.clock.now();
    let mut cursor = Cursor::start();
    let mut outcome = Outcome::default();
    loop {
        let page = {
            let mut conn = jobs.app.db.get().await?;
            lifecycle::due_page(&mut conn, now, cursor, PAGE).await?
        };
        let Some(last) = page.last() else { break };
        cursor = Cursor { expires_at: last.expires_at, id: last.subscription_id };
        let full = page.len() as i64 == PAGE;
        outcome = outcome + remove_page(jobs, page, now).await;
        if !full {
            break;
        }
    }
    Ok(outcome)
}

async fn remove_page(jobs: &Jobs, page: Vec<DueAccess>, now: DateTime<Utc>) -> Outcome {
    let mut by_bot: BTreeMap<i64, BTreeMap<i64, Vec<DueAccess>>> = BTreeMap::new();
    for due in page {
        by_bot.entry(due.telegram_bot_id).or_default().entry(due.channel_id).or_default().push(due);
    }
    stream::iter(by_bot)
        .map(|(bot, chats)| remove_for_bot(jobs, bot, chats, now))
        .buffer_unordered(BOTS_AT_ONCE)
        .fold(Outcome::default(), |sum, o| async move { sum + o })
        .await
}

async fn remove_for_bot(jobs: &Jobs, bot: i64, chats: BTreeMap<i64, Vec<DueAccess>>, now: DateTime<Utc>) -> Outcome {
    let count: usize = chats.values().map(Vec::len).sum();
    let Some(client) = jobs.platform.client_of(bot).await else {
        tracing::warn!(bot_id = bot, count, "no client for a bot with due removals; next run retries");
        return Outcome { done: 0, retry: count };
    };
    let mut outcome = Outcome::default();
    for (_, dues) in chats {
        outcome = outcome + remove_in_chat(jobs, &client, dues, now).await;
    }
    outcome
}

/// Removes a chat's due users; the first refusal for missing rights stops the chat's batch
/// (the rest would be refused too).
async fn remove_in_chat(jobs: &Jobs, client: &BotClient, dues: Vec<DueAccess>, now: DateTime<Utc>) -> Outcome {
    let refused = AtomicBool::new(false);
    let results: Vec<bool> = stream::iter(dues)
        .map(|due| {
            let refused = &refused;
            async move {
                if refused.load(Ordering::Relaxed) {
                    return false;
                }
                match remove(client, &due).await {
                    Step::Ended(ending) => finish(jobs, client, &due, ending, now).await,
                    Step::Refused(reason) => {
                        refused.store(true, Ordering::Relaxed);
                        report_refusal(jobs, &due, &reason, now).await;
                        false
                    }
                    Step::Later(failure) => {
                        tracing::info!(subscription = due.subscription_id, ?failure, "removal deferred");
                        false
                    }
                }
            }
        })
        .buffer_unordered(USERS_AT_ONCE)
        .collect()
        .await;
    let done = results.iter().filter(|ok| **ok).count();
    Outcome { done, retry: results.len() - done }
}

/// What Telegram made of one removal.
enum Step {
    /// The access is over (the user was removed, or was not there).
    Ended(Ending),
    /// The chat refuses: the bot lacks a right or is not there any more.
    Refused(String),
    /// Telegram did not answer properly; try next run.
    Later(TelegramFailure),
}

async fn remove(client: &BotClient, due: &DueAccess) -> Step {
    let (chat, user) = (ChatId(due.chat_id), UserId(due.user_telegram_id as u64));
    let member = match client.raw().get_chat_member(chat, user).await {
        Ok(member) => member,
        Err(e) => return judge(classify(&e)),
    };
    match member.kind {
        ChatMemberKind::Member(_) | ChatMemberKind::Restricted(_) => {}
        ChatMemberKind::Left | ChatMemberKind::Banned(_) => return Step::Ended(Ending::AlreadyGone),
        ChatMemberKind::Owner(_) | ChatMemberKind::Administrator(_) => {
            tracing::info!(
                subscription = due.subscription_id,
                "subscriber is an admin there; access ends without removal"
            );
            return Step::Ended(Ending::AlreadyGone);
        }
    }
    if let Err(e) = client.raw().ban_chat_member(chat, user).await {
        return judge(classify(&e));
    }
    if let Err(e) = client.raw().unban_chat_member(chat, user).only_if_banned(true).await {
        // Removed, but the ban stays until someone lifts it: worth an operator's look.
        tracing::error!(subscription = due.subscription_id, error = %e, "unban after removal failed; user stays banned");
    }
    Step::Ended(Ending::Removed)
}

fn judge(failure: TelegramFailure) -> Step {
    match failure {
        TelegramFailure::ChatClosed(reason) => Step::Refused(reason),
        TelegramFailure::Rejected(reason) => {
            let lower = reason.to_lowercase();
            if lower.contains("user not found") || lower.contains("participant_id_invalid") {
                Step::Ended(Ending::AlreadyGone)
            } else if lower.contains("rights") || lower.contains("admin") || lower.contains("chat not found") {
                Step::Refused(reason)
            } else {
                Step::Later(TelegramFailure::Rejected(reason))
            }
        }
        other => Step::Later(other),
    }
}

/// Records the end, then tells the user and the owner; an unused invite link is revoked so
/// it cannot be used after the end.
async fn finish(jobs: &Jobs, client: &BotClient, due: &DueAccess, ending: Ending, now: DateTime<Utc>) -> bool {
    let ended = async {
        let mut conn = jobs.app.db.get().await?;
        if due.removal_blocked {
            lifecycle::unblock_removals(&mut conn, due.channel_id).await?;
        }
        Ok::<_, DbError>(lifecycle::end_access(&mut conn, due.subscription_id, ending, now).await?)
    };
    match ended.await {
        Ok(true) => {}
        Ok(false) => return true, // renewed or ended meanwhile
        Err(e) => {
            tracing::warn!(subscription = due.subscription_id, error = %e, "removal not recorded; next run retries");
            return false;
        }
    }
    metrics::counter!("getolog_access_ended_total", "removed" => (ending == Ending::Removed).to_string()).increment(1);
    if let (Some(link), false) = (&due.invite_link, due.link_used) {
        if let Err(e) = client.raw().revoke_chat_invite_link(ChatId(due.chat_id), link.clone()).await {
            tracing::info!(subscription = due.subscription_id, error = %e, "unused invite link not revoked");
        }
    }
    let i18n = &jobs.app.i18n;
    let chat = chat_label(&due.chat_kind, &due.chat_title);
    let lang = lang_of(due.user_language.as_deref());
    let text = i18n.tr(lang, "access-ended", &[("chat", &chat), ("date", &jobs.date(due.expires_at))]);
    if let Err(failure) =
        jobs.tell_end_user(client, lang, due.user_telegram_id, text, (due.channel_id, &due.chat_title)).await
    {
        tracing::info!(subscription = due.subscription_id, ?failure, "end user not told about the end of access");
    }
    let owner_lang = lang_of(Some(&due.owner_language));
    let key = match ending {
        Ending::Removed => "owner-access-removed",
        Ending::AlreadyGone => "owner-access-ended",
    };
    jobs.platform.inform(due.owner_telegram_id, i18n.tr(owner_lang, key, &[("user", &due.user_name), ("chat", &chat)]));
    true
}

/// The chat refused a removal: the owner hears it once per episode (the flag is cleared by
/// the next removal that goes through).
async fn report_refusal(jobs: &Jobs, due: &DueAccess, reason: &str, now: DateTime<Utc>) {
    tracing::warn!(subscription = due.subscription_id, chat_id = due.chat_id, %reason, "removal refused by the chat");
    if due.removal_blocked {
        return;
    }
    let first = async {
        let mut conn = jobs.app.db.get().await?;
        Ok::<_, DbError>(lifecycle::block_removals(&mut conn, due.channel_id, now).await?)
    };
    if !matches!(first.await, Ok(true)) {
        return;
    }
    let lang = lang_of(Some(&due.owner_language));
    let key =
        if reason.to_lowercase().contains("rights") { "owner-removal-needs-rights" } else { "owner-removal-no-access" };
    let chat = chat_label(&due.chat_kind, &due.chat_title);
    let text = jobs.app.i18n.tr(lang, key, &[("chat", &chat), ("user", &due.user_name)]);
    if let Err(failure) = jobs.tell_owner(due.owner_telegram_id, text).await {
        tracing::warn!(?failure, "owner not told that removals are refused; next run tells them");
        if let Ok(mut conn) = jobs.app.db.get().await {
            let _ = lifecycle::unblock_removals(&mut conn, due.channel_id).await;
        }
    }
}
