//! `star_subscriptions`: a customer's monthly Telegram Stars subscription to a chat, named by
//! the order its invoice carried and by its first charge. Telegram renews it every 30 days;
//! each renewal moves `paid_until`. A state change (cancelled, re-enabled, failed) is recorded
//! once, with an event the owner's statistics count.

use super::prepared::prepared;
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::{star_subscription_events, star_subscriptions};

/// One Stars subscription.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = star_subscriptions)]
pub struct StarSubscription {
    /// Internal id.
    pub id: i64,
    /// The order it began with (the invoice's payload).
    pub order_id: i64,
    /// The seller bot.
    pub user_bot_id: i64,
    /// The subscriber.
    pub end_user_id: i64,
    /// The chat.
    pub channel_id: i64,
    /// The first charge's `telegram_payment_charge_id` (names it to Telegram).
    pub first_charge_id: String,
    /// `active` (Telegram renews it), `canceled` or `failed`.
    pub state: String,
    /// How far it is paid.
    pub paid_until: DateTime<Utc>,
    /// Renewals charged so far.
    pub renewals: i32,
}

impl StarSubscription {
    /// Whether Telegram will charge it again at `paid_until`.
    pub fn renews(&self) -> bool {
        self.state == "active"
    }
}

/// Records the subscription its first charge began (once per order: a repeat finds it).
pub async fn begin(
    conn: &mut AsyncPgConnection,
    (order_id, user_bot_id, end_user_id, channel_id): (i64, i64, i64, i64),
    first_charge_id: &str,
    paid_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<StarSubscription> {
    diesel::insert_into(star_subscriptions::table)
        .values((
            star_subscriptions::order_id.eq(order_id),
            star_subscriptions::user_bot_id.eq(user_bot_id),
            star_subscriptions::end_user_id.eq(end_user_id),
            star_subscriptions::channel_id.eq(channel_id),
            star_subscriptions::first_charge_id.eq(first_charge_id),
            star_subscriptions::paid_until.eq(paid_until),
            star_subscriptions::created_at.eq(now),
            star_subscriptions::updated_at.eq(now),
        ))
        .on_conflict(star_subscriptions::order_id)
        .do_nothing()
        .execute(conn)
        .await?;
    by_order(conn, order_id).await?.ok_or(diesel::result::Error::NotFound)
}

/// The subscription an order began, locked for the rest of the transaction.
pub async fn by_order(conn: &mut AsyncPgConnection, order_id: i64) -> diesel::QueryResult<Option<StarSubscription>> {
    star_subscriptions::table
        .filter(star_subscriptions::order_id.eq(order_id))
        .select(StarSubscription::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// One subscription by id.
pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> diesel::QueryResult<Option<StarSubscription>> {
    star_subscriptions::table.find(id).select(StarSubscription::as_select()).first(conn).await.optional()
}

/// The customer's subscriptions that Telegram renews.
pub async fn renewing_of(conn: &mut AsyncPgConnection, end_user_id: i64) -> diesel::QueryResult<Vec<StarSubscription>> {
    star_subscriptions::table
        .filter(star_subscriptions::end_user_id.eq(end_user_id))
        .filter(star_subscriptions::state.eq("active"))
        .select(StarSubscription::as_select())
        .load(conn)
        .await
}

/// A renewal was charged: paid up to `until` (never back), and renewing.
pub async fn renewed(
    conn: &mut AsyncPgConnection,
    id: i64,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<StarSubscription> {
    let current: DateTime<Utc> =
        star_subscriptions::table.find(id).select(star_subscriptions::paid_until).first(conn).await?;
    prepared(
        diesel::update(star_subscriptions::table.find(id))
            .set((
                star_subscriptions::paid_until.eq(current.max(until)),
                star_subscriptions::renewals.eq(star_subscriptions::renewals + 1),
                star_subscriptions::updated_at.eq(now),
            ))
            .returning(StarSubscription::as_returning()),
    )
    .get_result(conn)
    .await
}

/// Moves the subscription to `state`, recording the change for the owner's statistics;
/// `None` when it was in that state already (a repeated update changes nothing).
pub async fn change_state(
    conn: &mut AsyncPgConnection,
    id: i64,
    state: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<StarSubscription>> {
    let changed = prepared(
        diesel::update(
            star_subscriptions::table.filter(star_subscriptions::id.eq(id)).filter(star_subscriptions::state.ne(state)),
        )
        .set((star_subscriptions::state.eq(state), star_subscriptions::updated_at.eq(now)))
        .returning(StarSubscription::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()?;
    if let Some(sub) = &changed {
        diesel::insert_into(star_subscription_events::table)
            .values((
                star_subscription_events::star_subscription_id.eq(sub.id),
                star_subscription_events::user_bot_id.eq(sub.user_bot_id),
                star_subscription_events::state.eq(state),
                star_subscription_events::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
    }
    Ok(changed)
}

/// The customer's newest Stars subscription to a chat, if any.
pub async fn of_customer(
    conn: &mut AsyncPgConnection,
    end_user_id: i64,
    channel_id: i64,
) -> diesel::QueryResult<Option<StarSubscription>> {
    star_subscriptions::table
        .filter(star_subscriptions::end_user_id.eq(end_user_id))
        .filter(star_subscriptions::channel_id.eq(channel_id))
        .order(star_subscriptions::id.desc())
        .select(StarSubscription::as_select())
        .first(conn)
        .await
        .optional()
}

/// How many times a bot's subscriptions changed to each state since `since` (cancelled,
/// re-enabled, failed), for the owner's statistics.
pub async fn changes_since(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    since: DateTime<Utc>,
) -> diesel::QueryResult<Vec<(String, i64)>> {
    star_subscription_events::table
        .filter(star_subscription_events::user_bot_id.eq(user_bot_id))
        .filter(star_subscription_events::created_at.ge(since))
        .group_by(star_subscription_events::state)
        .select((star_subscription_events::state, diesel::dsl::count_star()))
        .load(conn)
        .await
}
