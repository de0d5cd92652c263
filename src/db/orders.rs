//! `orders`: what a customer is about to pay through a provider. The amount is fixed when the
//! order is made. A customer has at most one open order per chat (a unique index), and an
//! order leaves `open` once, by a guarded update: paid, cancelled, and a paid one refunded.

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::orders;

/// One order.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders)]
pub struct Order {
    /// The order id (the providers' `order_id`, `merchant_trans_id`).
    pub id: i64,
    /// The payer.
    pub end_user_id: i64,
    /// The seller bot.
    pub user_bot_id: i64,
    /// What is bought.
    pub channel_id: i64,
    /// The amount, in tiyin.
    pub amount_tiyin: i64,
    /// Months bought (0 = lifetime).
    pub duration_months: i32,
    /// open / paid / cancelled / refunded.
    pub status: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// The customer's open order for a chat at these terms, reused, or a new one (an open order
/// at other terms is cancelled first: its price changed).
pub async fn open_for(
    conn: &mut AsyncPgConnection,
    (end_user_id, user_bot_id, channel_id): (i64, i64, i64),
    (amount_tiyin, duration_months): (i64, i32),
    now: DateTime<Utc>,
) -> diesel::QueryResult<Order> {
    let open = orders::table
        .filter(orders::end_user_id.eq(end_user_id))
        .filter(orders::channel_id.eq(channel_id))
        .filter(orders::status.eq("open"));
    let current = open.select(Order::as_select()).for_update().first(conn).await.optional()?;
    if let Some(order) = current {
        if order.amount_tiyin == amount_tiyin && order.duration_months == duration_months {
            return Ok(order);
        }
        close(conn, order.id, "open", "cancelled", now).await?;
    }
    diesel::insert_into(orders::table)
        .values((
            orders::end_user_id.eq(end_user_id),
            orders::user_bot_id.eq(user_bot_id),
            orders::channel_id.eq(channel_id),
            orders::amount_tiyin.eq(amount_tiyin),
            orders::duration_months.eq(duration_months),
            orders::created_at.eq(now),
        ))
        .returning(Order::as_returning())
        .get_result(conn)
        .await
}

/// An order of the bot, locked for the rest of the transaction.
pub async fn lock_of_bot(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    order_id: i64,
) -> diesel::QueryResult<Option<Order>> {
    orders::table
        .filter(orders::id.eq(order_id))
        .filter(orders::user_bot_id.eq(user_bot_id))
        .select(Order::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// One order.
pub async fn find(conn: &mut AsyncPgConnection, order_id: i64) -> diesel::QueryResult<Option<Order>> {
    orders::table.find(order_id).select(Order::as_select()).first(conn).await.optional()
}

/// Moves an order from `from` to `to`; `false` when it was not in `from` (the guard that
/// makes each step happen once).
pub async fn close(
    conn: &mut AsyncPgConnection,
    order_id: i64,
    from: &str,
    to: &str,
    at: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    let moved = diesel::update(orders::table.filter(orders::id.eq(order_id)).filter(orders::status.eq(from)))
        .set((orders::status.eq(to), orders::closed_at.eq(at)))
        .execute(conn)
        .await?;
    Ok(moved == 1)
}
