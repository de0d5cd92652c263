//! An owner's statistics, per linked channel/group and in total: SQL aggregates over
//! `(user_bot_id, created_at)` and `(channel_id, created_at)` indexes, and the daily series
//! behind the chart. The exports read rows, newest first, for the CSV files.

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::{
    sql_types::{BigInt, Date, Nullable, Numeric, Text, Timestamptz},
    QueryableByName,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// One figure for one chat (`channel_id`), with an optional label (a status, a currency).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ChatCount {
    /// `channels.id`.
    #[diesel(sql_type = BigInt)]
    pub channel_id: i64,
    /// A status, or empty.
    #[diesel(sql_type = Text)]
    pub label: String,
    /// How many.
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

/// A sum for one chat in one currency.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ChatSum {
    /// `channels.id`.
    #[diesel(sql_type = BigInt)]
    pub channel_id: i64,
    /// Currency.
    #[diesel(sql_type = Text)]
    pub currency: String,
    /// Total.
    #[diesel(sql_type = Numeric)]
    pub total: BigDecimal,
}

/// Approved revenue of one payment method in one currency.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct MethodSum {
    /// `card`, `manual`, `payme`, `click`, ...
    #[diesel(sql_type = Text)]
    pub method: String,
    /// Currency.
    #[diesel(sql_type = Text)]
    pub currency: String,
    /// Total.
    #[diesel(sql_type = Numeric)]
    pub total: BigDecimal,
}

/// The SQL of approved revenue per method and currency since `$1`, for payments matching
/// `filter` (a condition on `payments`, with its own parameters from `$2`).
pub fn by_method_sql(filter: &str) -> String {
    format!(
        "SELECT payment_method AS method, currency, sum(amount) AS total FROM payments
         WHERE created_at >= $1 AND status = 'approved' AND amount > 0 {filter} GROUP BY 1, 2 ORDER BY 1, 2"
    )
}

/// Everything `/stats` shows for one period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnerFigures {
    /// Payments made in the period, per chat and status.
    pub payments: Vec<ChatCount>,
    /// Approved payments made in the period, per chat and currency.
    pub revenue: Vec<ChatSum>,
    /// Subscriptions started in the period (first purchases), per chat.
    pub new_subscribers: Vec<ChatCount>,
    /// Subscriptions active now, per chat.
    pub active: Vec<ChatCount>,
    /// Approved payments in the period that renewed an earlier purchase, per chat.
    pub renewals: Vec<ChatCount>,
    /// End users who first opened the bot in the period.
    pub new_end_users: i64,
    /// Approved payments made in the period, per method and currency.
    pub by_method: Vec<MethodSum>,
}

