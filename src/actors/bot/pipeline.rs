//! One update's way through a bot: lane → claim → (journal or handler) → effects → finish.
//!
//! A redelivery continues where the first attempt stopped: the claim returns the journal a
//! failed attempt left, and only the effects not yet done run (the handler does not run
//! again, so nothing it already committed or sent is done twice). See `cache::journal`.

use std::sync::Arc;

use teloxide_core::types::Update;

use super::{executor, lanes::ChatLanes, UpdateOutcome};
use crate::{
    cache::{
        dedupe::Claim,
        journal::Journal,
        rate_limit::{Act, Rate, RateCheck},
        CacheError,
    },
    db::{deliveries, DbError},
    handlers::{self, effects::needs_journal, BotProfile, Effect, HandlerContext, HandlerError},
    platform::Platform,
    state::AppState,
    telegram::{errors::TelegramFailure, reply::WebhookReply, BotClient},
};

/// What an update needs from its bot.
pub(super) struct Bot<'a> {
    pub profile: &'a BotProfile,
    pub client: &'a BotClient,
    pub app: &'a AppState,
    pub platform: &'a Platform,
    pub lanes: &'a Arc<ChatLanes>,
}

/// Lane → claim → handler or journal → effects → finish. Releases the claim on any failure,
/// leaving a journal when some effects were done.
#[tracing::instrument(name = "update", skip_all, fields(bot_id = bot.profile.telegram_id, update_id = update.id.0, chat_id = handlers::lane_of(update)))]
pub(super) async fn process(bot: &Bot<'_>, update: &Update, claim: &str) -> Result<UpdateOutcome, TelegramFailure> {
    let (app, bot_id, update_id) = (bot.app, bot.profile.telegram_id, update.id.0);
    // Claim inside the chat's lane, so time spent queueing behind the chat's earlier updates
    // does not eat into the claim's lease.
    let chat_id = handlers::lane_of(update);
    let _lane = bot.lanes.enter(chat_id).await;
    let check = rate_check(app, bot.profile, update);
    let (resumed, rate) = match app.cache.claim_counted(bot_id, update_id, claim, check).await {
        Ok((Claim::New, rate)) => (None, rate),
        Ok((Claim::Resume(journal), _)) => (Some(journal), None),
        Ok((Claim::AlreadyDone, _)) => return Ok(UpdateOutcome::Duplicate),
        Ok((Claim::InProgress, _)) => return Ok(UpdateOutcome::InProgress),
        Err(e) => {
            tracing::warn!(error = %e, "cannot de-duplicate; asking for redelivery");
            return Ok(not_served(matches!(e, CacheError::Unavailable(_)), e.to_string()));
        }
    };
    let _renewed = app.cache.claim_guard(bot_id, update_id, claim);
    let (journal, reply) = match resumed {
        Some(journal) => {
            tracing::info!(next = journal.next, of = journal.effects.len(), "continuing a journaled update");
            (journal, None)
        }
        None => match plan(bot, update, chat_id, rate).await {
            Ok(effects) => {
                let (effects, reply) = reply_last(effects, chat_id);
                (Journal { effects, next: 0 }, reply)
            }
            Err(e) => {
                tracing::warn!(error = %e, "handler failed; asking for redelivery");
                let _ = app.cache.release_update(bot_id, update_id, claim).await;
                let unavailable = matches!(
                    e,
                    HandlerError::Db(DbError::Unavailable(_)) | HandlerError::Cache(CacheError::Unavailable(_))
                );
                return Ok(not_served(unavailable, e.to_string()));
            }
        },
    };
    // The effect that rides on the webhook's reply is the plan's last, and is not run here
    // (a redelivery that resumes the plan runs it).
    let runnable = journal.effects.len() - usize::from(reply.is_some());
    let journaled = journal.next > 0 || needs_journal(&journal.effects[..runnable]);
    if journaled && journal.next == 0 {
        if let Err(e) = app.cache.write_journal(bot_id, update_id, &journal).await {
            tracing::warn!(error = %e, "cannot journal the plan; asking for redelivery");
            let _ = app.cache.release_update(bot_id, update_id, claim).await;
            return Ok(not_served(matches!(e, CacheError::Unavailable(_)), e.to_string()));
        }
    }
    match run(bot, update_id, chat_id, &journal, (journaled, runnable)).await {
        Ok(()) => {
            if let Err(e) = app.cache.finish(bot_id, update_id, journaled).await {
                // Handled, but not recorded: acknowledging is still right (the work is done).
                tracing::warn!(error = %e, "handled but not recorded as done");
            }
            Ok(reply.map_or(UpdateOutcome::Handled, UpdateOutcome::Replied))
        }
        Err((next, failure)) => {
            // A plan journaled ahead only needs its progress; otherwise it is written now.
            let recorded = if journaled {
                app.cache.advance_journal(bot_id, update_id, next).await
            } else {
                app.cache.write_journal(bot_id, update_id, &Journal { effects: journal.effects, next }).await
            };
            if let Err(e) = recorded {
                tracing::warn!(error = %e, next, "cannot record how far the update got");
            }
            let _ = app.cache.release_update(bot_id, update_id, claim).await;
            tracing::warn!(?failure, next, "Telegram call failed");
            Err(failure)
        }
    }
}

