//! The scheduler's queries over subscriptions: the due set of removals (in keyset pages
//! along the `(expires_at, status)` index), guarded end-of-access transitions, and the
//! once-only claims of 3-day / 1-day warnings.

use super::prepared::prepared;
use chrono::{DateTime, Utc};
use diesel::{
    sql_types::{BigInt, Bool, Nullable, Text, Timestamptz},
    ExpressionMethods, QueryDsl, QueryableByName,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::{channels, subscriptions};

/// One active subscription past its end, with what it takes to remove the user and tell
/// both sides.
#[derive(Debug, Clone, QueryableByName)]
pub struct DueAccess {
    /// The subscription.
    #[diesel(sql_type = BigInt)]
    pub subscription_id: i64,
    /// When it ended.
    #[diesel(sql_type = Timestamptz)]
    pub expires_at: DateTime<Utc>,
    /// Its personal invite link, if one was made.
    #[diesel(sql_type = Nullable<Text>)]
    pub invite_link: Option<String>,
    /// Whether that link was used (so it is already revoked).
    #[diesel(sql_type = Bool)]
    pub link_used: bool,
    /// The channel or group row.
    #[diesel(sql_type = BigInt)]
    pub channel_id: i64,
    /// Its Telegram chat id.
    #[diesel(sql_type = BigInt)]
    pub chat_id: i64,
    /// Its title.
    #[diesel(sql_type = Text)]
    pub chat_title: String,
    /// `channel` or `group`.
    #[diesel(sql_type = Text)]
    pub chat_kind: String,
    /// The chat refused a removal earlier and the owner was told.
    #[diesel(sql_type = Bool)]
    pub removal_blocked: bool,
    /// The seller bot.
    #[diesel(sql_type = BigInt)]
    pub telegram_bot_id: i64,
    /// The end user's Telegram id.
    #[diesel(sql_type = BigInt)]
    pub user_telegram_id: i64,
    /// The end user's name.
    #[diesel(sql_type = Text)]
    pub user_name: String,
    /// The end user's language, if chosen.
    #[diesel(sql_type = Nullable<Text>)]
    pub user_language: Option<String>,
    /// The owner's Telegram id.
    #[diesel(sql_type = BigInt)]
    pub owner_telegram_id: i64,
    /// The owner's language.
    #[diesel(sql_type = Text)]
    pub owner_language: String,
}

/// The columns and joins of a due removal, shared by the due set and the retry set.
macro_rules! due_access_select {
    () => {
        "\
SELECT s.id AS subscription_id, s.expires_at, s.invite_link, s.link_used,
       c.id AS channel_id, c.telegram_chat_id AS chat_id, c.title AS chat_title, c.type AS chat_kind,
       c.removal_blocked_at IS NOT NULL AS removal_blocked,
       b.telegram_bot_id, u.telegram_id AS user_telegram_id, u.full_name AS user_name,
       u.language AS user_language, o.telegram_id AS owner_telegram_id, o.language AS owner_language
FROM subscriptions s
JOIN channels c ON c.id = s.channel_id
JOIN user_bots b ON b.id = c.user_bot_id
JOIN end_users u ON u.id = s.end_user_id
JOIN user_admins o ON o.id = b.user_admin_id
"
    };
}
pub(crate) use due_access_select;

/// The due-set query (also shown with `EXPLAIN` by the scheduler benchmark). A Telegram
/// Stars subscription that renews is given an hour past its end: Telegram charges at the end,
/// and its `successful_payment` may come a little later than the expiry run. Keyset paging
/// on `(expires_at, id)` lets a run walk past rows it could not finish. Every bot is
/// included, whatever its actor's state: removals go through its stored token (failed,
/// disconnected), and a revoked bot's owner is told how many customers wait for it.
pub const DUE_ACCESS_SQL: &str = concat!(
    due_access_select!(),
    "WHERE s.status = 'active' AND s.expires_at <= $1
  AND s.expires_at >= $2 AND (s.expires_at, s.id) > ($2, $3)
  AND NOT (s.expires_at > $1 - interval '1 hour' AND EXISTS (
      SELECT 1 FROM star_subscriptions ss
      WHERE ss.end_user_id = s.end_user_id AND ss.channel_id = s.channel_id
        AND ss.state = 'active' AND ss.paid_until >= s.expires_at))
ORDER BY s.expires_at, s.id
LIMIT $4"
);

/// Where the previous page of the due set ended.
#[derive(Debug, Clone, Copy)]
pub struct Cursor {
    /// `expires_at` of the last row seen.
    pub expires_at: DateTime<Utc>,
    /// Its id.
    pub id: i64,
}

impl Cursor {
    /// Before every row.
    pub fn start() -> Self {
        Self { expires_at: DateTime::<Utc>::UNIX_EPOCH, id: 0 }
    }
}

/// The next page of subscriptions due for removal at `now`, after `after`.
pub async fn due_page(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    after: Cursor,
    limit: i64,
) -> diesel::QueryResult<Vec<DueAccess>> {
    diesel::sql_query(DUE_ACCESS_SQL)
        .bind::<Timestamptz, _>(now)
        .bind::<Timestamptz, _>(after.expires_at)
        .bind::<BigInt, _>(after.id)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await
}

/// How an access ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The user was removed from the chat now.
    Removed,
    /// The user was no longer in the chat.
    AlreadyGone,
}

