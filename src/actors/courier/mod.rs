//! The courier: carries out the effects updates queued for later (`Effect::Later`: messages
//! and receipts to owners; `Effect::FollowUp`: what follows a decision, such as the reason of
//! a rejection to the customer or a plan's approval to its owner), so a chat at Telegram's
//! limit never holds up the update that planned them.
//!
//! Queued effects live in the `deliveries` table. The courier wakes when one is queued (and
//! every [`POLL`] anyway, for other nodes' rows and retries), leases the due ones and sends
//! them through the same executor and throttled clients as the bots: per target chat in
//! order, chats side by side. A transient failure or a 429 makes a row due again later
//! (`retry_after`, or a backoff); a row done is never sent again. A lease that lapses (the
//! process froze) or whose holder died (its connection closed, see `db::lease_holder`) makes
//! the row due for any node: at least once, and once per planned effect.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use futures_util::StreamExt;

use crate::{
    actors::bot::run_effect,
    db::{
        deliveries::{self, Delivery},
        DbError,
    },
    platform::Platform,
    state::AppState,
    telegram::errors::TelegramFailure,
};

/// How often the courier looks for due rows without being woken.
pub const POLL: Duration = Duration::from_millis(500);
/// How long a lease lasts if its holder stays alive but never finishes (a frozen node); a
/// holder that dies gives its leases back at once.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
/// Rows leased per round.
const BATCH: i64 = 200;
/// Chats served side by side.
const CHATS_AT_ONCE: usize = 16;
/// Deliveries to one chat carried out per round (the rest wait for the next round).
const PER_CHAT_PER_ROUND: usize = 4;
/// Attempts after which a delivery is given up (and logged as an error).
const MAX_ATTEMPTS: i32 = 20;

/// Runs the courier until the runtime stops.
pub async fn run(app: AppState, platform: Arc<Platform>) {
    loop {
        tokio::select! {
            _ = app.courier.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
        }
        if let Err(e) = round(&app, &platform).await {
            tracing::warn!(error = %e, "courier round failed; retrying");
        }
    }
}

/// One round: lease what is due and carry it out, chat by chat.
pub async fn round(app: &AppState, platform: &Platform) -> Result<usize, DbError> {
    // Leases are taken only while this process's holder lock is held (see `lease_holder`).
    let Some(holder) = app.leases.key() else {
        return Ok(0);
    };
    let leased = {
        let mut conn = app.db.get().await?;
        deliveries::lease_due(&mut conn, app.clock.now(), (LEASE, holder), BATCH).await?
    };
    let count = leased.len();
    if count == 0 {
        return Ok(0);
    }
    let mut by_chat: BTreeMap<i64, Vec<Delivery>> = BTreeMap::new();
    for delivery in leased {
        let chat = delivery.effect.target_chat().unwrap_or(delivery.reply_chat);
        by_chat.entry(chat).or_default().push(delivery);
    }
    // A chat at Telegram's limit (an owner told of many payments at once) sends about one
    // message a second: a round takes a few of its deliveries and gives the rest back, so
    // the round ends soon and the other chats' deliveries are not held behind it.
    let mut released = Vec::new();
    for queue in by_chat.values_mut() {
        released.extend(queue.drain(PER_CHAT_PER_ROUND.min(queue.len())..).map(|d| d.id));
    }
    if !released.is_empty() {
        let mut conn = app.db.get().await?;
        deliveries::release(&mut conn, &released).await?;
    }
    futures_util::stream::iter(by_chat.into_values())
        .for_each_concurrent(CHATS_AT_ONCE, |queue| deliver_in_order(app, platform, queue))
        .await;
    Ok(count)
}

/// One chat's deliveries in order; the first that fails stops the rest (due again at once).
async fn deliver_in_order(app: &AppState, platform: &Platform, queue: Vec<Delivery>) {
    let mut stopped = false;
    for delivery in queue {
        let now = app.clock.now();
        let outcome = if stopped { None } else { Some(deliver(platform, &delivery).await) };
        let recorded = async {
            let mut conn = app.db.get().await?;
            match outcome {
                Some(Ok(())) => deliveries::mark_done(&mut conn, delivery.id, now).await?,
                Some(Err(_)) if delivery.attempts >= MAX_ATTEMPTS => {
                    tracing::error!(delivery = delivery.id, "delivery given up after {MAX_ATTEMPTS} attempts");
                    deliveries::mark_done(&mut conn, delivery.id, now).await?
                }
                Some(Err(failure)) => {
                    stopped = true;
                    deliveries::retry_at(&mut conn, delivery.id, now + backoff(&failure, delivery.attempts)).await?
                }
                None => deliveries::retry_at(&mut conn, delivery.id, now).await?,
            };
            Ok::<_, DbError>(())
        };
        if let Err(e) = recorded.await {
            tracing::warn!(delivery = delivery.id, error = %e, "delivery outcome not recorded; its lease will lapse");
        }
    }
}

async fn deliver(platform: &Platform, delivery: &Delivery) -> Result<(), TelegramFailure> {
    let client = platform.client_of(delivery.bot_id).await.unwrap_or_else(|| platform.main.clone());
    let result = run_effect(&client, platform, delivery.reply_chat, delivery.effect.clone()).await;
    if let Err(failure) = &result {
        tracing::info!(delivery = delivery.id, ?failure, attempts = delivery.attempts, "delivery will be retried");
    }
    result
}

/// When to try again: what Telegram asked for, else 2^attempts seconds up to 5 minutes.
fn backoff(failure: &TelegramFailure, attempts: i32) -> chrono::Duration {
    match failure {
        TelegramFailure::RetryAfter(seconds) => chrono::Duration::seconds(i64::from(*seconds)),
        _ => chrono::Duration::seconds(1_i64 << attempts.clamp(0, 8)).min(chrono::Duration::minutes(5)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_what_telegram_asked_or_back_off_up_to_five_minutes() {
        assert_eq!(backoff(&TelegramFailure::RetryAfter(7), 1), chrono::Duration::seconds(7));
        assert_eq!(backoff(&TelegramFailure::Transient("x".into()), 1), chrono::Duration::seconds(2));
        assert_eq!(
            backoff(&TelegramFailure::Transient("x".into()), 30),
            chrono::Duration::minutes(4) + chrono::Duration::seconds(16)
        );
    }
}
