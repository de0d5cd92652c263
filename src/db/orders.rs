//! `orders`: what is about to be paid through a provider: a customer's access to a chat (paid
//! into the seller's account) or an owner's plan (paid into the platform's). The amount is
//! fixed when the order is made. There is at most one open order per customer and chat, and
//! per owner for plans (unique indexes), and an order leaves `open` once, by a guarded update:
//! paid, cancelled, and a paid one refunded.

use super::prepared::prepared;
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{payment_accounts::Merchant, schema::orders};

/// What an order buys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goods {
    /// A customer's access to a chat, sold by a seller bot.
    Access {
        /// The seller bot.
        user_bot_id: i64,
        /// The payer.
        end_user_id: i64,
        /// The chat.
        channel_id: i64,
    },
    /// An owner's platform plan.
    Plan {
        /// The paying owner (`user_admins.id`).
        owner_id: i64,
        /// `1month`, `6month` or `12month`.
        code: String,
    },
}

/// One order.
#[derive(Debug, Clone)]
pub struct Order {
    /// The order id (the providers' `order_id`, `merchant_trans_id`).
    pub id: i64,
    /// What it buys.
    pub goods: Goods,
    /// The amount: in tiyin for a UZS order, in whole Stars for an XTR one.
    pub amount_tiyin: i64,
    /// `UZS` or `XTR` (Telegram Stars).
    pub currency: String,
    /// A Stars order for one month, sold as a Telegram subscription that renews.
    pub renews: bool,
    /// Months bought (0 = lifetime).
    pub duration_months: i32,
    /// open / paid / cancelled / refunded.
    pub status: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

impl Order {
    /// Whose account it is paid into.
    pub fn merchant(&self) -> Merchant {
        match self.goods {
            Goods::Access { user_bot_id, .. } => Merchant::Seller(user_bot_id),
            Goods::Plan { .. } => Merchant::Platform,
        }
    }
}

/// An order as stored: either the access columns or the plan columns are set (a check
/// constraint keeps them apart).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = orders)]
struct Row {
    id: i64,
    end_user_id: Option<i64>,
    user_bot_id: Option<i64>,
    channel_id: Option<i64>,
    user_admin_id: Option<i64>,
    plan: Option<String>,
    amount_tiyin: i64,
    duration_months: i32,
    status: String,
    created_at: DateTime<Utc>,
    currency: String,
    renews: bool,
}

impl TryFrom<Row> for Order {
    type Error = diesel::result::Error;

    fn try_from(row: Row) -> Result<Self, Self::Error> {
        let goods = match (row.user_bot_id, row.end_user_id, row.channel_id, row.user_admin_id, row.plan) {
            (Some(user_bot_id), Some(end_user_id), Some(channel_id), None, None) => {
                Goods::Access { user_bot_id, end_user_id, channel_id }
            }
            (None, None, None, Some(owner_id), Some(code)) => Goods::Plan { owner_id, code },
            _ => {
                return Err(diesel::result::Error::DeserializationError(
                    "an order buys neither access nor a plan".into(),
                ))
            }
        };
        Ok(Order {
            id: row.id,
            goods,
            amount_tiyin: row.amount_tiyin,
            duration_months: row.duration_months,
            status: row.status,
            created_at: row.created_at,
            currency: row.currency,
            renews: row.renews,
        })
    }
}

fn order(row: Option<Row>) -> diesel::QueryResult<Option<Order>> {
    row.map(Order::try_from).transpose()
}

/// What a customer's order asks: the amount (tiyin, or whole Stars), its currency, the months
/// bought, and whether it renews (a Stars subscription).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terms<'a> {
    /// The amount in the currency's smallest unit.
    pub amount: i64,
    /// `UZS` or `XTR`.
    pub currency: &'a str,
    /// Months bought (0 = lifetime).
    pub months: i32,
    /// A Stars subscription that Telegram renews.
    pub renews: bool,
}

impl Order {
    /// Whether the order asks exactly `terms`.
    pub fn has_terms(&self, terms: &Terms<'_>) -> bool {
        self.amount_tiyin == terms.amount
            && self.currency == terms.currency
            && self.duration_months == terms.months
            && self.renews == terms.renews
    }
}

