//! End of paid access: every active subscription past its end leaves its channel or group
//! (ban, then unban with `only_if_banned`, so the user can pay and come back), is marked
//! expired, and both the user (with a Renew button) and the owner are told.
//!
//! Nothing is marked removed that was not removed, and a renewal always wins: right before
//! the ban the subscription is marked `removing` in a committed, guarded statement (still
//! active, still due), so a renewal approved while the job looked the user up makes the ban
//! never happen. From then on the removal is durable work: a refusal or a failure leaves the
//! row `removing` with its next attempt pushed back (`db::removals`), the owner is told once
//! per episode (refused: what to fix; failing: after a few attempts) and so are the
//! moderators, and later runs retry
//! until Telegram confirms. A renewal that lands between the mark and the ban (one Bot API
//! call) takes the row back to `active`; the job then invites the customer back at once.
//!
//! Removals go through the bot's stored token when no actor serves it (failed, disconnected),
//! so a crashed bot does not keep expired customers in; a revoked token's owner is told once
//! how many customers wait, and removals resume with the new token. Bots are worked on in parallel, each
//! within its own limits.

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

use super::{
    notices::lang_of,
    removal_reports::{report_refusal, report_stuck, report_unreachable, REPORT_AFTER},
    Jobs, Outcome,
};
use crate::{
    actors::bot::run_effect,
    db::{
        lifecycle::{self, Cursor, DueAccess, Ending},
        removals, subscriptions, DbError,
    },
    handlers::{common::chat_label, Effect, Invite, LINK_SLOT},
    services::channels,
    telegram::{
        errors::{classify, migrated_to, TelegramFailure},
        BotClient,
    },
};

/// Due subscriptions read per page.
const PAGE: i64 = 1_000;
/// Bots worked on at the same time.
const BOTS_AT_ONCE: usize = 32;
/// Removals in flight per chat (the bot's throttle paces the messages).
const USERS_AT_ONCE: usize = 4;

