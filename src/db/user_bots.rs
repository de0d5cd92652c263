//! `user_bots`: seller bots connected by owners, with their encrypted token, webhook
//! secret and health.

use super::prepared::prepared;
use chrono::{DateTime, Utc};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, IntoSql, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::{user_admins, user_bots};

/// What the runtime needs to serve one seller bot.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_bots)]
pub struct BotRecord {
    /// Internal id.
    pub id: i64,
    /// The owner (internal id).
    pub user_admin_id: i64,
    /// The bot's Telegram id (also the webhook path segment).
    pub telegram_bot_id: i64,
    /// Fernet-encrypted token.
    pub bot_token: String,
    /// `@username` without the `@`.
    pub bot_username: String,
    /// Secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token`.
    pub webhook_secret: String,
    /// Health: alive / dead / revoked / failed.
    pub health: String,
    /// Created by the main bot (a managed bot): its token can be reissued from Getolog.
    pub managed: bool,
}

/// A new bot to store.
#[derive(Debug)]
pub struct NewBot<'a> {
    /// The owner (internal id).
    pub user_admin_id: i64,
    /// Telegram id of the bot.
    pub telegram_bot_id: i64,
    /// Fernet-encrypted token.
    pub encrypted_token: &'a str,
    /// Username without `@`.
    pub username: &'a str,
    /// Webhook secret.
    pub webhook_secret: &'a str,
    /// Created by the main bot (see [`BotRecord::managed`]).
    pub managed: bool,
}

/// Stores a new active bot and returns it.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    bot: &NewBot<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<BotRecord> {
    diesel::insert_into(user_bots::table)
        .values((
            user_bots::user_admin_id.eq(bot.user_admin_id),
            user_bots::telegram_bot_id.eq(bot.telegram_bot_id),
            user_bots::bot_token.eq(bot.encrypted_token),
            user_bots::bot_username.eq(bot.username),
            user_bots::webhook_secret.eq(bot.webhook_secret),
            user_bots::managed.eq(bot.managed),
            user_bots::created_at.eq(now),
            user_bots::health_changed_at.eq(now),
        ))
        .returning(BotRecord::as_returning())
        .get_result(conn)
        .await
}

/// Health states whose bots a node serves: a `failed` bot is given a fresh start (its
/// restarts were counted by a process that is gone); `revoked` waits for a new token.
const SERVABLE: [&str; 3] = ["alive", "dead", "failed"];

/// Every bot that should be served: active, not revoked. A banned owner's bot is served
/// too: it tells its customers the shop is closed and takes no payments.
pub async fn list_servable(conn: &mut AsyncPgConnection) -> diesel::QueryResult<Vec<BotRecord>> {
    user_bots::table
        .inner_join(user_admins::table)
        .filter(user_bots::is_active.eq(true))
        .filter(user_bots::health.eq_any(SERVABLE))
        .select(BotRecord::as_select())
        .order(user_bots::id)
        .load(conn)
        .await
}

/// One servable bot by its Telegram id (a bot registered on another node after start-up).
pub async fn find_servable(
    conn: &mut AsyncPgConnection,
    telegram_bot_id: i64,
) -> diesel::QueryResult<Option<BotRecord>> {
    user_bots::table
        .inner_join(user_admins::table)
        .filter(user_bots::telegram_bot_id.eq(telegram_bot_id))
        .filter(user_bots::is_active.eq(true))
        .filter(user_bots::health.eq_any(SERVABLE))
        .select(BotRecord::as_select())
        .first(conn)
        .await
        .optional()
}

/// A bot in any state, connected or not.
pub async fn find_any(conn: &mut AsyncPgConnection, telegram_bot_id: i64) -> diesel::QueryResult<Option<BotRecord>> {
    user_bots::table
        .filter(user_bots::telegram_bot_id.eq(telegram_bot_id))
        .select(BotRecord::as_select())
        .first(conn)
        .await
        .optional()
}

/// A bot whose stored token may still work (any state but `revoked`, connected or not): the
/// scheduler's chores, such as removals, run through it even when no actor serves it.
pub async fn find_with_token(
    conn: &mut AsyncPgConnection,
    telegram_bot_id: i64,
) -> diesel::QueryResult<Option<BotRecord>> {
    user_bots::table
        .inner_join(user_admins::table)
        .filter(user_bots::telegram_bot_id.eq(telegram_bot_id))
        .filter(user_bots::health.ne("revoked"))
        .select(BotRecord::as_select())
        .first(conn)
        .await
        .optional()
}

