//! `provider_transactions`: a payment provider's transactions on orders, keyed by the
//! provider's own id (unique per provider), so a repeated call finds what the first one made.
//! States follow Payme's numbering for every provider: 1 created, 2 performed, -1 cancelled
//! before perform, -2 cancelled after perform (refunded). The database allows one waiting
//! transaction per order and provider, and one performed transaction per order.

use super::prepared::prepared;
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{
    payment_accounts::Merchant,
    schema::{orders, provider_transactions},
};

/// Created, waiting to be performed.
pub const CREATED: i16 = 1;
/// Performed: the money is taken and access granted.
pub const PERFORMED: i16 = 2;
/// Cancelled before it was performed.
pub const CANCELLED: i16 = -1;
/// Cancelled after it was performed: refunded.
pub const REFUNDED: i16 = -2;

/// One provider transaction.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = provider_transactions)]
pub struct ProviderTransaction {
    /// Our id (Payme's `transaction`).
    pub id: i64,
    /// payme / click / uzum.
    pub provider: String,
    /// The provider's id.
    pub external_id: String,
    /// The order paid.
    pub order_id: i64,
    /// The amount, in tiyin.
    pub amount_tiyin: i64,
    /// See the module's states.
    pub state: i16,
    /// The provider's own time of the transaction (Unix ms).
    pub provider_time: i64,
    /// When we created it.
    pub created_at: DateTime<Utc>,
    /// When it was performed.
    pub performed_at: Option<DateTime<Utc>>,
    /// When it was cancelled.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Why it was cancelled (Payme's reason codes).
    pub reason: Option<i16>,
    /// The payment it made, once performed.
    pub payment_id: Option<i64>,
}

/// A new transaction as the provider announced it.
#[derive(Debug, Clone)]
pub struct NewTransaction<'a> {
    /// payme / click / uzum.
    pub provider: &'a str,
    /// The provider's id.
    pub external_id: &'a str,
    /// The order.
    pub order_id: i64,
    /// The amount, in tiyin.
    pub amount_tiyin: i64,
    /// The provider's time (Unix ms).
    pub provider_time: i64,
}

/// The provider's transaction `external_id`, locked for the rest of the transaction.
pub async fn lock(
    conn: &mut AsyncPgConnection,
    provider: &str,
    external_id: &str,
) -> diesel::QueryResult<Option<ProviderTransaction>> {
    provider_transactions::table
        .filter(provider_transactions::provider.eq(provider))
        .filter(provider_transactions::external_id.eq(external_id))
        .select(ProviderTransaction::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Whether the order has a transaction of `provider` waiting to be performed, or performed
/// (by any provider).
pub async fn busy_order(conn: &mut AsyncPgConnection, order_id: i64, provider: &str) -> diesel::QueryResult<bool> {
    use diesel::BoolExpressionMethods;
    diesel::select(diesel::dsl::exists(
        provider_transactions::table.filter(provider_transactions::order_id.eq(order_id)).filter(
            provider_transactions::state
                .eq(CREATED)
                .and(provider_transactions::provider.eq(provider))
                .or(provider_transactions::state.eq_any([PERFORMED, REFUNDED])),
        ),
    ))
    .get_result(conn)
    .await
}

/// The order's transaction of `provider` waiting to be performed, locked.
pub async fn waiting_for(
    conn: &mut AsyncPgConnection,
    order_id: i64,
    provider: &str,
) -> diesel::QueryResult<Option<ProviderTransaction>> {
    provider_transactions::table
        .filter(provider_transactions::order_id.eq(order_id))
        .filter(provider_transactions::provider.eq(provider))
        .filter(provider_transactions::state.eq(CREATED))
        .select(ProviderTransaction::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Stores a new transaction in state 1.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    new: &NewTransaction<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<ProviderTransaction> {
    diesel::insert_into(provider_transactions::table)
        .values((
            provider_transactions::provider.eq(new.provider),
            provider_transactions::external_id.eq(new.external_id),
            provider_transactions::order_id.eq(new.order_id),
            provider_transactions::amount_tiyin.eq(new.amount_tiyin),
            provider_transactions::provider_time.eq(new.provider_time),
            provider_transactions::created_at.eq(now),
        ))
        .returning(ProviderTransaction::as_returning())
        .get_result(conn)
        .await
}

/// Marks a created transaction performed with the payment it made.
pub async fn mark_performed(
    conn: &mut AsyncPgConnection,
    id: i64,
    payment_id: Option<i64>,
    at: DateTime<Utc>,
) -> diesel::QueryResult<ProviderTransaction> {
    prepared(
        diesel::update(
            provider_transactions::table
                .filter(provider_transactions::id.eq(id))
                .filter(provider_transactions::state.eq(CREATED)),
        )
        .set((
            provider_transactions::state.eq(PERFORMED),
            provider_transactions::performed_at.eq(at),
            provider_transactions::payment_id.eq(payment_id),
        ))
        .returning(ProviderTransaction::as_returning()),
    )
    .get_result(conn)
    .await
}

/// Cancels a transaction in state `from` (created → -1, performed → -2) with `reason`.
pub async fn mark_cancelled(
    conn: &mut AsyncPgConnection,
    id: i64,
    from: i16,
    reason: i16,
    at: DateTime<Utc>,
) -> diesel::QueryResult<ProviderTransaction> {
    let to = if from == PERFORMED { REFUNDED } else { CANCELLED };
    prepared(
        diesel::update(
            provider_transactions::table
                .filter(provider_transactions::id.eq(id))
                .filter(provider_transactions::state.eq(from)),
        )
        .set((
            provider_transactions::state.eq(to),
            provider_transactions::cancelled_at.eq(at),
            provider_transactions::reason.eq(reason),
        ))
        .returning(ProviderTransaction::as_returning()),
    )
    .get_result(conn)
    .await
}

/// The merchant's transactions with `provider` whose provider time is within `[from, to]` (Unix
/// ms), oldest first.
pub async fn in_window(
    conn: &mut AsyncPgConnection,
    (provider, merchant): (&str, Merchant),
    (from, to): (i64, i64),
) -> diesel::QueryResult<Vec<ProviderTransaction>> {
    let query = provider_transactions::table
        .inner_join(orders::table)
        .filter(provider_transactions::provider.eq(provider))
        .filter(provider_transactions::provider_time.between(from, to))
        .order((provider_transactions::provider_time, provider_transactions::id))
        .select(ProviderTransaction::as_select());
    match merchant {
        Merchant::Seller(bot) => query.filter(orders::user_bot_id.eq(bot)).load(conn).await,
        Merchant::Platform => query.filter(orders::user_admin_id.is_not_null()).load(conn).await,
    }
}