/// One run: the removals begun earlier whose retry is due, then everything newly due.
pub(super) async fn run(jobs: &Jobs) -> Result<Outcome, DbError> {
    let now = jobs.app.clock.now();
    let retries = {
        let mut conn = jobs.app.db.get().await?;
        removals::retry_page(&mut conn, now, PAGE).await?
    };
    let mut outcome = remove_page(jobs, retries, now).await;
    let mut cursor = Cursor::start();
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
    let Some(client) = jobs.platform.stored_client(bot).await else {
        tracing::warn!(bot_id = bot, count, "no usable token for a bot with due removals; next run retries");
        for dues in chats.values() {
            report_unreachable(jobs, dues, jobs.app.clock.now()).await;
        }
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
    let waiting = dues.len();
    stream::iter(dues)
        .map(|due| {
            let refused = &refused;
            async move {
                let retry = Outcome { done: 0, retry: 1 };
                if refused.load(Ordering::Relaxed) {
                    return retry;
                }
                match remove(jobs, client, &due).await {
                    Step::Ended(ending) => {
                        let done = finish(jobs, client, &due, ending, now).await;
                        Outcome { done: usize::from(done), retry: usize::from(!done) }
                    }
                    Step::Renewed => {
                        tracing::info!(subscription = due.subscription_id, "renewed before the ban; nobody removed");
                        Outcome::default()
                    }
                    Step::Refused(reason) => {
                        refused.store(true, Ordering::Relaxed);
                        failed_attempt(jobs, &due, now).await;
                        report_refusal(jobs, &due, (&reason, waiting), now).await;
                        retry
                    }
                    Step::Later(reason) => {
                        tracing::info!(subscription = due.subscription_id, %reason, "removal deferred");
                        if failed_attempt(jobs, &due, now).await == Some(REPORT_AFTER) {
                            report_stuck(jobs, &due).await;
                        }
                        retry
                    }
                }
            }
        })
        .buffer_unordered(USERS_AT_ONCE)
        .fold(Outcome::default(), |sum, o| async move { sum + o })
        .await
}

/// What Telegram made of one removal.
enum Step {
    /// The access is over (the user was removed, or was not there).
    Ended(Ending),
    /// A renewal came first: the access goes on and nobody was banned.
    Renewed,
    /// The chat refuses: the bot lacks a right or is not there any more.
    Refused(String),
    /// Telegram (or storage) did not answer properly; try again later.
    Later(String),
}

async fn remove(jobs: &Jobs, client: &BotClient, due: &DueAccess) -> Step {
    let user = UserId(due.user_telegram_id as u64);
    let mut chat = ChatId(due.chat_id);
    let member = loop {
        match client.raw().get_chat_member(chat, user).await {
            Ok(member) => break member,
            Err(e) => match channels::upgraded_to(&jobs.app, chat.0, migrated_to(&e)).await {
                // The group became a supergroup (its link now follows it): once more there.
                Some(to) if chat.0 == due.chat_id => chat = ChatId(to),
                _ => return judge(classify(&e)),
            },
        }
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
    // The due check made again, committed, right before the ban: a renewal either came
    // first (nobody is banned) or finds the row `removing` and takes it back.
    let claimed = async {
        let mut conn = jobs.app.db.get().await?;
        Ok::<_, DbError>(removals::claim(&mut conn, due.subscription_id, jobs.app.clock.now()).await?)
    };
    match claimed.await {
        Ok(true) => {}
        Ok(false) => return Step::Renewed,
        Err(e) => return Step::Later(format!("not marked removing: {e}")),
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
                Step::Later(reason)
            }
        }
        other => Step::Later(format!("{other:?}")),
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
        Ok(false) if ending == Ending::Removed => return invite_back(jobs, client, due).await,
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
        jobs.tell_end_user(client, lang, due.user_telegram_id, text, Some((due.channel_id, &due.chat_title))).await
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

/// Counts a failed attempt on a removal begun earlier and schedules its retry; returns the
/// attempts made so far (`None` when the row was not `removing`: never claimed, or renewed).
async fn failed_attempt(jobs: &Jobs, due: &DueAccess, now: DateTime<Utc>) -> Option<i32> {
    let recorded = async {
        let mut conn = jobs.app.db.get().await?;
        Ok::<_, DbError>(removals::record_failure(&mut conn, due.subscription_id, now).await?)
    };
    match recorded.await {
        Ok(attempts) => attempts,
        Err(e) => {
            tracing::warn!(subscription = due.subscription_id, error = %e, "failed attempt not recorded");
            None
        }
    }
}

/// The ban went out, but a renewal took the subscription back meanwhile: the customer gets a
/// fresh personal link at once (once per renewal, however often this is retried). Returns
/// whether the job is done with it (false: retry).
async fn invite_back(jobs: &Jobs, client: &BotClient, due: &DueAccess) -> bool {
    let loaded = async {
        let mut conn = jobs.app.db.get().await?;
        Ok::<_, DbError>(subscriptions::find(&mut conn, due.subscription_id).await?)
    };
    let sub = match loaded.await {
        Ok(Some(sub)) if sub.status == "active" => sub,
        Ok(_) => return true, // ended some other way meanwhile
        Err(e) => {
            tracing::warn!(subscription = due.subscription_id, error = %e, "renewed customer not invited back yet");
            return false;
        }
    };
    tracing::warn!(subscription = sub.id, "renewed right as the ban went out; inviting the customer back");
    let renewal = sub.payment_id.unwrap_or(sub.id);
    let title = chat_label(&due.chat_kind, &due.chat_title);
    let text = jobs.app.i18n.tr(
        lang_of(due.user_language.as_deref()),
        "access-renewed-rejoin",
        &[("chat", &title), ("link", LINK_SLOT)],
    );
    let invite = Invite {
        subscription_id: sub.id,
        user_id: due.user_telegram_id,
        name: format!("Getolog #{renewal}"),
        text: Invite::around_link(&text),
        if_member: None,
        // The customer can still ask for a fresh link ("🔗 Get my invite link").
        otherwise: Vec::new(),
        delivery: format!("rejoin:{}:{renewal}", sub.id),
    };
    match run_effect(client, &jobs.platform, due.user_telegram_id, Effect::Invite(Box::new(invite))).await {
        Ok(()) => true,
        Err(failure) if failure.is_transient() => {
            tracing::warn!(subscription = sub.id, ?failure, "renewed customer not invited back yet");
            false
        }
        Err(failure) => {
            tracing::warn!(subscription = sub.id, ?failure, "renewed customer not invited back");
            true
        }
    }
}
