//! Telegram's side of connecting and disconnecting a seller bot: the token checked with
//! `getMe`, the webhook pointed here, the command menu set, the bot's actor started or
//! stopped. The rules and records are `services::bots`'.

use teloxide_core::{payloads::SetMyCommandsSetters, requests::Requester, types::BotCommand};

use super::BotSpec;
use crate::{
    crypto::{redact_tokens, BotToken},
    db::{user_bots::BotRecord, DbError},
    i18n::{I18n, Lang},
    platform::Platform,
    services::bots::{self, ConnectError, Connected, Origin},
    state::AppState,
    telegram::{
        errors::{classify, TelegramFailure},
        managed::{self, GetManagedBotToken, ReplaceManagedBotToken},
    },
};

/// Connects the bot behind `raw` for `owner_id`: checks the token with Telegram, records it
/// (committed before Telegram is called again, so no lock is held across a call), points its
/// webhook here (a refused webhook undoes a brand-new row; a renewed one keeps its valid new
/// token), sets its commands and starts its actor.
pub async fn connect(platform: &Platform, owner_id: i64, raw: &str) -> Result<Connected, ConnectError> {
    connect_as(platform, owner_id, raw, Origin::Token).await
}

/// What a `managed_bot` update did.
#[derive(Debug)]
pub enum ManagedOutcome {
    /// A new bot was connected for its creator.
    Connected(Connected),
    /// The owner's connected bot has a new token (changed in @BotFather or reissued): it
    /// serves with it now.
    Renewed,
    /// Nothing to do: the token is the one in use, or the bot is disconnected or not this
    /// owner's.
    Ignored,
}

/// A `managed_bot` update from `owner_id` about `bot_id` (sent when a bot is created and
/// whenever its token changes): a new bot is connected; the owner's connected bot takes its
/// new token quietly; a disconnected bot stays disconnected.
pub async fn on_managed_update(
    platform: &Platform,
    owner_id: i64,
    bot_id: i64,
) -> Result<ManagedOutcome, ConnectError> {
    let known = {
        let mut conn = platform.app().db.get().await.map_err(DbError::from)?;
        crate::db::bot_settings::by_telegram_id(&mut conn, bot_id).await?
    };
    match bots::managed_update(known.as_ref(), owner_id) {
        bots::ManagedUpdate::Ignore => Ok(ManagedOutcome::Ignored),
        bots::ManagedUpdate::Connect => {
            let token = fetch_token(platform, bot_id).await?;
            Ok(ManagedOutcome::Connected(connect_as(platform, owner_id, &token, Origin::Managed).await?))
        }
        bots::ManagedUpdate::RenewToken => {
            let token = fetch_token(platform, bot_id).await?;
            if is_stored(platform, bot_id, &token).await? {
                return Ok(ManagedOutcome::Ignored);
            }
            match connect_as(platform, owner_id, &token, Origin::Managed).await {
                Ok(_) => Ok(ManagedOutcome::Renewed),
                // disconnected by the owner meanwhile (perhaps on another node): left so
                Err(ConnectError::Disconnected) => Ok(ManagedOutcome::Ignored),
                Err(e) => Err(e),
            }
        }
    }
}

/// A working token for the owner's managed bot, and the bot reconnected with it. The
/// current token is fetched first: when it is not the stored one (changed in @BotFather, or
/// replaced by an earlier press whose reconnection failed), or Telegram still accepts it (a
/// double tap, a stale button), it is used as it is; only when Telegram refuses the very
/// token stored is a new one issued (`replaceManagedBotToken`). Refused for a bot the main
/// bot did not create.
pub async fn reissue(platform: &Platform, owner_id: i64) -> Result<Connected, ConnectError> {
    let bot = {
        let mut conn = platform.app().db.get().await.map_err(DbError::from)?;
        crate::db::bot_settings::active_of_owner(&mut conn, owner_id).await?
    };
    let Some(bot) = bot.filter(|b| b.managed) else { return Err(ConnectError::NotManaged) };
    let bot_id = bot.telegram_bot_id;
    let mut token = fetch_token(platform, bot_id).await?;
    if is_stored(platform, bot_id, &token).await? && refused(platform, &token).await? {
        let replaced = managed::call(platform.main.raw(), ReplaceManagedBotToken { user_id: bot_id }).await;
        token = replaced.map_err(|e| not_managed_or_unavailable(&e))?;
        tracing::info!(bot_id, owner_id, "managed bot's token replaced");
    }
    connect_as(platform, owner_id, &token, Origin::Managed).await
}

async fn fetch_token(platform: &Platform, bot_id: i64) -> Result<String, ConnectError> {
    let fetched = managed::call(platform.main.raw(), GetManagedBotToken { user_id: bot_id }).await;
    fetched.map_err(|e| not_managed_or_unavailable(&e))
}

