//! Seller bots: connecting one by its token (validated with `getMe`, stored encrypted, webhook
//! set, actor started), replacing the token of the same bot, and disconnecting it.

use diesel_async::{AsyncConnection, AsyncPgConnection};
use teloxide_core::{
    payloads::{SetMyCommandsSetters, SetWebhookSetters},
    requests::Requester,
    types::BotCommand,
};

use crate::{
    actors::supervisor::BotSpec,
    crypto::{random_webhook_secret, BotToken, TokenVault},
    db::{
        bot_settings,
        user_bots::{self, BotRecord, NewBot},
        DbError,
    },
    i18n::{I18n, Lang},
    platform::Platform,
    state::AppState,
    telegram::{
        allowed_updates,
        errors::{classify, TelegramFailure},
    },
};

/// Stores `owner_id`'s bot with its token Fernet-encrypted and a new random webhook secret.
pub async fn store_connected_bot(
    conn: &mut AsyncPgConnection,
    vault: &TokenVault,
    owner_id: i64,
    token: &BotToken,
    username: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> diesel::QueryResult<BotRecord> {
    let new = NewBot {
        user_admin_id: owner_id,
        telegram_bot_id: token.bot_id(),
        encrypted_token: &vault.encrypt(token),
        username,
        webhook_secret: &random_webhook_secret(),
    };
    user_bots::insert(conn, &new, now).await
}

/// Why a token was not connected. Each has a message for the owner.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Not shaped like a token.
    #[error("not a bot token")]
    Malformed,
    /// The platform's own token.
    #[error("the platform's own token")]
    PlatformToken,
    /// Telegram refused it (wrong or revoked).
    #[error("Telegram refused the token")]
    Refused,
    /// Telegram did not answer usefully; try again later.
    #[error("Telegram unavailable: {0:?}")]
    TelegramUnavailable(TelegramFailure),
    /// Another owner registered this bot.
    #[error("bot registered by another owner")]
    TakenByAnother,
    /// The owner already has a different bot connected.
    #[error("owner already has @{0}")]
    OwnerHasAnotherBot(String),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] DbError),
}

impl From<diesel::result::Error> for ConnectError {
    fn from(e: diesel::result::Error) -> Self {
        ConnectError::Storage(DbError::Query(e))
    }
}

/// A connected bot and how it came to be.
#[derive(Debug)]
pub struct Connected {
    /// `@username` without `@`.
    pub username: String,
    /// The owner's bot was known already (new token or reconnection).
    pub renewed: bool,
}

/// Connects the bot behind `raw` for `owner_id`: checks the token with Telegram, stores it
/// encrypted, points its webhook here (in the same transaction, so a refused webhook stores
/// nothing), sets its commands and starts its actor.
pub async fn connect(app: &AppState, platform: &Platform, owner_id: i64, raw: &str) -> Result<Connected, ConnectError> {
    let token = BotToken::parse(raw).map_err(|_| ConnectError::Malformed)?;
    if token.bot_id() == platform.main_bot_id {
        return Err(ConnectError::PlatformToken);
    }
    let bot = platform.telegram.bot(&token);
    let me = bot.get_me().await.map_err(|e| match classify(&e) {
        TelegramFailure::TokenRevoked => ConnectError::Refused,
        other => ConnectError::TelegramUnavailable(other),
    })?;
    let username = me.username.clone().unwrap_or_default();
    let encrypted = app.settings.vault.encrypt(&token);
    let now = app.clock.now();
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    let (record, renewed) = conn
        .transaction(async |conn| {
            let known = bot_settings::by_telegram_id(conn, token.bot_id()).await?;
            let current = bot_settings::active_of_owner(conn, owner_id).await?;
            match (known, current) {
                (Some(known), _) if known.user_admin_id != owner_id => Err(ConnectError::TakenByAnother),
                (_, Some(current)) if current.telegram_bot_id != token.bot_id() => {
                    Err(ConnectError::OwnerHasAnotherBot(current.bot_username))
                }
                (Some(known), _) => {
                    Ok((user_bots::renew_token(conn, known.id, &encrypted, &username, now).await?, true))
                }
                (None, _) => {
                    let new = NewBot {
                        user_admin_id: owner_id,
                        telegram_bot_id: token.bot_id(),
                        encrypted_token: &encrypted,
                        username: &username,
                        webhook_secret: &random_webhook_secret(),
                    };
                    Ok((user_bots::insert(conn, &new, now).await.map_err(conflict)?, false))
                }
            }
        })
        .await?;
    // The row is committed before Telegram is called, so no lock is held across the call; a
    // refused webhook undoes a brand-new row (a renewed one keeps its valid new token).
    if let Err(e) = set_webhook(app, &bot, &record).await {
        if !renewed {
            user_bots::delete_new(&mut conn, record.id).await?;
        }
        return Err(e);
    }
    drop(conn);
    set_commands(&app.i18n, &bot).await;
    let spec = BotSpec::from_record(app, record).map_err(|e| DbError::Unavailable(e.to_string()))?;
    platform.start_bot(spec);
    tracing::info!(bot_id = token.bot_id(), owner_id, renewed, "seller bot connected");
    Ok(Connected { username, renewed })
}

