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
    /// Approved end-user payments made in the period, per method and currency.
    pub by_method: Vec<super::owner_stats::MethodSum>,
    /// Plan payments approved in the period, in UZS.
    pub plan_revenue: BigDecimal,
    /// Plan payments approved in the period, per method (card, Payme, Click, Uzum).
    pub plan_by_method: Vec<super::owner_stats::MethodSum>,
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
        by_method: diesel::sql_query(super::owner_stats::by_method_sql(""))
            .bind::<Timestamptz, _>(since)
            .load(conn)
            .await?,
        plan_revenue: totals.plan_revenue.unwrap_or_default(),
        plan_by_method: diesel::sql_query(
            "SELECT method, 'UZS' AS currency, sum(amount) AS total FROM platform_payments
             WHERE status = 'approved' AND amount > 0 AND reviewed_at >= $1 GROUP BY 1 ORDER BY 1",
        )
        .bind::<Timestamptz, _>(since)
        .load(conn)
        .await?,
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
            "SELECT count(*) AS count FROM platform_payments WHERE ($1 = '' OR status = $1)",
        )
    } else {
        (
            "SELECT p.id, p.amount, p.currency, p.status, p.created_at, '@' || b.bot_username AS whom
             FROM payments p JOIN user_bots b ON b.id = p.user_bot_id
             WHERE ($1 = '' OR p.status = $1) ORDER BY p.id DESC OFFSET $2 LIMIT $3",
            "SELECT count(*) AS count FROM payments WHERE ($1 = '' OR status = $1)",
        )
    };
    let status = status.unwrap_or("");
    let lines = diesel::sql_query(rows)
        .bind::<Text, _>(status)
        .bind::<BigInt, _>(offset)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await?;
    #[derive(QueryableByName)]
    struct Total {
        #[diesel(sql_type = BigInt)]
        count: i64,
    }
    let counted: Total = diesel::sql_query(total).bind::<Text, _>(status).get_result(conn).await?;
    Ok((lines, counted.count))
}

/// One day of the moderators' chart.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct PlatformDay {
    /// The day in the platform's time zone.
    #[diesel(sql_type = diesel::sql_types::Date)]
    pub day: chrono::NaiveDate,
    /// Plan payments approved that day, in UZS.
    #[diesel(sql_type = Numeric)]
    pub revenue: BigDecimal,
    /// Owners registered that day.
    #[diesel(sql_type = BigInt)]
    pub owners: i64,
}

/// New owners and approved plan revenue per day from `first` to `last` (local dates).
pub async fn daily(
    conn: &mut AsyncPgConnection,
    (first, last): (chrono::NaiveDate, chrono::NaiveDate),
    tz: &str,
) -> diesel::QueryResult<Vec<PlatformDay>> {
    use diesel::sql_types::Date;
    diesel::sql_query(
        "WITH days AS (SELECT generate_series($1::date, $2::date, interval '1 day')::date AS day),
              paid AS (SELECT (reviewed_at AT TIME ZONE $3)::date AS day, sum(amount) AS revenue
                       FROM platform_payments
                       WHERE status = 'approved' AND reviewed_at >= ($1::date::timestamp AT TIME ZONE $3) GROUP BY 1),
              joined AS (SELECT (created_at AT TIME ZONE $3)::date AS day, count(*) AS owners FROM user_admins
                         WHERE created_at >= ($1::date::timestamp AT TIME ZONE $3) GROUP BY 1)
         SELECT days.day, COALESCE(paid.revenue, 0) AS revenue, COALESCE(joined.owners, 0) AS owners
         FROM days LEFT JOIN paid USING (day) LEFT JOIN joined USING (day) ORDER BY days.day",
    )
    .bind::<Date, _>(first)
    .bind::<Date, _>(last)
    .bind::<Text, _>(tz)
    .load(conn)
    .await
}

/// An owner row of the moderators' export.
#[derive(Debug, Clone, QueryableByName)]
pub struct OwnerRow {
    /// Telegram id.
    #[diesel(sql_type = BigInt)]
    pub telegram_id: i64,
    /// @username.
    #[diesel(sql_type = Nullable<Text>)]
    pub username: Option<String>,
    /// Name.
    #[diesel(sql_type = Text)]
    pub name: String,
    /// Language.
    #[diesel(sql_type = Text)]
    pub language: String,
    /// Banned?
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub banned: bool,
    /// Registered at.
    #[diesel(sql_type = Timestamptz)]
    pub registered: DateTime<Utc>,
    /// Running paid plan, if any.
    #[diesel(sql_type = Nullable<Text>)]
    pub plan: Option<String>,
    /// Its end.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub plan_until: Option<DateTime<Utc>>,
    /// Connected bot's @username.
    #[diesel(sql_type = Nullable<Text>)]
    pub bot: Option<String>,
    /// Its health.
    #[diesel(sql_type = Nullable<Text>)]
    pub health: Option<String>,
}

/// Every owner with their running plan and bot, oldest first.
pub async fn owner_rows(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> diesel::QueryResult<Vec<OwnerRow>> {
    diesel::sql_query(
        "SELECT o.telegram_id, o.username, o.full_name AS name, o.language, o.banned, o.created_at AS registered,
                p.plan, p.expires_at AS plan_until, b.bot_username AS bot, b.health
         FROM user_admins o
         LEFT JOIN LATERAL (SELECT plan, expires_at FROM admin_subscriptions a
                            WHERE a.user_admin_id = o.id AND a.status = 'active' AND a.plan <> 'free'
                              AND a.expires_at > $1 ORDER BY a.expires_at DESC LIMIT 1) p ON TRUE
         LEFT JOIN user_bots b ON b.user_admin_id = o.id AND b.is_active
         ORDER BY o.id",
    )
    .bind::<Timestamptz, _>(now)
    .load(conn)
    .await
}

/// A plan payment row of the moderators' export.
#[derive(Debug, Clone, QueryableByName)]
pub struct PlanPaymentRow {
    /// When it was made.
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    /// The owner's Telegram id.
    #[diesel(sql_type = BigInt)]
    pub owner_id: i64,
    /// Their @username.
    #[diesel(sql_type = Nullable<Text>)]
    pub username: Option<String>,
    /// The plan.
    #[diesel(sql_type = Text)]
    pub plan: String,
    /// Amount (UZS).
    #[diesel(sql_type = Numeric)]
    pub amount: BigDecimal,
    /// card / manual.
    #[diesel(sql_type = Text)]
    pub method: String,
    /// Status.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// When it was decided.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Which moderator decided.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub reviewed_by: Option<i64>,
}

/// Every plan payment, newest first.
pub async fn plan_payment_rows(conn: &mut AsyncPgConnection) -> diesel::QueryResult<Vec<PlanPaymentRow>> {
    diesel::sql_query(
        "SELECT p.created_at, o.telegram_id AS owner_id, o.username, p.plan, p.amount, p.method, p.status,
                p.reviewed_at, p.reviewed_by
         FROM platform_payments p JOIN user_admins o ON o.id = p.user_admin_id ORDER BY p.created_at DESC, p.id DESC",
    )
    .load(conn)
    .await
}
