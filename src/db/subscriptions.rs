//! `subscriptions`: an end user's access to a channel or group, from approval (the period
//! starts then) through the personal invite link and the join to expiry.

use super::prepared::prepared;
use chrono::{DateTime, Months, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::subscriptions;

/// One subscription.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = subscriptions)]
pub struct Subscription {
    /// Internal id.
    pub id: i64,
    /// The subscriber.
    pub end_user_id: i64,
    /// The channel or group.
    pub channel_id: i64,
    /// The payment that last started or extended it.
    pub payment_id: Option<i64>,
    /// The personal invite link, once created.
    pub invite_link: Option<String>,
    /// The link was used (join request approved).
    pub link_used: bool,
    /// When the user joined.
    pub joined_at: Option<DateTime<Utc>>,
    /// End of access; none = lifetime.
    pub expires_at: Option<DateTime<Utc>>,
    /// active / removing / expired / kicked.
    pub status: String,
}

/// When access bought for `months` (0 = lifetime) ends, counted from `from`.
pub fn period_end(from: DateTime<Utc>, months: i32) -> Option<DateTime<Utc>> {
    match u32::try_from(months) {
        Ok(0) | Err(_) => None,
        Ok(months) => from.checked_add_months(Months::new(months)),
    }
}

/// What a payment buys: months from the current end (or from now), or access up to a date
/// Telegram set (a Stars subscription's `subscription_expiration_date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Months (0 = lifetime).
    Months(i32),
    /// Up to this instant (never shortening what was already paid).
    Until(DateTime<Utc>),
}

impl Period {
    /// Where access ends: for a new subscription (`current` is `None`), or extending one that
    /// ends at `current` (`Some(None)`: lifetime, which stays lifetime).
    pub fn end(self, current: Option<Option<DateTime<Utc>>>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match (self, current) {
            (_, Some(None)) => None,
            (Period::Months(months), Some(Some(end))) => period_end(end.max(now), months),
            (Period::Months(months), None) => period_end(now, months),
            (Period::Until(until), Some(Some(end))) => Some(end.max(until)),
            (Period::Until(until), None) => Some(until),
        }
    }
}

/// Starts a subscription, or extends the user's active one for the same chat from its
/// current end (a renewal; lifetime stays lifetime). Call inside the approving transaction:
/// concurrent grants for the same customer and chat are serialized until it ends.
/// Returns the subscription and whether it was extended.
///
/// A subscription the expiry job is removing (`removing`) is renewed too, from now, and
/// taken back to `active`: the paying customer keeps one subscription, the job's guarded
/// steps then find nothing to end, and if its ban had already gone out it invites the
/// customer back (see `db::removals`).
pub async fn grant_or_extend(
    conn: &mut AsyncPgConnection,
    end_user_id: i64,
    channel_id: i64,
    payment_id: i64,
    months: i32,
    now: DateTime<Utc>,
) -> diesel::QueryResult<(Subscription, bool)> {
    grant(conn, (end_user_id, channel_id), payment_id, Period::Months(months), now).await
}

/// Like [`grant_or_extend`] for any [`Period`].
pub async fn grant(
    conn: &mut AsyncPgConnection,
    (end_user_id, channel_id): (i64, i64),
    payment_id: i64,
    period: Period,
    now: DateTime<Utc>,
) -> diesel::QueryResult<(Subscription, bool)> {
    // Grants for one customer and chat wait for each other until the end of the
    // transaction: two payments approved at the same moment for a customer who has no
    // subscription yet would otherwise both insert one, and the second would fail on the
    // unique key instead of extending the first.
    let lock = diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('grant:' || $1 || ':' || $2, 0))")
        .bind::<diesel::sql_types::BigInt, _>(end_user_id)
        .bind::<diesel::sql_types::BigInt, _>(channel_id);
    prepared(lock).execute(conn).await?;
    if let Some(current) = live_for_update(conn, end_user_id, channel_id).await? {
        let expires_at = period.end(Some(current.expires_at), now);
        let extended = prepared(
            diesel::update(subscriptions::table.filter(subscriptions::id.eq(current.id)))
                .set((
                    subscriptions::expires_at.eq(expires_at),
                    subscriptions::payment_id.eq(payment_id),
                    subscriptions::notified_3day.eq(false),
                    subscriptions::notified_1day.eq(false),
                    subscriptions::status.eq("active"),
                    subscriptions::removal_attempts.eq(0),
                    subscriptions::removal_retry_at.eq(None::<DateTime<Utc>>),
                ))
                .returning(Subscription::as_returning()),
        )
        .get_result(conn)
        .await?;
        return Ok((extended, true));
    }
    let created = diesel::insert_into(subscriptions::table)
        .values((
            subscriptions::end_user_id.eq(end_user_id),
            subscriptions::channel_id.eq(channel_id),
            subscriptions::payment_id.eq(payment_id),
            subscriptions::expires_at.eq(period.end(None, now)),
            subscriptions::created_at.eq(now),
        ))
        .returning(Subscription::as_returning())
        .get_result(conn)
        .await?;
    Ok((created, false))
}

