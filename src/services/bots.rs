//! Seller bots: the rules and records of connecting one by its token (stored encrypted, one
//! active bot per owner, a bot belongs to one owner), replacing the token of the same bot, and
//! disconnecting it. Telegram's side (`getMe`, the webhook, the commands, the bot's actor) is
//! in `actors::supervisor::connect`.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::{
    crypto::{random_webhook_secret, BotToken, TokenVault},
    db::{
        bot_settings,
        user_bots::{self, BotRecord, NewBot},
        DbError,
    },
    state::AppState,
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
    store_bot(conn, vault, (owner_id, token, username), Origin::Token, now).await
}

async fn store_bot(
    conn: &mut AsyncPgConnection,
    vault: &TokenVault,
    (owner_id, token, username): (i64, &BotToken, &str),
    origin: Origin,
    now: chrono::DateTime<chrono::Utc>,
) -> diesel::QueryResult<BotRecord> {
    let new = NewBot {
        user_admin_id: owner_id,
        telegram_bot_id: token.bot_id(),
        encrypted_token: &vault.encrypt(token),
        username,
        webhook_secret: &random_webhook_secret(),
        managed: origin == Origin::Managed,
    };
    user_bots::insert(conn, &new, now).await
}

/// Where a token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The owner pasted it (from @BotFather).
    Token,
    /// The main bot fetched it for a bot it created (a managed bot).
    Managed,
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
    #[error("Telegram unavailable: {0}")]
    TelegramUnavailable(String),
    /// Another owner registered this bot.
    #[error("bot registered by another owner")]
    TakenByAnother,
    /// The owner already has a different bot connected.
    #[error("owner already has @{0}")]
    OwnerHasAnotherBot(String),
    /// A new token was asked for a bot the main bot does not manage (or no bot at all).
    #[error("not a bot the platform manages")]
    NotManaged,
    /// A token the main bot fetched by itself for a bot the owner disconnected meanwhile.
    #[error("the bot was disconnected")]
    Disconnected,
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

/// Records the connection of `token` (its bot `@username`, as Telegram told) for `owner_id`,
/// in one transaction: a new row with a new webhook secret, or the owner's known bot with its
/// new token. Refused when another owner has the bot, or the owner has a different one.
/// Returns the row and whether the bot was known.
pub async fn record_connection(
    app: &AppState,
    owner_id: i64,
    token: &BotToken,
    username: &str,
    origin: Origin,
) -> Result<(BotRecord, bool), ConnectError> {
    let managed = origin == Origin::Managed;
    let encrypted = app.settings.vault.encrypt(token);
    let now = app.clock.now();
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    conn.transaction(async |conn| {
        let known = bot_settings::by_telegram_id(conn, token.bot_id()).await?;
        let current = bot_settings::active_of_owner(conn, owner_id).await?;
        match (known, current) {
            (Some(known), _) if known.user_admin_id != owner_id => Err(ConnectError::TakenByAnother),
            (_, Some(current)) if current.telegram_bot_id != token.bot_id() => {
                Err(ConnectError::OwnerHasAnotherBot(current.bot_username))
            }
            (Some(known), _) => {
                let renewed = user_bots::renew_token(conn, known.id, &encrypted, username, managed, now).await?;
                Ok((renewed.ok_or(ConnectError::Disconnected)?, true))
            }
            (None, _) => {
                let (vault, bot) = (&app.settings.vault, (owner_id, token, username));
                Ok((store_bot(conn, vault, bot, origin, now).await.map_err(conflict)?, false))
            }
        }
    })
    .await
}

/// Forgets a brand-new bot whose webhook Telegram refused (a renewed one keeps its row).
pub async fn undo_new(app: &AppState, record: &BotRecord) -> Result<(), DbError> {
    let mut conn = app.db.get().await?;
    user_bots::delete_new(&mut conn, record.id).await?;
    Ok(())
}

/// Records the owner's bot as disconnected; its data (channels, end users, payments) stays
/// for a reconnection. Returns the bot's row, if the owner had one connected.
pub async fn record_disconnection(app: &AppState, owner_id: i64) -> Result<Option<BotRecord>, DbError> {
    let mut conn = app.db.get().await?;
    Ok(user_bots::deactivate(&mut conn, owner_id).await?)
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

/// What a `managed_bot` update (a bot created, or its token changed) means, given the bot's
/// stored row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManagedUpdate {
    /// A bot Getolog does not know: connect it for its creator.
    Connect,
    /// The creator's connected bot: take its current token.
    RenewToken,
    /// A disconnected bot, or someone else's: leave it.
    Ignore,
}