/// Whether `token` is the one stored for the bot (compared in constant time).
async fn is_stored(platform: &Platform, bot_id: i64, token: &str) -> Result<bool, ConnectError> {
    let app = platform.app();
    let record = {
        let mut conn = app.db.get().await.map_err(DbError::from)?;
        crate::db::user_bots::find_any(&mut conn, bot_id).await?
    };
    let Some(record) = record else { return Ok(false) };
    let stored = app.settings.vault.decrypt(&record.bot_token).map_err(|e| DbError::Unavailable(e.to_string()))?;
    Ok(crate::crypto::secrets_match(stored.expose(), token.as_bytes()))
}

/// Whether Telegram refuses `raw` (`getMe` answers 401).
async fn refused(platform: &Platform, raw: &str) -> Result<bool, ConnectError> {
    let token = BotToken::parse(raw).map_err(|_| ConnectError::Malformed)?;
    match platform.telegram.bot(&token).get_me().await {
        Ok(_) => Ok(false),
        Err(e) => match refused_or_unavailable(&e) {
            ConnectError::Refused => Ok(true),
            other => Err(other),
        },
    }
}

async fn connect_as(platform: &Platform, owner_id: i64, raw: &str, origin: Origin) -> Result<Connected, ConnectError> {
    let app = platform.app();
    let token = BotToken::parse(raw).map_err(|_| ConnectError::Malformed)?;
    if token.bot_id() == platform.main_bot_id {
        return Err(ConnectError::PlatformToken);
    }
    let bot = platform.telegram.bot(&token);
    let me = bot.get_me().await.map_err(|e| refused_or_unavailable(&e))?;
    let username = me.username.clone().unwrap_or_default();
    let (record, renewed) = bots::record_connection(app, owner_id, &token, &username, origin).await?;
    if let Err(e) = set_webhook(app, &bot, &record).await {
        if !renewed {
            bots::undo_new(app, &record).await?;
        }
        return Err(e);
    }
    set_commands(&app.i18n, &bot).await;
    let spec = BotSpec::from_record(app, record).map_err(|e| DbError::Unavailable(e.to_string()))?;
    platform.start_bot(spec);
    tracing::info!(bot_id = token.bot_id(), owner_id, renewed, "seller bot connected");
    Ok(Connected { username, renewed })
}

/// Disconnects the owner's bot: recorded, its actor stopped, its webhook deleted (best effort).
/// Returns its `@username`, if the owner had one connected.
pub async fn disconnect(platform: &Platform, owner_id: i64) -> Result<Option<String>, DbError> {
    let app = platform.app();
    let Some(record) = bots::record_disconnection(app, owner_id).await? else { return Ok(None) };
    platform.stop_bot(record.telegram_bot_id);
    let username = record.bot_username.clone();
    if let Ok(spec) = BotSpec::from_record(app, record) {
        if let Err(e) = platform.telegram.bot(&spec.token).delete_webhook().await {
            tracing::warn!(error = %redact_tokens(&e.to_string()), "deleteWebhook failed");
        }
    }
    Ok(Some(username))
}

/// A managed-bot call refused (400: not a bot we manage) or not answered.
fn not_managed_or_unavailable(e: &teloxide_core::RequestError) -> ConnectError {
    match classify(e) {
        TelegramFailure::Rejected(_) => ConnectError::NotManaged,
        other => ConnectError::TelegramUnavailable(format!("{other:?}")),
    }
}

fn refused_or_unavailable(e: &teloxide_core::RequestError) -> ConnectError {
    match classify(e) {
        TelegramFailure::TokenRevoked => ConnectError::Refused,
        other => ConnectError::TelegramUnavailable(format!("{other:?}")),
    }
}

async fn set_webhook(app: &AppState, bot: &teloxide_core::Bot, record: &BotRecord) -> Result<(), ConnectError> {
    let url = url::Url::parse(&app.settings.webhook_url(record.telegram_bot_id))
        .map_err(|e| DbError::Unavailable(format!("webhook url: {e}")))?;
    crate::telegram::set_webhook(bot, &url, &record.webhook_secret, false).await.map_err(|e| refused_or_unavailable(&e))
}

/// The seller bot's command menu, in each language (best effort: a failure only loses the
/// menu hint, never the connection).
async fn set_commands(i18n: &I18n, bot: &teloxide_core::Bot) {
    for lang in Lang::ALL {
        let commands = vec![BotCommand::new("start", i18n.tr(lang, "seller-command-start", &[]))];
        let request = bot.set_my_commands(commands);
        let result = if lang == Lang::En { request.await } else { request.language_code(lang.code()).await };
        if let Err(e) = result {
            tracing::warn!(error = %redact_tokens(&e.to_string()), "setMyCommands failed");
        }
    }
}
