//! Bot health checks: `getMe` for every connected bot, a bounded number at a time.
//! 401 → `revoked` (the bot stops; its owner is told to send the new token; moderators
//! alerted). No answer several times in a row → `dead`; an answer → `alive` again. Every
//! change is reported by exactly one node (guarded updates) and reaches the
//! `ModeratorActor`, which folds many into one alert.

use actix::Recipient;
use futures_util::{stream, StreamExt};
use teloxide_core::{
    payloads::SendMessageSetters,
    requests::Requester,
    types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup},
};

use super::{notices::lang_of, Jobs, Outcome};
use crate::{
    db::{
        bot_health::{self, CheckTarget},
        DbError,
    },
    events::PlatformEvent,
    state::AppState,
    telegram::{
        errors::{classify, TelegramFailure},
        BotClient,
    },
};

/// Checks in flight at once.
const CHECKS_AT_ONCE: usize = 16;

/// One round over every connected bot.
pub(super) async fn run(jobs: &Jobs) -> Result<Outcome, DbError> {
    let targets = {
        let mut conn = jobs.app.db.get().await?;
        bot_health::targets(&mut conn).await?
    };
    let results: Vec<Result<bool, DbError>> =
        stream::iter(targets).map(|target| check(jobs, target)).buffer_unordered(CHECKS_AT_ONCE).collect().await;
    let mut outcome = Outcome::default();
    for result in results {
        match result? {
            true => outcome.done += 1,
            false => outcome.retry += 1,
        }
    }
    Ok(outcome)
}

/// Checks one bot; true when it answered.
async fn check(jobs: &Jobs, target: CheckTarget) -> Result<bool, DbError> {
    let id = target.telegram_bot_id;
    let Some(client) = jobs.platform.client_of(id).await else { return Ok(false) };
    let timeout = jobs.app.settings.scheduler.health_timeout;
    let failure = match tokio::time::timeout(timeout, client.raw().get_me()).await {
        Ok(Ok(_)) => None,
        Ok(Err(e)) => Some(classify(&e)),
        Err(_) => Some(TelegramFailure::Transient(format!("no answer within {timeout:?}"))),
    };
    let now = jobs.app.clock.now();
    let mut conn = jobs.app.db.get().await?;
    match failure {
        None => {
            if bot_health::record_success(&mut conn, id, now).await? {
                tracing::info!(bot_id = id, "bot answers again; alive");
                jobs.events.do_send(PlatformEvent::BotRecovered { telegram_bot_id: id, username: target.username });
            }
            Ok(true)
        }
        Some(TelegramFailure::TokenRevoked) => {
            // Only the token this check used is revoked: the owner may have given (or the main
            // bot fetched) a new one while the check ran.
            let Some(row) = crate::db::user_bots::find_any(&mut conn, id).await? else { return Ok(false) };
            drop(conn);
            let checked = jobs.app.settings.vault.decrypt(&row.bot_token).ok();
            if !checked.is_some_and(|t| crate::crypto::secrets_match(t.expose(), client.raw().token().as_bytes())) {
                tracing::info!(bot_id = id, "a refused token was replaced while it was checked; not revoked");
                return Ok(false);
            }
            let seen = Some(row.bot_token.as_str());
            if announce_revocation(&jobs.app, &jobs.platform.main, &jobs.events, id, seen).await? {
                jobs.platform.stop_bot(id);
            }
            Ok(false)
        }
        Some(failure) => {
            let dead_after = jobs.app.settings.scheduler.dead_after;
            let reason = format!("{failure:?}");
            let threshold = i32::try_from(dead_after).unwrap_or(i32::MAX);
            if bot_health::record_failure(&mut conn, id, threshold, &reason, now).await? {
                tracing::warn!(bot_id = id, failures = dead_after, %reason, "bot does not answer; dead");
                let username = target.username;
                jobs.events.do_send(PlatformEvent::BotDead { telegram_bot_id: id, username, failures: dead_after });
            }
            Ok(false)
        }
    }
}

/// Records that Telegram refused a bot's token (guarded: one caller per revocation, whether
/// a health check or a bot actor noticed it; with `refused`, the encrypted token as read, only
/// while that is still the stored one) and, for that caller, tells the owner how to
/// bring the bot back and alerts the moderators. Returns whether this call recorded it.
pub async fn announce_revocation(
    app: &AppState,
    main: &BotClient,
    events: &Recipient<PlatformEvent>,
    telegram_bot_id: i64,
    refused: Option<&str>,
) -> Result<bool, DbError> {
    let mut conn = app.db.get().await?;
    if !bot_health::mark_revoked(&mut conn, telegram_bot_id, refused, app.clock.now()).await? {
        return Ok(false);
    }
    tracing::warn!(bot_id = telegram_bot_id, "token revoked; bot stopped until its owner sends a new one");
    let Some(target) = bot_health::target(&mut conn, telegram_bot_id).await? else { return Ok(true) };
    drop(conn);
    let lang = lang_of(Some(&target.owner_language));
    let at = format!("@{}", target.username);
    let sent = if target.managed {
        // A bot the main bot created gets its new token in one tap.
        let text = app.i18n.tr(lang, "owner-bot-revoked-managed", &[("bot", &at)]);
        let label = app.i18n.tr(lang, "button-reissue-token", &[]);
        let data = crate::handlers::main_bot_actions::Action::ReissueToken.data();
        let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(label, data)]]);
        main.throttled().send_message(ChatId(target.owner_telegram_id), text).reply_markup(keyboard).await
    } else {
        let text = app.i18n.tr(lang, "owner-bot-revoked", &[("bot", &at)]);
        main.throttled().send_message(ChatId(target.owner_telegram_id), text).await
    };
    if let Err(e) = sent {
        tracing::warn!(bot_id = telegram_bot_id, failure = ?classify(&e), "owner not told that their token was revoked");
    }
    events.do_send(PlatformEvent::BotRevoked { telegram_bot_id, username: target.username });
    Ok(true)
}