/// Records a health change (and the error behind it, already free of secrets).
pub async fn set_health(
    conn: &mut AsyncPgConnection,
    telegram_bot_id: i64,
    health: &str,
    last_error: Option<&str>,
    at: DateTime<Utc>,
) -> diesel::QueryResult<usize> {
    prepared(diesel::update(user_bots::table.filter(user_bots::telegram_bot_id.eq(telegram_bot_id))).set((
        user_bots::health.eq(health),
        user_bots::last_error.eq(last_error),
        user_bots::health_changed_at.eq(at),
    )))
    .execute(conn)
    .await
}

/// A failed bot was started again: `alive`, unless something else (a revocation, a new
/// token) changed its health meanwhile. Returns whether it was still `failed`.
pub async fn clear_failed(
    conn: &mut AsyncPgConnection,
    telegram_bot_id: i64,
    at: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    let changed = prepared(
        diesel::update(
            user_bots::table
                .filter(user_bots::telegram_bot_id.eq(telegram_bot_id))
                .filter(user_bots::health.eq("failed")),
        )
        .set((
            user_bots::health.eq("alive"),
            user_bots::last_error.eq(None::<String>),
            user_bots::health_changed_at.eq(at),
        )),
    )
    .execute(conn)
    .await?;
    Ok(changed == 1)
}

/// Health of one bot, for tests and the moderator panel.
pub async fn health_of(conn: &mut AsyncPgConnection, telegram_bot_id: i64) -> diesel::QueryResult<Option<String>> {
    user_bots::table
        .filter(user_bots::telegram_bot_id.eq(telegram_bot_id))
        .select(user_bots::health)
        .first(conn)
        .await
        .optional()
}

/// Puts a new token on a known bot (after BotFather `/revoke`) and connects it again:
/// active, healthy, same webhook secret and data. Returns the runtime record; `None` when
/// `managed` (a token the main bot fetched by itself) and the bot was disconnected meanwhile:
/// only the owner brings a disconnected bot back.
pub async fn renew_token(
    conn: &mut AsyncPgConnection,
    id: i64,
    encrypted_token: &str,
    username: &str,
    managed: bool,
    at: DateTime<Utc>,
) -> diesel::QueryResult<Option<BotRecord>> {
    let reconnects = user_bots::is_active.or((!managed).into_sql::<diesel::sql_types::Bool>());
    prepared(
        diesel::update(user_bots::table.filter(user_bots::id.eq(id)).filter(reconnects))
            .set((
                user_bots::bot_token.eq(encrypted_token),
                // once the main bot manages it, it keeps doing so whichever way a token came
                user_bots::managed.eq(user_bots::managed.or(managed.into_sql::<diesel::sql_types::Bool>())),
                user_bots::bot_username.eq(username),
                user_bots::is_active.eq(true),
                user_bots::health.eq("alive"),
                user_bots::last_error.eq(None::<String>),
                user_bots::health_changed_at.eq(at),
                user_bots::failed_checks.eq(0),
            ))
            .returning(BotRecord::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()
}

/// Disconnects the owner's active bot (its data stays); returns it if there was one.
pub async fn deactivate(conn: &mut AsyncPgConnection, owner_id: i64) -> diesel::QueryResult<Option<BotRecord>> {
    prepared(
        diesel::update(
            user_bots::table.filter(user_bots::user_admin_id.eq(owner_id)).filter(user_bots::is_active.eq(true)),
        )
        .set(user_bots::is_active.eq(false))
        .returning(BotRecord::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()
}

/// Removes a bot row created moments ago whose webhook Telegram refused (it has no data yet).
pub async fn delete_new(conn: &mut AsyncPgConnection, id: i64) -> diesel::QueryResult<usize> {
    diesel::delete(user_bots::table.filter(user_bots::id.eq(id))).execute(conn).await
}

/// One bot by internal id (connected or not).
pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> diesel::QueryResult<Option<BotRecord>> {
    user_bots::table.filter(user_bots::id.eq(id)).select(BotRecord::as_select()).first(conn).await.optional()
}

/// One bot by internal id, with its owner, in one statement.
pub async fn with_owner(
    conn: &mut AsyncPgConnection,
    id: i64,
) -> diesel::QueryResult<Option<(BotRecord, super::owners::Owner)>> {
    use super::schema::user_admins;
    user_bots::table
        .inner_join(user_admins::table)
        .filter(user_bots::id.eq(id))
        .select((BotRecord::as_select(), super::owners::Owner::as_select()))
        .first(conn)
        .await
        .optional()
}
