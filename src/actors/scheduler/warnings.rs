//! 3-day and 1-day warnings to end users, each with a Renew button. A warning is claimed
//! (its flag set) in the same statement that finds it, so it goes out once across runs,
//! nodes and restarts; one that could not go out for a passing reason is given back after
//! the run. Lifetime subscriptions have no end and never show up here. A Telegram Stars
//! subscription that will renew is not warned: it is told "renews on …" once, at 3 days.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use futures_util::{stream, StreamExt};

use super::{
    notices::{days_left, lang_of},
    Jobs, Outcome,
};
use crate::{
    db::{
        lifecycle::{self, DueWarning, Warning},
        DbError,
    },
    handlers::common::chat_label,
};

/// Warnings claimed per statement.
const PAGE: i64 = 1_000;
/// Bots sending at the same time.
const BOTS_AT_ONCE: usize = 32;
/// Messages in flight per bot (its throttle keeps them within Telegram's limits).
const SENDS_AT_ONCE: usize = 8;

/// One run: the nearer warning first, so a user who is already within a day hears only it.
pub(super) async fn run(jobs: &Jobs) -> Result<Outcome, DbError> {
    let now = jobs.app.clock.now();
    let mut outcome = Outcome::default();
    for warning in [Warning::OneDay, Warning::ThreeDays] {
        let mut give_back = Vec::new();
        loop {
            let claimed = {
                let mut conn = jobs.app.db.get().await?;
                lifecycle::claim_warnings(&mut conn, warning, now, PAGE).await?
            };
            let full = claimed.len() as i64 == PAGE;
            let (sent, failed) = send_all(jobs, claimed, (warning, now)).await;
            outcome = outcome + Outcome { done: sent, retry: failed.len() };
            give_back.extend(failed);
            if !full {
                break;
            }
        }
        let mut conn = jobs.app.db.get().await?;
        for id in give_back {
            lifecycle::unclaim_warning(&mut conn, id, warning).await?;
        }
    }
    Ok(outcome)
}

/// Sends the claimed warnings, bots in parallel; returns how many went out and the
/// subscriptions to give back.
async fn send_all(jobs: &Jobs, claimed: Vec<DueWarning>, at: (Warning, DateTime<Utc>)) -> (usize, Vec<i64>) {
    let mut by_bot: BTreeMap<i64, Vec<DueWarning>> = BTreeMap::new();
    for due in claimed {
        by_bot.entry(due.telegram_bot_id).or_default().push(due);
    }
    let per_bot: Vec<(usize, Vec<i64>)> = stream::iter(by_bot)
        .map(|(bot, dues)| send_for_bot(jobs, bot, dues, at))
        .buffer_unordered(BOTS_AT_ONCE)
        .collect()
        .await;
    per_bot.into_iter().fold((0, Vec::new()), |(sent, mut back), (s, b)| {
        back.extend(b);
        (sent + s, back)
    })
}

async fn send_for_bot(
    jobs: &Jobs,
    bot: i64,
    dues: Vec<DueWarning>,
    (warning, now): (Warning, DateTime<Utc>),
) -> (usize, Vec<i64>) {
    let Some(client) = jobs.platform.client_of(bot).await else {
        return (0, dues.iter().map(|d| d.subscription_id).collect());
    };
    let results: Vec<Result<(), i64>> = stream::iter(dues)
        .map(|due| {
            let client = &client;
            async move {
                let lang = lang_of(due.user_language.as_deref());
                let args = [
                    ("chat", chat_label(&due.chat_kind, &due.chat_title)),
                    ("date", jobs.date(due.expires_at)),
                    ("days", days_left(now, due.expires_at).to_string()),
                ];
                let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let told = match (due.renews, warning) {
                    // A renewing subscription hears once that it renews, and no warning.
                    (true, Warning::OneDay) => return Ok(()),
                    (true, Warning::ThreeDays) => {
                        let text = jobs.app.i18n.tr(lang, "access-renews", &args);
                        jobs.tell_end_user(client, lang, due.user_telegram_id, text, None).await
                    }
                    (false, _) => {
                        let text = jobs.app.i18n.tr(lang, "access-ending", &args);
                        let renew = Some((due.channel_id, due.chat_title.as_str()));
                        jobs.tell_end_user(client, lang, due.user_telegram_id, text, renew).await
                    }
                };
                match told {
                    Ok(()) => Ok(()),
                    Err(failure) if failure.is_transient() => Err(due.subscription_id),
                    Err(failure) => {
                        // Blocked the bot or never started it: nothing later will change that.
                        tracing::info!(subscription = due.subscription_id, ?failure, "warning not deliverable");
                        Ok(())
                    }
                }
            }
        })
        .buffer_unordered(SENDS_AT_ONCE)
        .collect()
        .await;
    let back: Vec<i64> = results.iter().filter_map(|r| r.err()).collect();
    (results.len() - back.len(), back)
}