/// What to answer for an update storage could not serve: `Unavailable` (503) when no
/// connection could be had (the node is at capacity, or a store is down), `Failed` (500) when
/// a command failed. Either way Telegram delivers it again.
fn not_served(unavailable: bool, reason: String) -> UpdateOutcome {
    if unavailable {
        UpdateOutcome::Unavailable(reason)
    } else {
        UpdateOutcome::Failed(reason)
    }
}

/// The handler's plan (or the rate limiter's, for an update over the limit), or why there is
/// none.
async fn plan(bot: &Bot<'_>, update: &Update, chat_id: i64, rate: Option<Rate>) -> Result<Vec<Effect>, HandlerError> {
    let app = bot.app;
    let ctx = HandlerContext { bot: bot.profile, app, platform: bot.platform };
    if let Some(Rate::Limited | Rate::LimitedNotify) = rate {
        metrics::counter!("getolog_rate_limited_total", "bot_kind" => bot.profile.kind_label()).increment(1);
        tracing::info!("rate limited; update dropped");
    }
    let dispatched = match rate {
        Some(Rate::Allowed) | None => handlers::dispatch(&ctx, update).await,
        Some(Rate::LimitedNotify) => Ok(vec![Effect::Send {
            chat_id,
            text: app.i18n.tr(handlers::lang_hint(update), "rate-limited", &[]),
            keyboard: None,
        }]),
        Some(Rate::Limited) => Ok(Vec::new()),
    };
    dispatched
}

/// The plan with the effect that rides on the webhook's reply (when it has one) moved to the
/// end: one Bot API round trip fewer per update. That is the answer to a press, or else a
/// last [`Effect::Prompt`] into the update's own chat. Telegram carries it out after the
/// rest; a lost answer only leaves a spinner running until Telegram's own timeout, a lost
/// prompt only asks the user to repeat their command.
fn reply_last(mut effects: Vec<Effect>, chat_id: i64) -> (Vec<Effect>, Option<WebhookReply>) {
    let answers: Vec<usize> = effects
        .iter()
        .enumerate()
        .filter_map(|(i, e)| matches!(e, Effect::AnswerCallback { .. }).then_some(i))
        .collect();
    let at = match answers[..] {
        [at] => at,
        [] if matches!(effects.last(), Some(Effect::Prompt { chat_id: to, .. }) if *to == chat_id) => effects.len() - 1,
        _ => return (effects, None),
    };
    let riding = effects.remove(at);
    let reply = match &riding {
        Effect::AnswerCallback { query_id, text } => {
            WebhookReply::AnswerCallbackQuery { callback_query_id: query_id.clone(), text: text.clone() }
        }
        Effect::Prompt { chat_id, text, keyboard } => WebhookReply::SendMessage {
            chat_id: *chat_id,
            text: executor::fit(text.clone(), executor::MAX_TEXT),
            reply_markup: keyboard.clone().map(executor::markup),
        },
        _ => unreachable!("position of an answer or a prompt"),
    };
    effects.push(riding);
    (effects, Some(reply))
}

