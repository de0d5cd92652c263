//! What the expiry job says when removals cannot go through: the owner once per episode
//! (what to fix, how many customers wait), and the moderators once too.

use chrono::{DateTime, Utc};

use super::{notices::lang_of, Jobs};
use crate::{
    db::{
        lifecycle::{self, DueAccess},
        DbError,
    },
    events::PlatformEvent,
    handlers::common::chat_label,
};

/// Failed attempts after which the owner hears that a removal is stuck (once).
pub(super) const REPORT_AFTER: i32 = 3;

/// No usable token (revoked): the owner hears once per episode, per chat, how many expired
/// customers are still in; the first removal that goes through after the new token ends the
/// episode.
pub(super) async fn report_unreachable(jobs: &Jobs, dues: &[DueAccess], now: DateTime<Utc>) {
    let Some(first) = dues.first().filter(|d| !d.removal_blocked) else { return };
    let started = async {
        let mut conn = jobs.app.db.get().await?;
        Ok::<_, DbError>(lifecycle::block_removals(&mut conn, first.channel_id, now).await?)
    };
    if !matches!(started.await, Ok(true)) {
        return;
    }
    let lang = lang_of(Some(&first.owner_language));
    let (chat, count) = (chat_label(&first.chat_kind, &first.chat_title), dues.len().to_string());
    let text = jobs.app.i18n.tr(lang, "owner-removal-token-revoked", &[("chat", &chat), ("count", &count)]);
    jobs.platform.inform(first.owner_telegram_id, text);
    alert_moderators(jobs, first, "token").await;
}

/// The chat refused a removal: the owner hears it once per episode, with how many expired
/// customers wait there (the flag is cleared by the next removal that goes through).
pub(super) async fn report_refusal(jobs: &Jobs, due: &DueAccess, (reason, waiting): (&str, usize), now: DateTime<Utc>) {
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
    let count = waiting.to_string();
    let text = jobs.app.i18n.tr(lang, key, &[("chat", &chat), ("user", &due.user_name), ("count", &count)]);
    if let Err(failure) = jobs.tell_owner(due.owner_telegram_id, text).await {
        tracing::warn!(?failure, "owner not told that removals are refused; next run tells them");
        if let Ok(mut conn) = jobs.app.db.get().await {
            let _ = lifecycle::unblock_removals(&mut conn, due.channel_id).await;
        }
        return;
    }
    let cause = if key == "owner-removal-needs-rights" { "rights" } else { "no_access" };
    alert_moderators(jobs, due, cause).await;
}

/// The moderators hear of a blocked removal episode once, as the owner does: they can help
/// an owner who does not act on it.
async fn alert_moderators(jobs: &Jobs, due: &DueAccess, cause: &str) {
    let found = async {
        let mut conn = jobs.app.db.get().await?;
        Ok::<_, DbError>(crate::db::bot_health::target(&mut conn, due.telegram_bot_id).await?)
    };
    let username = match found.await {
        Ok(Some(target)) => target.username,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(bot_id = due.telegram_bot_id, error = %e, "moderators not told of blocked removals");
            return;
        }
    };
    jobs.events.do_send(PlatformEvent::RemovalsBlocked {
        telegram_bot_id: due.telegram_bot_id,
        username,
        chat: chat_label(&due.chat_kind, &due.chat_title),
        cause: cause.to_owned(),
    });
}

/// Telegram kept failing on one removal: the owner hears it once (at the attempt that
/// reaches [`REPORT_AFTER`]); the job keeps retrying with a growing delay.
pub(super) async fn report_stuck(jobs: &Jobs, due: &DueAccess) {
    tracing::warn!(subscription = due.subscription_id, chat_id = due.chat_id, "removal keeps failing");
    let lang = lang_of(Some(&due.owner_language));
    let chat = chat_label(&due.chat_kind, &due.chat_title);
    let attempts = REPORT_AFTER.to_string();
    let args = [("chat", chat.as_str()), ("user", due.user_name.as_str()), ("failures", attempts.as_str())];
    jobs.platform.inform(due.owner_telegram_id, jobs.app.i18n.tr(lang, "owner-removal-stuck", &args));
    alert_moderators(jobs, due, "failing").await;
}
