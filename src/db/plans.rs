//! Owners' paid plans (`admin_subscriptions` rows other than `free`) as the scheduler sees
//! them: once-only 3-day / 1-day warnings and the guarded return to Free at expiry, and
//! the one place a paid plan starts or grows.

use super::prepared::prepared;
use chrono::{DateTime, Utc};
use diesel::{
    sql_types::{BigInt, Bool, Nullable, Text, Timestamptz},
    ExpressionMethods, NullableExpressionMethods, OptionalExtension, QueryDsl, QueryableByName,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{
    lifecycle::Warning,
    schema::{admin_subscriptions as a, user_admins},
};

/// A paid plan the scheduler acts on, with its owner.
#[derive(Debug, Clone, QueryableByName)]
pub struct PlanNotice {
    /// The plan row.
    #[diesel(sql_type = BigInt)]
    pub plan_id: i64,
    /// `1month`, `6month` or `12month`.
    #[diesel(sql_type = Text)]
    pub plan: String,
    /// When it ends (ended).
    #[diesel(sql_type = Timestamptz)]
    pub expires_at: DateTime<Utc>,
    /// The owner's Telegram id.
    #[diesel(sql_type = BigInt)]
    pub owner_telegram_id: i64,
    /// The owner's name.
    #[diesel(sql_type = Text)]
    pub owner_name: String,
    /// The owner's username, if any.
    #[diesel(sql_type = Nullable<Text>)]
    pub owner_username: Option<String>,
    /// The owner's language.
    #[diesel(sql_type = Text)]
    pub owner_language: String,
}

const RETURNING_NOTICE: &str = "RETURNING p.id AS plan_id, p.plan, p.expires_at, o.telegram_id AS owner_telegram_id, \
     o.full_name AS owner_name, o.username AS owner_username, o.language AS owner_language";

/// Claims up to `limit` plan warnings of one kind (flag set in the same statement, so each
/// is sent once across runs and nodes). The 1-day claim also sets the 3-day flag.
pub async fn claim_warnings(
    conn: &mut AsyncPgConnection,
    warning: Warning,
    now: DateTime<Utc>,
    limit: i64,
) -> diesel::QueryResult<Vec<PlanNotice>> {
    let (flag, sets) = warning.claim_columns();
    let sql = format!(
        "UPDATE admin_subscriptions p SET {sets} FROM user_admins o
         WHERE p.id IN (SELECT id FROM admin_subscriptions
                        WHERE status = 'active' AND plan <> 'free' AND expires_at > $1 AND expires_at <= $2
                          AND NOT {flag}
                        ORDER BY expires_at LIMIT $3 FOR UPDATE SKIP LOCKED)
           AND o.id = p.user_admin_id
         {RETURNING_NOTICE}"
    );
    diesel::sql_query(sql)
        .bind::<Timestamptz, _>(now)
        .bind::<Timestamptz, _>(now + chrono::Duration::days(warning.days()))
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await
}

/// A paid plan the expiry job ended, and whether to announce it.
#[derive(Debug, Clone, QueryableByName)]
pub struct EndedPlan {
    /// The plan and its owner.
    #[diesel(embed)]
    pub notice: PlanNotice,
    /// The owner is on Free now: no other paid plan of theirs runs. `false` for a leftover
    /// row of an owner whose paid plan goes on, which is ended without a word.
    #[diesel(sql_type = Bool)]
    pub back_to_free: bool,
}

/// Ends up to `limit` paid plans past their end (guarded `active → expired`). Returns the
/// plans this call ended, each saying whether its owner is back on Free. A plan renewed in
/// the meantime is not due any more: the renewal moved its end on the same row, under a
/// row lock this statement skips.
pub async fn expire_due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    limit: i64,
) -> diesel::QueryResult<Vec<EndedPlan>> {
    let sql = "WITH ended AS (
           UPDATE admin_subscriptions p SET status = 'expired'
           WHERE p.id IN (SELECT id FROM admin_subscriptions
                          WHERE status = 'active' AND plan <> 'free' AND expires_at <= $1
                          ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING p.id, p.plan, p.expires_at, p.user_admin_id)
         SELECT e.id AS plan_id, e.plan, e.expires_at, o.telegram_id AS owner_telegram_id,
                o.full_name AS owner_name, o.username AS owner_username, o.language AS owner_language,
                NOT EXISTS (SELECT 1 FROM admin_subscriptions r
                            WHERE r.user_admin_id = e.user_admin_id AND r.status = 'active'
                              AND r.plan <> 'free' AND r.expires_at > $1) AS back_to_free
         FROM ended e JOIN user_admins o ON o.id = e.user_admin_id";
    diesel::sql_query(sql).bind::<Timestamptz, _>(now).bind::<BigInt, _>(limit).load(conn).await
}