/// The customer's live subscription to a chat (active, or being removed), locked for the
/// rest of the transaction.
pub async fn live_for_update(
    conn: &mut AsyncPgConnection,
    end_user_id: i64,
    channel_id: i64,
) -> diesel::QueryResult<Option<Subscription>> {
    subscriptions::table
        .filter(subscriptions::end_user_id.eq(end_user_id))
        .filter(subscriptions::channel_id.eq(channel_id))
        .filter(subscriptions::status.eq_any(["active", "removing"]))
        .select(Subscription::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Stores a new personal invite link (a fresh one replaces a used or lost one), with the
/// delivery that made it and is about to hand it over (see [`link_of_delivery`]).
pub async fn set_invite_link(
    conn: &mut AsyncPgConnection,
    id: i64,
    link: &str,
    delivery: &str,
) -> diesel::QueryResult<usize> {
    prepared(diesel::update(subscriptions::table.filter(subscriptions::id.eq(id))).set((
        subscriptions::invite_link.eq(link),
        subscriptions::link_used.eq(false),
        subscriptions::link_revoked_at.eq(None::<DateTime<Utc>>),
        subscriptions::invite_delivery.eq(delivery),
    )))
    .execute(conn)
    .await
}

/// The link `delivery` made and stored earlier, while it is still the subscription's link:
/// a retry of that delivery hands over the same link rather than a second one.
pub async fn link_of_delivery(
    conn: &mut AsyncPgConnection,
    id: i64,
    delivery: &str,
) -> diesel::QueryResult<Option<String>> {
    subscriptions::table
        .filter(subscriptions::id.eq(id))
        .filter(subscriptions::invite_delivery.eq(delivery))
        .select(subscriptions::invite_link)
        .first::<Option<String>>(conn)
        .await
        .optional()
        .map(Option::flatten)
}

/// The active subscription behind an invite link.
pub async fn by_invite_link(conn: &mut AsyncPgConnection, link: &str) -> diesel::QueryResult<Option<Subscription>> {
    subscriptions::table
        .filter(subscriptions::invite_link.eq(link))
        .select(Subscription::as_select())
        .first(conn)
        .await
        .optional()
}

/// The payer's join request was approved: the link is used up and revoked.
pub async fn mark_link_used(conn: &mut AsyncPgConnection, id: i64, at: DateTime<Utc>) -> diesel::QueryResult<usize> {
    prepared(diesel::update(subscriptions::table.filter(subscriptions::id.eq(id))).set((
        subscriptions::link_used.eq(true),
        subscriptions::join_requested_at.eq(at),
        subscriptions::link_revoked_at.eq(at),
    )))
    .execute(conn)
    .await
}

/// Records the join of a subscriber (first join only); returns the subscription if this
/// was news.
pub async fn mark_joined(
    conn: &mut AsyncPgConnection,
    end_user_id: i64,
    channel_id: i64,
    at: DateTime<Utc>,
) -> diesel::QueryResult<Option<Subscription>> {
    prepared(
        diesel::update(
            subscriptions::table
                .filter(subscriptions::end_user_id.eq(end_user_id))
                .filter(subscriptions::channel_id.eq(channel_id))
                .filter(subscriptions::status.eq("active"))
                .filter(subscriptions::joined_at.is_null()),
        )
        .set(subscriptions::joined_at.eq(at))
        .returning(Subscription::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()
}

/// The user's active subscriptions at a bot's chats.
pub async fn active_of_end_user(
    conn: &mut AsyncPgConnection,
    end_user_id: i64,
) -> diesel::QueryResult<Vec<Subscription>> {
    subscriptions::table
        .filter(subscriptions::end_user_id.eq(end_user_id))
        .filter(subscriptions::status.eq("active"))
        .order(subscriptions::id)
        .select(Subscription::as_select())
        .load(conn)
        .await
}

/// One subscription by id.
pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> diesel::QueryResult<Option<Subscription>> {
    subscriptions::table.filter(subscriptions::id.eq(id)).select(Subscription::as_select()).first(conn).await.optional()
}

/// Ends every live subscription of a user (active, or being removed) by a ban; returns them.
pub async fn kick_all(
    conn: &mut AsyncPgConnection,
    end_user_id: i64,
    at: DateTime<Utc>,
) -> diesel::QueryResult<Vec<Subscription>> {
    prepared(
        diesel::update(
            subscriptions::table
                .filter(subscriptions::end_user_id.eq(end_user_id))
                .filter(subscriptions::status.eq_any(["active", "removing"])),
        )
        .set((subscriptions::status.eq("kicked"), subscriptions::kicked_at.eq(at)))
        .returning(Subscription::as_returning()),
    )
    .get_results(conn)
    .await
}

/// Every subscription of a user, newest first.
pub async fn of_end_user(conn: &mut AsyncPgConnection, end_user_id: i64) -> diesel::QueryResult<Vec<Subscription>> {
    subscriptions::table
        .filter(subscriptions::end_user_id.eq(end_user_id))
        .order(subscriptions::id.desc())
        .select(Subscription::as_select())
        .load(conn)
        .await
}

/// The subscription a payment last started or extended.
pub async fn by_payment(conn: &mut AsyncPgConnection, payment_id: i64) -> diesel::QueryResult<Option<Subscription>> {
    subscriptions::table
        .filter(subscriptions::payment_id.eq(payment_id))
        .select(Subscription::as_select())
        .first(conn)
        .await
        .optional()
}
