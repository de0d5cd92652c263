//! Removal as durable work. The expiry job marks a due subscription `removing` in its own
//! committed statement right before it asks Telegram to ban ([`claim`]); the row stays
//! `removing` until Telegram confirms (then `lifecycle::end_access`), and every failed
//! attempt pushes its next try back ([`record_failure`], exponential backoff) so the job
//! retries it ([`retry_page`]) until it is done.
//!
//! ```text
//! active ──claim (still due)──► removing ──Telegram confirms──► expired
//!   ▲                              │  ▲
//!   └──── renewal approved ────────┘  └── attempt failed: removal_attempts + 1, retry later
//! ```
//!
//! A renewal approved while a row is `removing` takes it back to `active`
//! (`subscriptions::grant_or_extend`); the job then finds nothing to end, and if its ban had
//! already gone out, it invites the customer back.

use super::prepared::prepared;
use chrono::{DateTime, Utc};
use diesel::{
    sql_types::{BigInt, Int4, Timestamptz},
    ExpressionMethods, OptionalExtension, QueryDsl,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{
    lifecycle::{due_access_select, DueAccess},
    schema::subscriptions,
};

/// The retry set: removals begun and not yet confirmed, whose next attempt is due.
pub const RETRY_SQL: &str = concat!(
    due_access_select!(),
    "WHERE s.status = 'removing' AND s.removal_retry_at <= $1
ORDER BY s.removal_retry_at, s.id
LIMIT $2"
);

/// Up to `limit` removals whose retry is due at `now`, oldest first. Each row handled
/// either leaves the set or moves its retry time past `now`, so a run takes one page and
/// the next run the rest.
pub async fn retry_page(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> diesel::QueryResult<Vec<DueAccess>> {
    diesel::sql_query(RETRY_SQL).bind::<Timestamptz, _>(now).bind::<BigInt, _>(limit).load(conn).await
}

/// Commits to removing the user: the subscription becomes (or stays) `removing` only if it
/// is still due at `now`. False when a renewal came first: then nobody may be banned.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    subscription_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    let due = subscriptions::table
        .filter(subscriptions::id.eq(subscription_id))
        .filter(subscriptions::status.eq_any(["active", "removing"]))
        .filter(subscriptions::expires_at.le(now));
    let changed = prepared(
        diesel::update(due).set((subscriptions::status.eq("removing"), subscriptions::removal_retry_at.eq(now))),
    )
    .execute(conn)
    .await?;
    Ok(changed == 1)
}

/// First wait after a failed attempt; it doubles with each further failure.
pub const FIRST_BACKOFF_MINUTES: i32 = 5;
/// Longest wait between two attempts.
pub const MAX_BACKOFF_MINUTES: i32 = 6 * 60;

/// An attempt failed: counts it and schedules the next one (5 min, 10, 20, … at most 6 h).
/// Returns the attempts made so far, or `None` when the row is no longer `removing` (a
/// renewal took it back, or it was never claimed).
pub async fn record_failure(
    conn: &mut AsyncPgConnection,
    subscription_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<i32>> {
    diesel::sql_query(
        "UPDATE subscriptions
         SET removal_attempts = removal_attempts + 1,
             removal_retry_at = $2 + make_interval(mins => LEAST($3 * power(2, LEAST(removal_attempts, 16))::int, $4))
         WHERE id = $1 AND status = 'removing'
         RETURNING removal_attempts",
    )
    .bind::<BigInt, _>(subscription_id)
    .bind::<Timestamptz, _>(now)
    .bind::<Int4, _>(FIRST_BACKOFF_MINUTES)
    .bind::<Int4, _>(MAX_BACKOFF_MINUTES)
    .get_result::<Attempts>(conn)
    .await
    .optional()
    .map(|row| row.map(|r| r.removal_attempts))
}

#[derive(diesel::QueryableByName)]
struct Attempts {
    #[diesel(sql_type = Int4)]
    removal_attempts: i32,
}