/// The owner's running paid plan, if any: its row id and end.
pub async fn running(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<(i64, String, DateTime<Utc>)>> {
    a::table
        .filter(a::user_admin_id.eq(owner_id))
        .filter(a::status.eq("active"))
        .filter(a::plan.ne("free"))
        .filter(a::expires_at.gt(now))
        .order(a::expires_at.desc())
        .select((a::id, a::plan, a::expires_at.assume_not_null()))
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// The owner's latest paid plan not yet expired by the scheduler, locked: its row id and
/// end, which may have passed already (ended, not yet expired).
pub async fn latest_active(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
) -> diesel::QueryResult<Option<(i64, DateTime<Utc>)>> {
    a::table
        .filter(a::user_admin_id.eq(owner_id))
        .filter(a::status.eq("active"))
        .filter(a::plan.ne("free"))
        .order(a::expires_at.desc())
        .select((a::id, a::expires_at.assume_not_null()))
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Moves a paid plan's end (a refund shortening it; an end not in the future lets the expiry
/// job end it and tell the owner).
pub async fn set_end(conn: &mut AsyncPgConnection, plan_id: i64, end: DateTime<Utc>) -> diesel::QueryResult<usize> {
    prepared(diesel::update(a::table.filter(a::id.eq(plan_id))).set(a::expires_at.eq(end))).execute(conn).await
}

/// Starts or extends the owner's paid plan; its warnings start fresh. Call inside the
/// approving transaction. Returns the new end.
///
/// One row per paid stretch: the owner's row is locked first, so two grants at once for
/// the same owner take turns. The lock is `FOR NO KEY UPDATE`: it does not wait on the key
/// share lock that the caller's own insert of a plan payment (a foreign key to the owner)
/// holds, so two such transactions cannot deadlock on each other. A running plan extends from its end; a plan that has ended
/// but that the expiry job has not expired yet is renewed on the same row from now (no
/// second row, so no false "back to Free" for the old one later); only an owner without an
/// active paid row gets a new one.
pub async fn start_or_extend(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    plan: &str,
    months: i32,
    amount: &bigdecimal::BigDecimal,
    now: DateTime<Utc>,
) -> diesel::QueryResult<DateTime<Utc>> {
    user_admins::table
        .filter(user_admins::id.eq(owner_id))
        .select(user_admins::id)
        .for_no_key_update()
        .first::<i64>(conn)
        .await?;
    let latest = latest_active(conn, owner_id).await?;
    let start = latest.map(|(_, end)| end.max(now)).unwrap_or(now);
    let end = super::subscriptions::period_end(start, months).ok_or(diesel::result::Error::NotFound)?;
    match latest {
        Some((id, _)) => {
            prepared(diesel::update(a::table.filter(a::id.eq(id))).set((
                a::plan.eq(plan),
                a::expires_at.eq(end),
                a::amount_paid.eq(a::amount_paid + amount),
                a::notified_3day.eq(false),
                a::notified_1day.eq(false),
            )))
            .execute(conn)
            .await?;
        }
        None => {
            diesel::insert_into(a::table)
                .values((
                    a::user_admin_id.eq(owner_id),
                    a::plan.eq(plan),
                    a::started_at.eq(now),
                    a::expires_at.eq(end),
                    a::amount_paid.eq(amount),
                    a::status.eq("active"),
                ))
                .execute(conn)
                .await?;
        }
    }
    Ok(end)
}