/// Ends a still-due subscription, active or being removed (guarded: a renewal that moved
/// its end, or took a `removing` row back to `active`, wins). Returns whether this call
/// ended it.
pub async fn end_access(
    conn: &mut AsyncPgConnection,
    subscription_id: i64,
    ending: Ending,
    now: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    let due = subscriptions::table
        .filter(subscriptions::id.eq(subscription_id))
        .filter(subscriptions::status.eq_any(["active", "removing"]))
        .filter(subscriptions::expires_at.le(now));
    let kicked_at = (ending == Ending::Removed).then_some(now);
    let changed = prepared(
        diesel::update(due).set((subscriptions::status.eq("expired"), subscriptions::kicked_at.eq(kicked_at))),
    )
    .execute(conn)
    .await?;
    Ok(changed == 1)
}

/// Marks that a chat refuses removals; true only for the call that started the episode
/// (the owner is told once).
pub async fn block_removals(
    conn: &mut AsyncPgConnection,
    channel_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    let changed = prepared(
        diesel::update(
            channels::table.filter(channels::id.eq(channel_id)).filter(channels::removal_blocked_at.is_null()),
        )
        .set(channels::removal_blocked_at.eq(now)),
    )
    .execute(conn)
    .await?;
    Ok(changed == 1)
}

/// A removal went through again: the next refusal is news.
pub async fn unblock_removals(conn: &mut AsyncPgConnection, channel_id: i64) -> diesel::QueryResult<usize> {
    prepared(
        diesel::update(channels::table.filter(channels::id.eq(channel_id)))
            .set(channels::removal_blocked_at.eq(None::<DateTime<Utc>>)),
    )
    .execute(conn)
    .await
}

/// Which advance warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warning {
    /// Three days before the end.
    ThreeDays,
    /// One day before the end.
    OneDay,
}

impl Warning {
    /// The flag a claim checks, and what it sets: the 1-day claim also sets the 3-day flag,
    /// so a late first run sends only the nearer warning.
    pub(super) fn claim_columns(self) -> (&'static str, &'static str) {
        match self {
            Warning::ThreeDays => ("notified_3day", "notified_3day = TRUE"),
            Warning::OneDay => ("notified_1day", "notified_1day = TRUE, notified_3day = TRUE"),
        }
    }

    /// Days before the end.
    pub fn days(self) -> i64 {
        match self {
            Warning::ThreeDays => 3,
            Warning::OneDay => 1,
        }
    }
}

/// One claimed warning to send.
#[derive(Debug, Clone, QueryableByName)]
pub struct DueWarning {
    /// The subscription.
    #[diesel(sql_type = BigInt)]
    pub subscription_id: i64,
    /// Its end.
    #[diesel(sql_type = Timestamptz)]
    pub expires_at: DateTime<Utc>,
    /// The channel or group row (the renew button buys it).
    #[diesel(sql_type = BigInt)]
    pub channel_id: i64,
    /// Its title.
    #[diesel(sql_type = Text)]
    pub chat_title: String,
    /// `channel` or `group`.
    #[diesel(sql_type = Text)]
    pub chat_kind: String,
    /// The seller bot.
    #[diesel(sql_type = BigInt)]
    pub telegram_bot_id: i64,
    /// The end user.
    #[diesel(sql_type = BigInt)]
    pub user_telegram_id: i64,
    /// Their language, if chosen.
    #[diesel(sql_type = Nullable<Text>)]
    pub user_language: Option<String>,
    /// A Telegram Stars subscription will renew it at its end.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub renews: bool,
}

/// Claims up to `limit` warnings of one kind that are due at `now` and not yet sent: the
/// flag is set in the same statement (once-only across runs, nodes and restarts). The 1-day
/// claim also sets the 3-day flag, so a late first run sends only the nearer warning.
pub async fn claim_warnings(
    conn: &mut AsyncPgConnection,
    warning: Warning,
    now: DateTime<Utc>,
    limit: i64,
) -> diesel::QueryResult<Vec<DueWarning>> {
    let (flag, sets) = warning.claim_columns();
    let sql = format!(
        "UPDATE subscriptions s SET {sets}
         FROM channels c, user_bots b, end_users u
         WHERE s.id IN (SELECT d.id FROM subscriptions d
                          JOIN channels dc ON dc.id = d.channel_id
                          JOIN user_bots db ON db.id = dc.user_bot_id
                        WHERE d.status = 'active' AND d.expires_at > $1 AND d.expires_at <= $2 AND NOT d.{flag}
                          AND db.is_active AND db.health IN ('alive', 'dead', 'failed')
                        ORDER BY d.expires_at LIMIT $3 FOR UPDATE OF d SKIP LOCKED)
           AND c.id = s.channel_id AND b.id = c.user_bot_id AND u.id = s.end_user_id
         RETURNING s.id AS subscription_id, s.expires_at, c.id AS channel_id, c.title AS chat_title,
                   c.type AS chat_kind, b.telegram_bot_id, u.telegram_id AS user_telegram_id,
                   u.language AS user_language,
                   EXISTS (SELECT 1 FROM star_subscriptions ss
                           WHERE ss.end_user_id = s.end_user_id AND ss.channel_id = s.channel_id
                             AND ss.state = 'active' AND ss.paid_until >= s.expires_at) AS renews"
    );
    diesel::sql_query(sql)
        .bind::<Timestamptz, _>(now)
        .bind::<Timestamptz, _>(now + chrono::Duration::days(warning.days()))
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await
}

/// Gives a claimed warning back (its message could not go out for a reason that may pass).
pub async fn unclaim_warning(
    conn: &mut AsyncPgConnection,
    subscription_id: i64,
    warning: Warning,
) -> diesel::QueryResult<usize> {
    let row = subscriptions::table.filter(subscriptions::id.eq(subscription_id));
    match warning {
        Warning::ThreeDays => {
            prepared(diesel::update(row).set(subscriptions::notified_3day.eq(false))).execute(conn).await
        }
        Warning::OneDay => {
            prepared(diesel::update(row).set(subscriptions::notified_1day.eq(false))).execute(conn).await
        }
    }
}