/// The customer's open order for a chat at these terms, reused, or a new one (an open order
/// at other terms is cancelled first: its price or its currency changed).
pub async fn open_for(
    conn: &mut AsyncPgConnection,
    (end_user_id, user_bot_id, channel_id): (i64, i64, i64),
    terms: Terms<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Order> {
    let open = orders::table
        .filter(orders::end_user_id.eq(end_user_id))
        .filter(orders::channel_id.eq(channel_id))
        .filter(orders::status.eq("open"));
    let current = order(open.select(Row::as_select()).for_update().first(conn).await.optional()?)?;
    if let Some(found) = current {
        if found.has_terms(&terms) {
            return Ok(found);
        }
        close(conn, found.id, "open", "cancelled", now).await?;
    }
    diesel::insert_into(orders::table)
        .values((
            orders::end_user_id.eq(end_user_id),
            orders::user_bot_id.eq(user_bot_id),
            orders::channel_id.eq(channel_id),
            orders::amount_tiyin.eq(terms.amount),
            orders::currency.eq(terms.currency),
            orders::duration_months.eq(terms.months),
            orders::renews.eq(terms.renews),
            orders::created_at.eq(now),
        ))
        .returning(Row::as_returning())
        .get_result(conn)
        .await?
        .try_into()
}

/// The owner's open plan order at these terms, reused, or a new one (an open plan order for
/// another plan or price is cancelled first).
pub async fn open_plan_for(
    conn: &mut AsyncPgConnection,
    (owner_id, code): (i64, &str),
    (amount_tiyin, months): (i64, i32),
    now: DateTime<Utc>,
) -> diesel::QueryResult<Order> {
    let open = orders::table.filter(orders::user_admin_id.eq(owner_id)).filter(orders::status.eq("open"));
    let current = order(open.select(Row::as_select()).for_update().first(conn).await.optional()?)?;
    let current = current.filter(|o| matches!(&o.goods, Goods::Plan { code: c, .. } if c == code));
    if let Some(found) = reusable(conn, current, (amount_tiyin, months), now).await? {
        return Ok(found);
    }
    // A plan order for another plan is still open: it gives way to this one.
    prepared(diesel::update(open).set((orders::status.eq("cancelled"), orders::closed_at.eq(now))))
        .execute(conn)
        .await?;
    diesel::insert_into(orders::table)
        .values((
            orders::user_admin_id.eq(owner_id),
            orders::plan.eq(code),
            orders::amount_tiyin.eq(amount_tiyin),
            orders::duration_months.eq(months),
            orders::created_at.eq(now),
        ))
        .returning(Row::as_returning())
        .get_result(conn)
        .await?
        .try_into()
}

/// The open order found, if its terms still hold; otherwise it is cancelled.
async fn reusable(
    conn: &mut AsyncPgConnection,
    current: Option<Order>,
    (amount_tiyin, months): (i64, i32),
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<Order>> {
    let Some(found) = current else { return Ok(None) };
    if found.amount_tiyin == amount_tiyin && found.duration_months == months {
        return Ok(Some(found));
    }
    close(conn, found.id, "open", "cancelled", now).await?;
    Ok(None)
}

/// An order paid into the merchant's account, locked for the rest of the transaction.
pub async fn lock_of(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    order_id: i64,
) -> diesel::QueryResult<Option<Order>> {
    let query = orders::table.filter(orders::id.eq(order_id)).select(Row::as_select()).for_update();
    let row = match merchant {
        Merchant::Seller(bot) => query.filter(orders::user_bot_id.eq(bot)).first(conn).await.optional()?,
        Merchant::Platform => query.filter(orders::user_admin_id.is_not_null()).first(conn).await.optional()?,
    };
    order(row)
}

/// An order paid into the merchant's account, as it reads now (no lock).
pub async fn of_merchant(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    order_id: i64,
) -> diesel::QueryResult<Option<Order>> {
    let query = orders::table.filter(orders::id.eq(order_id)).select(Row::as_select());
    let row = match merchant {
        Merchant::Seller(bot) => query.filter(orders::user_bot_id.eq(bot)).first(conn).await.optional()?,
        Merchant::Platform => query.filter(orders::user_admin_id.is_not_null()).first(conn).await.optional()?,
    };
    order(row)
}

/// The transaction `external_id` of `provider` and its order, both locked for the rest of
/// the transaction, in one statement.
pub async fn lock_with_transaction(
    conn: &mut AsyncPgConnection,
    provider: &str,
    external_id: &str,
) -> diesel::QueryResult<Option<(super::provider_transactions::ProviderTransaction, Order)>> {
    use super::{provider_transactions::ProviderTransaction, schema::provider_transactions};
    let row: Option<(ProviderTransaction, Row)> = provider_transactions::table
        .inner_join(orders::table)
        .filter(provider_transactions::provider.eq(provider))
        .filter(provider_transactions::external_id.eq(external_id))
        .select((ProviderTransaction::as_select(), Row::as_select()))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    row.map(|(tx, row)| Ok((tx, Order::try_from(row)?))).transpose()
}

/// One order.
pub async fn find(conn: &mut AsyncPgConnection, order_id: i64) -> diesel::QueryResult<Option<Order>> {
    order(orders::table.find(order_id).select(Row::as_select()).first(conn).await.optional()?)
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
    let moved = prepared(
        diesel::update(orders::table.filter(orders::id.eq(order_id)).filter(orders::status.eq(from)))
            .set((orders::status.eq(to), orders::closed_at.eq(at))),
    )
    .execute(conn)
    .await?;
    Ok(moved == 1)
}
