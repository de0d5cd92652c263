//! Health-check bookkeeping on `user_bots`: consecutive failed checks, and the guarded
//! transitions between `alive`, `dead` and `revoked` (each reported by exactly one caller).

use super::prepared::prepared;
use chrono::{DateTime, Utc};
use diesel::{
    sql_types::{BigInt, Bool, Int4, Text, Timestamptz},
    BoolExpressionMethods, ExpressionMethods, IntoSql, NullableExpressionMethods, QueryDsl, QueryableByName,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::user_bots;

/// A bot to check, with the owner to tell if it changes state.
#[derive(Debug, Clone, QueryableByName)]
pub struct CheckTarget {
    /// The bot's Telegram id.
    #[diesel(sql_type = BigInt)]
    pub telegram_bot_id: i64,
    /// `@username` without the `@`.
    #[diesel(sql_type = Text)]
    pub username: String,
    /// The owner's Telegram id.
    #[diesel(sql_type = BigInt)]
    pub owner_telegram_id: i64,
    /// The owner's language.
    #[diesel(sql_type = Text)]
    pub owner_language: String,
    /// Created by the main bot: a new token is one tap away.
    #[diesel(sql_type = Bool)]
    pub managed: bool,
}

/// One bot as a check target (whatever its state), to tell its owner about it.
pub async fn target(conn: &mut AsyncPgConnection, telegram_bot_id: i64) -> diesel::QueryResult<Option<CheckTarget>> {
    let rows: Vec<CheckTarget> = diesel::sql_query(
        "SELECT b.telegram_bot_id, b.bot_username AS username, o.telegram_id AS owner_telegram_id,
                o.language AS owner_language, b.managed
         FROM user_bots b JOIN user_admins o ON o.id = b.user_admin_id
         WHERE b.telegram_bot_id = $1",
    )
    .bind::<BigInt, _>(telegram_bot_id)
    .load(conn)
    .await?;
    Ok(rows.into_iter().next())
}

/// Every connected bot that is serving, presumed dead or failed (a failed bot's token is
/// still checked, so a revocation behind its crashes reaches its owner; revoked bots wait
/// for their owner), in id order.
pub async fn targets(conn: &mut AsyncPgConnection) -> diesel::QueryResult<Vec<CheckTarget>> {
    diesel::sql_query(
        "SELECT b.telegram_bot_id, b.bot_username AS username, o.telegram_id AS owner_telegram_id,
                o.language AS owner_language, b.managed
         FROM user_bots b JOIN user_admins o ON o.id = b.user_admin_id
         WHERE b.is_active AND b.health IN ('alive', 'dead', 'failed')
         ORDER BY b.id",
    )
    .load(conn)
    .await
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    flag: bool,
}

/// Counts a failed check; true only for the call that made the bot `dead` (the
/// `threshold`-th failure in a row).
pub async fn record_failure(
    conn: &mut AsyncPgConnection,
    telegram_bot_id: i64,
    threshold: i32,
    error: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    let rows: Vec<Flag> = diesel::sql_query(
        "UPDATE user_bots SET failed_checks = failed_checks + 1, last_error = $3,
             health = CASE WHEN failed_checks + 1 >= $2 THEN 'dead' ELSE health END,
             health_changed_at = CASE WHEN failed_checks + 1 = $2 THEN $4 ELSE health_changed_at END
         WHERE telegram_bot_id = $1 AND is_active AND health IN ('alive', 'dead')
         RETURNING failed_checks = $2 AS flag",
    )
    .bind::<BigInt, _>(telegram_bot_id)
    .bind::<Int4, _>(threshold)
    .bind::<Text, _>(error)
    .bind::<Timestamptz, _>(now)
    .load(conn)
    .await?;
    Ok(rows.into_iter().next().is_some_and(|r| r.flag))
}

/// A check succeeded: the failure count starts over. True only for the call that brought a
/// `dead` bot back to `alive`.
pub async fn record_success(
    conn: &mut AsyncPgConnection,
    telegram_bot_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    let rows: Vec<Flag> = diesel::sql_query(
        "WITH old AS (SELECT id, health FROM user_bots
                      WHERE telegram_bot_id = $1 AND is_active AND (failed_checks > 0 OR health = 'dead')
                      FOR UPDATE)
         UPDATE user_bots b SET failed_checks = 0, health = 'alive', last_error = NULL,
             health_changed_at = CASE WHEN old.health = 'dead' THEN $2 ELSE b.health_changed_at END
         FROM old WHERE b.id = old.id
         RETURNING old.health = 'dead' AS flag",
    )
    .bind::<BigInt, _>(telegram_bot_id)
    .bind::<Timestamptz, _>(now)
    .load(conn)
    .await?;
    Ok(rows.into_iter().next().is_some_and(|r| r.flag))
}

/// Telegram refused the token: the bot is `revoked` until its owner sends a new one. True
/// only for the call that made the change.
pub async fn mark_revoked(
    conn: &mut AsyncPgConnection,
    telegram_bot_id: i64,
    refused: Option<&str>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    // A token stored after the refused one was read (a reconnection meanwhile) is not revoked.
    let same_token = user_bots::bot_token.nullable().eq(refused).or(refused.is_none().into_sql::<Bool>());
    let changed = prepared(
        diesel::update(
            user_bots::table
                .filter(user_bots::telegram_bot_id.eq(telegram_bot_id))
                .filter(user_bots::is_active.eq(true))
                .filter(user_bots::health.eq_any(["alive", "dead", "failed"]))
                .filter(same_token),
        )
        .set((
            user_bots::health.eq("revoked"),
            user_bots::health_changed_at.eq(now),
            user_bots::last_error.eq("Telegram refused the token (401)"),
            user_bots::failed_checks.eq(0),
        )),
    )
    .execute(conn)
    .await?;
    Ok(changed == 1)
}
