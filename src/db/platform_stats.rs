//! The moderators' dashboard figures: SQL aggregates over indexed columns, never rows loaded
//! into memory. A period is "since a moment" (midnight in the platform's time zone, some
//! days back) or all time.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::{
    sql_types::{BigInt, Nullable, Numeric, Text, Timestamptz},
    QueryableByName,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// A count per label (a state, a status, a plan).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Count {
    /// The label.
    #[diesel(sql_type = Text)]
    pub label: String,
    /// How many.
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

/// A sum per currency.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Sum {
    /// The currency.
    #[diesel(sql_type = Text)]
    pub currency: String,
    /// The total.
    #[diesel(sql_type = Numeric)]
    pub total: BigDecimal,
}

#[derive(QueryableByName)]
struct Totals {
    #[diesel(sql_type = BigInt)]
    owners: i64,
    #[diesel(sql_type = BigInt)]
    new_owners: i64,
    #[diesel(sql_type = BigInt)]
    end_users: i64,
    #[diesel(sql_type = BigInt)]
    new_end_users: i64,
    #[diesel(sql_type = Nullable<Numeric>)]
    plan_revenue: Option<BigDecimal>,
}

/// Everything the dashboard shows for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// Owners in all.
    pub owners: i64,
    /// Owners registered in the period.
    pub new_owners: i64,
    /// Connected bots per health state (all time: a state is "now").
    pub bots: Vec<Count>,
    /// End users in all.
    pub end_users: i64,
    /// End users who first came in the period.
    pub new_end_users: i64,
    /// End-user payments made in the period, per status.
    pub payments: Vec<Count>,
    /// Approved end-user payments made in the period, summed per currency.
    pub approved: Vec<Sum>,
    /// Plan payments approved in the period, in UZS.
    pub plan_revenue: BigDecimal,
    /// Owners per plan now (`free` for those without a running paid plan).
    pub plans: Vec<Count>,
}

/// The dashboard's figures since `since` (all time when `None`), with "now" = `now`.
pub async fn dashboard(
    conn: &mut AsyncPgConnection,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Dashboard> {
    let since = since.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let totals: Totals = diesel::sql_query(
        "SELECT (SELECT count(*) FROM user_admins) AS owners,
                (SELECT count(*) FROM user_admins WHERE created_at >= $1) AS new_owners,
                (SELECT count(*) FROM end_users) AS end_users,
                (SELECT count(*) FROM end_users WHERE created_at >= $1) AS new_end_users,
                (SELECT sum(amount) FROM platform_payments
                 WHERE status = 'approved' AND reviewed_at >= $1) AS plan_revenue",
    )
    .bind::<Timestamptz, _>(since)
    .get_result(conn)
    .await?;
    let bots = diesel::sql_query(
        "SELECT health AS label, count(*) AS count FROM user_bots WHERE is_active GROUP BY health ORDER BY health",
    )
    .load(conn)
    .await?;
    let payments = diesel::sql_query(
        "SELECT status AS label, count(*) AS count FROM payments WHERE created_at >= $1
         GROUP BY status ORDER BY status",
    )
    .bind::<Timestamptz, _>(since)
    .load(conn)
    .await?;
    let approved = diesel::sql_query(
        "SELECT currency, sum(amount) AS total FROM payments WHERE status = 'approved' AND created_at >= $1
         GROUP BY currency ORDER BY currency",
    )
    .bind::<Timestamptz, _>(since)
    .load(conn)
    .await?;
    let plans = diesel::sql_query(
        "WITH paid AS (SELECT DISTINCT ON (user_admin_id) user_admin_id, plan FROM admin_subscriptions
                       WHERE status = 'active' AND plan <> 'free' AND expires_at > $1
                       ORDER BY user_admin_id, expires_at DESC)
         SELECT COALESCE(paid.plan, 'free') AS label, count(*) AS count
         FROM user_admins o LEFT JOIN paid ON paid.user_admin_id = o.id
         GROUP BY 1 ORDER BY 1",
    )
    .bind::<Timestamptz, _>(now)
    .load(conn)
    .await?;
    Ok(Dashboard {
        owners: totals.owners,
        new_owners: totals.new_owners,
        bots,
        end_users: totals.end_users,
        new_end_users: totals.new_end_users,
        payments,
        approved,
        plan_revenue: totals.plan_revenue.unwrap_or_default(),
        plans,
    })
}

/// One payment in a moderator's list.
#[derive(Debug, Clone, QueryableByName)]
pub struct LedgerLine {
    /// The payment.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Amount.
    #[diesel(sql_type = Numeric)]
    pub amount: BigDecimal,
    /// Currency.
    #[diesel(sql_type = Text)]
    pub currency: String,
    /// pending / approved / rejected.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// When it was made.
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    /// Who it was for: the seller bot, or the plan.
    #[diesel(sql_type = Text)]
    pub whom: String,
}

/// A page of payments, newest first: end users' (`plans = false`) or owners' plan payments,
/// optionally of one status; with the number of matches.
pub async fn ledger(
    conn: &mut AsyncPgConnection,
    plans: bool,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> diesel::QueryResult<(Vec<LedgerLine>, i64)> {
    let (rows, total) = if plans {
        (
            "SELECT p.id, p.amount, 'UZS' AS currency, p.status, p.created_at,
                    p.plan || ' · ' || o.full_name AS whom
             FROM platform_payments p JOIN user_admins o ON o.id = p.user_admin_id
             WHERE ($1 = '' OR p.status = $1) ORDER BY p.id DESC OFFSET $2 LIMIT $3",
            "SELECT count(*) AS count, 'all' AS label FROM platform_payments WHERE ($1 = '' OR status = $1)",
        )
    } else {
        (
            "SELECT p.id, p.amount, p.currency, p.status, p.created_at, '@' || b.bot_username AS whom
             FROM payments p JOIN user_bots b ON b.id = p.user_bot_id
             WHERE ($1 = '' OR p.status = $1) ORDER BY p.id DESC OFFSET $2 LIMIT $3",
            "SELECT count(*) AS count, 'all' AS label FROM payments WHERE ($1 = '' OR status = $1)",
        )
    };
    let status = status.unwrap_or("");
    let lines = diesel::sql_query(rows)
        .bind::<Text, _>(status)
        .bind::<BigInt, _>(offset)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await?;
    let counted: Count = diesel::sql_query(total).bind::<Text, _>(status).get_result(conn).await?;
    Ok((lines, counted.count))
}