/// The rule for a `managed_bot` update from `owner_id` about a bot stored as `known`.
pub fn managed_update(known: Option<&crate::db::bot_settings::OwnedBot>, owner_id: i64) -> ManagedUpdate {
    match known {
        None => ManagedUpdate::Connect,
        Some(bot) if bot.user_admin_id == owner_id && bot.is_active => ManagedUpdate::RenewToken,
        Some(_) => ManagedUpdate::Ignore,
    }
}

/// What Telegram's creation form is pre-filled with when an owner creates their shop bot in
/// one tap: a display name (≤ 64 characters) and a username Telegram accepts (5–32 of
/// `a-z0-9_`, starting with a letter, ending in `bot`), both from the owner's own name.
pub fn suggested_shop_bot(full_name: &str, username: Option<&str>, telegram_id: i64) -> (String, String) {
    let name: String = format!("{} Shop", full_name.trim()).chars().take(64).collect();
    let stem: String = username
        .unwrap_or(full_name)
        .chars()
        .filter_map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '_') => Some(c),
            ' ' | '-' | '.' => Some('_'),
            _ => None,
        })
        .collect();
    let stem = stem.trim_matches('_');
    let stem = match stem.chars().next() {
        Some(first) if first.is_ascii_lowercase() => stem,
        _ => return (name, format!("shop_{}_bot", telegram_id.rem_euclid(1_000_000_000))),
    };
    // "_shop_bot" is 9 characters: the stem keeps at most 23.
    let stem: String = stem.chars().take(23).collect();
    (name, format!("{}_shop_bot", stem.trim_end_matches('_')))
}

#[cfg(test)]
mod tests {
    use super::{managed_update, suggested_shop_bot, ManagedUpdate};
    use crate::db::bot_settings::OwnedBot;

    fn bot(owner: i64, active: bool) -> OwnedBot {
        OwnedBot {
            id: 1,
            user_admin_id: owner,
            telegram_bot_id: 7,
            bot_username: "shop_bot".into(),
            is_active: active,
            health: "alive".into(),
            managed: true,
            welcome_message: serde_json::json!({}),
            payment_methods: vec![Some("card".into())],
            card_number: None,
            card_holder: None,
        }
    }

    #[test]
    fn a_managed_bot_update_connects_a_new_bot_renews_the_owners_and_leaves_the_rest() {
        assert_eq!(managed_update(None, 1), ManagedUpdate::Connect);
        assert_eq!(managed_update(Some(&bot(1, true)), 1), ManagedUpdate::RenewToken);
        assert_eq!(managed_update(Some(&bot(1, false)), 1), ManagedUpdate::Ignore, "disconnected stays so");
        assert_eq!(managed_update(Some(&bot(2, true)), 1), ManagedUpdate::Ignore, "someone else's bot");
    }

    fn valid_username(u: &str) -> bool {
        (5..=32).contains(&u.len())
            && u.starts_with(|c: char| c.is_ascii_lowercase())
            && u.ends_with("bot")
            && u.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    }

    #[test]
    fn the_suggestion_comes_from_the_owners_username_or_name_and_telegram_accepts_it() {
        assert_eq!(
            suggested_shop_bot("Ali Valiyev", Some("ali_v"), 1),
            ("Ali Valiyev Shop".into(), "ali_v_shop_bot".into())
        );
        assert_eq!(suggested_shop_bot("Ali Valiyev", None, 1).1, "ali_valiyev_shop_bot");
        // Cyrillic, emoji or a leading digit leave nothing Telegram accepts: the id is used.
        assert_eq!(suggested_shop_bot("Алишер", None, 42).1, "shop_42_bot");
        assert_eq!(suggested_shop_bot("7even", None, 42).1, "shop_42_bot");
        let long = suggested_shop_bot(&"x".repeat(100), Some("a_very_long_username_that_goes_on"), 1);
        assert!(long.0.chars().count() <= 64);
        for (full, user) in [("A", None), ("Ali", Some("a")), ("Zed", Some("zed_________")), ("", None)] {
            let (_, username) = suggested_shop_bot(full, user, 987_654_321_012);
            assert!(valid_username(&username), "{username}");
        }
        assert!(valid_username(&long.1), "{}", long.1);
    }
}