/// A race lost on a unique index: the bot (someone else's) or the owner's one active bot.
fn conflict(e: diesel::result::Error) -> ConnectError {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info)
            if info.constraint_name() == Some("user_bots_one_active_per_owner") =>
        {
            ConnectError::OwnerHasAnotherBot(String::new())
        }
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => ConnectError::TakenByAnother,
        other => other.into(),
    }
}

async fn set_webhook(app: &AppState, bot: &teloxide_core::Bot, record: &BotRecord) -> Result<(), ConnectError> {
    let url = url::Url::parse(&app.settings.webhook_url(record.telegram_bot_id))
        .map_err(|e| DbError::Unavailable(format!("webhook url: {e}")))?;
    bot.set_webhook(url)
        .secret_token(record.webhook_secret.clone())
        .allowed_updates(allowed_updates())
        .max_connections(40)
        .await
        .map(drop)
        .map_err(|e| match classify(&e) {
            TelegramFailure::TokenRevoked => ConnectError::Refused,
            other => ConnectError::TelegramUnavailable(other),
        })
}

/// The seller bot's command menu, in each language (best effort: a failure only loses the
/// menu hint, never the connection).
async fn set_commands(i18n: &I18n, bot: &teloxide_core::Bot) {
    for lang in Lang::ALL {
        let commands = vec![BotCommand::new("start", i18n.tr(lang, "seller-command-start", &[]))];
        let request = bot.set_my_commands(commands);
        let result = if lang == Lang::En { request.await } else { request.language_code(lang.code()).await };
        if let Err(e) = result {
            tracing::warn!(error = %crate::crypto::redact_tokens(&e.to_string()), "setMyCommands failed");
        }
    }
}

/// Disconnects the owner's bot: its webhook is deleted and its actor stopped; the bot's data
/// (channels, end users, payments) stays for a reconnection. Returns its `@username`.
pub async fn disconnect(app: &AppState, platform: &Platform, owner_id: i64) -> Result<Option<String>, DbError> {
    let mut conn = app.db.get().await?;
    let Some(record) = user_bots::deactivate(&mut conn, owner_id).await? else { return Ok(None) };
    platform.stop_bot(record.telegram_bot_id);
    let username = record.bot_username.clone();
    if let Ok(spec) = BotSpec::from_record(app, record) {
        if let Err(e) = platform.telegram.bot(&spec.token).delete_webhook().await {
            tracing::warn!(error = %crate::crypto::redact_tokens(&e.to_string()), "deleteWebhook failed");
        }
    }
    Ok(Some(username))
}