#[derive(QueryableByName)]
struct Total {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// The figures of a bot since `since`, with "now" = `now`.
pub async fn figures(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<OwnerFigures> {
    let payments = diesel::sql_query(
        "SELECT channel_id, status AS label, count(*) AS count FROM payments
         WHERE user_bot_id = $1 AND created_at >= $2 GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind::<BigInt, _>(user_bot_id)
    .bind::<Timestamptz, _>(since)
    .load(conn)
    .await?;
    let revenue = diesel::sql_query(
        "SELECT channel_id, currency, sum(amount) AS total FROM payments
         WHERE user_bot_id = $1 AND created_at >= $2 AND status = 'approved' GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .bind::<BigInt, _>(user_bot_id)
    .bind::<Timestamptz, _>(since)
    .load(conn)
    .await?;
    let new_subscribers = diesel::sql_query(
        "SELECT s.channel_id, '' AS label, count(*) AS count FROM subscriptions s
         JOIN channels c ON c.id = s.channel_id
         WHERE c.user_bot_id = $1 AND s.created_at >= $2 GROUP BY 1 ORDER BY 1",
    )
    .bind::<BigInt, _>(user_bot_id)
    .bind::<Timestamptz, _>(since)
    .load(conn)
    .await?;
    let active = diesel::sql_query(
        "SELECT s.channel_id, '' AS label, count(*) AS count FROM subscriptions s
         JOIN channels c ON c.id = s.channel_id
         WHERE c.user_bot_id = $1 AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > $2)
         GROUP BY 1 ORDER BY 1",
    )
    .bind::<BigInt, _>(user_bot_id)
    .bind::<Timestamptz, _>(now)
    .load(conn)
    .await?;
    let renewals = diesel::sql_query(
        "SELECT p.channel_id, '' AS label, count(*) AS count FROM payments p
         WHERE p.user_bot_id = $1 AND p.created_at >= $2 AND p.status = 'approved'
           AND EXISTS (SELECT 1 FROM payments q WHERE q.end_user_id = p.end_user_id
                       AND q.channel_id = p.channel_id AND q.status = 'approved'
                       AND (q.created_at, q.id) < (p.created_at, p.id))
         GROUP BY 1 ORDER BY 1",
    )
    .bind::<BigInt, _>(user_bot_id)
    .bind::<Timestamptz, _>(since)
    .load(conn)
    .await?;
    let new_end_users: Total =
        diesel::sql_query("SELECT count(*) AS count FROM end_users WHERE user_bot_id = $1 AND created_at >= $2")
            .bind::<BigInt, _>(user_bot_id)
            .bind::<Timestamptz, _>(since)
            .get_result(conn)
            .await?;
    let by_method = diesel::sql_query(by_method_sql("AND user_bot_id = $2"))
        .bind::<Timestamptz, _>(since)
        .bind::<BigInt, _>(user_bot_id)
        .load(conn)
        .await?;
    Ok(OwnerFigures {
        payments,
        revenue,
        new_subscribers,
        active,
        renewals,
        new_end_users: new_end_users.count,
        by_method,
    })
}

/// One day of the chart.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct Day {
    /// The day in the platform's time zone.
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
    /// Approved revenue in the chart's currency.
    #[diesel(sql_type = Numeric)]
    pub revenue: BigDecimal,
    /// Subscriptions started that day.
    #[diesel(sql_type = BigInt)]
    pub subscribers: i64,
}

/// Revenue in `currency` and new subscribers per day from `first` (a local date) to `last`,
/// every day present (zeros included).
pub async fn daily(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    currency: &str,
    (first, last): (NaiveDate, NaiveDate),
    tz: &str,
) -> diesel::QueryResult<Vec<Day>> {
    diesel::sql_query(
        "WITH days AS (SELECT generate_series($3::date, $4::date, interval '1 day')::date AS day),
              paid AS (SELECT (created_at AT TIME ZONE $5)::date AS day, sum(amount) AS revenue FROM payments
                       WHERE user_bot_id = $1 AND status = 'approved' AND currency = $2
                         AND created_at >= ($3::date::timestamp AT TIME ZONE $5) GROUP BY 1),
              subs AS (SELECT (s.created_at AT TIME ZONE $5)::date AS day, count(*) AS subscribers
                       FROM subscriptions s JOIN channels c ON c.id = s.channel_id
                       WHERE c.user_bot_id = $1 AND s.created_at >= ($3::date::timestamp AT TIME ZONE $5)
                       GROUP BY 1)
         SELECT days.day, COALESCE(paid.revenue, 0) AS revenue, COALESCE(subs.subscribers, 0) AS subscribers
         FROM days LEFT JOIN paid USING (day) LEFT JOIN subs USING (day) ORDER BY days.day",
    )
    .bind::<BigInt, _>(user_bot_id)
    .bind::<Text, _>(currency)
    .bind::<Date, _>(first)
    .bind::<Date, _>(last)
    .bind::<Text, _>(tz)
    .load(conn)
    .await
}

/// A payment row of the export.
#[derive(Debug, Clone, QueryableByName)]
pub struct PaymentRow {
    /// When it was made.
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    /// The end user's Telegram id.
    #[diesel(sql_type = BigInt)]
    pub user_id: i64,
    /// Their @username.
    #[diesel(sql_type = Nullable<Text>)]
    pub username: Option<String>,
    /// The chat bought.
    #[diesel(sql_type = Text)]
    pub item: String,
    /// Amount.
    #[diesel(sql_type = Numeric)]
    pub amount: BigDecimal,
    /// Currency.
    #[diesel(sql_type = Text)]
    pub currency: String,
    /// Payment method.
    #[diesel(sql_type = Text)]
    pub method: String,
    /// The provider's transaction id (Payme, Click), if any.
    #[diesel(sql_type = Nullable<Text>)]
    pub transaction: Option<String>,
    /// Status.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// When it was decided.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// The bot's payments made since `since`, newest first.
pub async fn payment_rows(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    since: DateTime<Utc>,
) -> diesel::QueryResult<Vec<PaymentRow>> {
    diesel::sql_query(
        "SELECT p.created_at, u.telegram_id AS user_id, u.username, c.title AS item, p.amount, p.currency,
                p.payment_method AS method, p.provider_transaction AS transaction, p.status, p.reviewed_at
         FROM payments p JOIN end_users u ON u.id = p.end_user_id JOIN channels c ON c.id = p.channel_id
         WHERE p.user_bot_id = $1 AND p.created_at >= $2 ORDER BY p.created_at DESC, p.id DESC",
    )
    .bind::<BigInt, _>(user_bot_id)
    .bind::<Timestamptz, _>(since)
    .load(conn)
    .await
}

/// A subscriber row of the export.
#[derive(Debug, Clone, QueryableByName)]
pub struct SubscriberRow {
    /// The end user's Telegram id.
    #[diesel(sql_type = BigInt)]
    pub user_id: i64,
    /// Their @username.
    #[diesel(sql_type = Nullable<Text>)]
    pub username: Option<String>,
    /// Their name.
    #[diesel(sql_type = Text)]
    pub name: String,
    /// The chat.
    #[diesel(sql_type = Text)]
    pub item: String,
    /// active / expired / kicked.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// When it started.
    #[diesel(sql_type = Timestamptz)]
    pub started: DateTime<Utc>,
    /// When it ends (none = lifetime).
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub expires: Option<DateTime<Utc>>,
}

/// Every subscription of the bot's chats, newest first.
pub async fn subscriber_rows(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
) -> diesel::QueryResult<Vec<SubscriberRow>> {
    diesel::sql_query(
        "SELECT u.telegram_id AS user_id, u.username, u.full_name AS name, c.title AS item, s.status,
                s.created_at AS started, s.expires_at AS expires
         FROM subscriptions s JOIN channels c ON c.id = s.channel_id JOIN end_users u ON u.id = s.end_user_id
         WHERE c.user_bot_id = $1 ORDER BY s.created_at DESC, s.id DESC",
    )
    .bind::<BigInt, _>(user_bot_id)
    .load(conn)
    .await
}