/// Runs the journal's remaining effects up to `runnable`; after each unrepeatable one that is
/// not the last, records the progress (when journaled). A failure says at which effect it
/// stopped.
async fn run(
    bot: &Bot<'_>,
    update_id: u32,
    chat_id: i64,
    journal: &Journal,
    (journaled, runnable): (bool, usize),
) -> Result<(), (usize, TelegramFailure)> {
    let last = runnable.saturating_sub(1);
    for (i, effect) in journal.effects.iter().enumerate().take(runnable).skip(journal.next) {
        match effect {
            Effect::Later(later) => {
                let key = format!("{}:{update_id}:{i}", bot.profile.telegram_id);
                queue(bot, &key, chat_id, later).await.map_err(|f| (i, f))?
            }
            Effect::FollowUp { key, effect } => queue(bot, key, chat_id, effect).await.map_err(|f| (i, f))?,
            effect => executor::run_one(bot.client, bot.platform, chat_id, effect.clone()).await.map_err(|f| (i, f))?,
        }
        if journaled && i < last && !effect.is_repeatable() {
            if let Err(e) = bot.app.cache.advance_journal(bot.profile.telegram_id, update_id, i + 1).await {
                tracing::warn!(error = %e, done = i + 1, "journal progress not recorded");
            }
        }
    }
    Ok(())
}

/// Hands an effect to the courier under `key`: its place in this update's plan
/// (`bot:update:index`, for [`Effect::Later`]) or the decision it follows (for
/// [`Effect::FollowUp`]). Queuing a key again (a redelivery, another press) changes nothing.
async fn queue(bot: &Bot<'_>, key: &str, chat_id: i64, effect: &Effect) -> Result<(), TelegramFailure> {
    let app = bot.app;
    let bot_id = bot.profile.telegram_id;
    let queued = async {
        let conn = app.db.get().await?;
        deliveries::enqueue(&conn, key, (bot_id, chat_id), effect, app.clock.now()).await?;
        Ok::<_, DbError>(())
    };
    queued.await.map_err(|e| TelegramFailure::Transient(format!("delivery not queued: {e}")))?;
    app.courier.notify_one();
    Ok(())
}

/// What to count against the per-user limit (see [`counted_act`]).
fn rate_check(app: &AppState, profile: &BotProfile, update: &Update) -> Option<RateCheck> {
    let (user_id, at) = counted_act(update, app.clock.now().timestamp())?;
    let act = Act { bot_id: profile.telegram_id, user_id, update_id: update.id.0, at };
    Some(RateCheck { act, limit: app.settings.rate_limit_per_second, window: app.settings.rate_limit_window })
}

/// Who acted and when, for the per-user limit: a person's message in a private chat (at the
/// time they sent it) or a button press (`now`: the Bot API gives a press no time of its
/// own). Other updates are not counted, nor is Telegram's own service message of a payment
/// (`successful_payment`): a customer who wrote fast must never lose what they paid for.
fn counted_act(update: &Update, now: i64) -> Option<(i64, i64)> {
    use teloxide_core::types::UpdateKind;
    let (user, at) = match &update.kind {
        UpdateKind::Message(m) if m.successful_payment().is_some() => return None,
        UpdateKind::Message(m) if m.chat.is_private() => (m.from.as_ref()?, m.date.timestamp()),
        UpdateKind::CallbackQuery(q) => (&q.from, now),
        _ => return None,
    };
    Some((user.id.0 as i64, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An update as the webhook reads it (from bytes: some of teloxide-core's types borrow).
    fn update(body: serde_json::Value) -> Update {
        serde_json::from_slice(&serde_json::to_vec(&body).unwrap()).unwrap()
    }

    #[test]
    fn a_payment_is_never_counted_against_the_payer() {
        let user = serde_json::json!({"id": 42, "is_bot": false, "first_name": "Ali"});
        let chat = serde_json::json!({"id": 42, "type": "private", "first_name": "Ali"});
        let text = update(serde_json::json!({"update_id": 1, "message": {
            "message_id": 5, "date": 1_700_000_000, "chat": chat, "from": user, "text": "hi"}}));
        assert_eq!(counted_act(&text, 9), Some((42, 1_700_000_000)), "a message counts at its own time");
        let paid = update(serde_json::json!({"update_id": 2, "message": {
            "message_id": 6, "date": 1_700_000_000, "chat": chat, "from": user,
            "successful_payment": {"currency": "XTR", "total_amount": 250, "invoice_payload": "order:1",
                "telegram_payment_charge_id": "stx1", "provider_payment_charge_id": ""}}}));
        assert_eq!(counted_act(&paid, 9), None, "Telegram's payment message is not the payer chattering");
    }
}
