//! Owners as moderators see them: a searchable page, one owner's card (bot, plan, end
//! users, revenue, recent payments) and the ban switch.

use super::prepared::prepared;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::{
    sql_types::{BigInt, Numeric, Text, Timestamptz},
    BoolExpressionMethods, ExpressionMethods, OptionalExtension, PgTextExpressionMethods, QueryDsl, QueryableByName,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{
    owners::Owner,
    platform_stats::Sum,
    schema::{end_users, user_admins, user_bots},
};

/// A page of owners, newest first, matching a search by @username, name or Telegram id;
/// with the number of matches.
pub async fn page(
    conn: &mut AsyncPgConnection,
    search: Option<&str>,
    offset: i64,
    limit: i64,
) -> diesel::QueryResult<(Vec<Owner>, i64)> {
    let mut query = user_admins::table.into_boxed();
    let mut count = user_admins::table.into_boxed();
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", search.trim_start_matches('@').replace(['%', '_'], ""));
        let id: i64 = search.parse().unwrap_or(-1);
        let matches = || {
            user_admins::full_name
                .ilike(pattern.clone())
                .or(user_admins::username.ilike(pattern.clone()))
                .or(user_admins::telegram_id.eq(id))
        };
        query = query.filter(matches());
        count = count.filter(matches());
    }
    let owners =
        query.order(user_admins::id.desc()).offset(offset).limit(limit).select(Owner::as_select()).load(conn).await?;
    Ok((owners, count.count().get_result(conn).await?))
}

/// A recent end-user payment to an owner.
#[derive(Debug, Clone, QueryableByName)]
pub struct RecentPayment {
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
}

/// One owner's card.
#[derive(Debug, Clone)]
pub struct OwnerCard {
    /// The owner.
    pub owner: Owner,
    /// Their connected bot: `@username` and health.
    pub bot: Option<(String, String)>,
    /// Their running paid plan and its end.
    pub plan: Option<(String, DateTime<Utc>)>,
    /// End users of their bot.
    pub end_users: i64,
    /// Approved end-user payments, per currency.
    pub revenue: Vec<Sum>,
    /// The last few end-user payments.
    pub recent: Vec<RecentPayment>,
}

/// The card of an owner (by `user_admins.id`).
pub async fn card(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<OwnerCard>> {
    let Some(owner) = super::owners::find_by_id(conn, owner_id).await? else { return Ok(None) };
    let bot: Option<(i64, String, String)> = user_bots::table
        .filter(user_bots::user_admin_id.eq(owner_id))
        .order((user_bots::is_active.desc(), user_bots::id.desc()))
        .select((user_bots::id, user_bots::bot_username, user_bots::health))
        .first(conn)
        .await
        .optional()?;
    let plan = super::plans::running(conn, owner_id, now).await?.map(|(_, plan, end)| (plan, end));
    let bot_id = bot.as_ref().map(|(id, ..)| *id).unwrap_or(-1);
    let end_users = end_users::table.filter(end_users::user_bot_id.eq(bot_id)).count().get_result(conn).await?;
    let revenue = diesel::sql_query(
        "SELECT currency, sum(amount) AS total FROM payments WHERE user_bot_id = $1 AND status = 'approved'
         GROUP BY currency ORDER BY currency",
    )
    .bind::<BigInt, _>(bot_id)
    .load(conn)
    .await?;
    let recent = diesel::sql_query(
        "SELECT id, amount, currency, status, created_at FROM payments WHERE user_bot_id = $1
         ORDER BY created_at DESC LIMIT 5",
    )
    .bind::<BigInt, _>(bot_id)
    .load(conn)
    .await?;
    let bot = bot.map(|(_, username, health)| (username, health));
    Ok(Some(OwnerCard { owner, bot, plan, end_users, revenue, recent }))
}

/// Bans or unbans an owner; returns them as changed.
pub async fn set_banned(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    banned: bool,
) -> diesel::QueryResult<Option<Owner>> {
    prepared(
        diesel::update(user_admins::table.filter(user_admins::id.eq(owner_id)))
            .set(user_admins::banned.eq(banned))
            .returning(Owner::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()
}

/// Whether an owner is banned (a banned owner's seller bot does not sell).
pub async fn is_banned(conn: &mut AsyncPgConnection, owner_id: i64) -> diesel::QueryResult<bool> {
    let banned: Option<bool> = user_admins::table
        .filter(user_admins::id.eq(owner_id))
        .select(user_admins::banned)
        .first(conn)
        .await
        .optional()?;
    Ok(banned.unwrap_or(false))
}
