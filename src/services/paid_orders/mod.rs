//! Orders paid through a provider (Payme, Click, Uzum): what is payable, the grant a payment
//! gives (a customer's access, or an owner's plan paid to the platform) and the refund that
//! withdraws it (`refunds`). Each step runs inside the caller's database
//! transaction, next to the provider's own transaction row, and is guarded by the database:
//! an order leaves `open` once, and a payment names its order under a unique key, so one
//! order gives one payment and one extension whoever races for it.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::{
    channels, end_users,
    orders::{self, Goods, Order},
    payment_accounts::Merchant,
    payments::Payment,
    provider_transactions::{self as ptx, ProviderTransaction},
    schema::payments,
    subscriptions as subs,
};

mod refunds;

pub use refunds::{refund, refund_payment, refunded_by, withdrawn_days, withdrawn_end, Refund};

use super::{
    plans::{self, PlanDecision, PlanRefund},
    purchases::Approval,
};

/// What a paid order gave.
#[derive(Debug, Clone)]
pub enum Grant {
    /// A customer's access, started or extended.
    Access(Box<Approval>),
    /// An owner's plan, started or extended.
    Plan(Box<PlanDecision>),
}

impl Grant {
    /// The customer payment it made (a plan payment is not one: `None`).
    pub fn payment_id(&self) -> Option<i64> {
        match self {
            Grant::Access(approval) => Some(approval.payment.id),
            Grant::Plan(_) => None,
        }
    }
}

/// What a refund withdrew.
#[derive(Debug, Clone)]
pub enum Withdrawal {
    /// A customer's access, shortened or ended.
    Access(Refund),
    /// An owner's plan, shortened or ended.
    Plan(PlanRefund),
}

/// Why an order cannot be paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unpayable {
    /// No such order at this account.
    #[error("order not found")]
    Unknown,
    /// Paid, cancelled or refunded already.
    #[error("order is closed")]
    Closed,
    /// The customer is banned by the owner, or the chat is no longer sold.
    #[error("order can no longer be served")]
    NotServed,
    /// The amount is not the order's.
    #[error("wrong amount")]
    WrongAmount,
}

/// A storage failure or an unpayable order.
#[derive(Debug, thiserror::Error)]
pub enum PayError {
    /// The order cannot be paid.
    #[error(transparent)]
    Unpayable(#[from] Unpayable),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] diesel::result::Error),
}

/// The merchant's open order `order_id`, locked, if `amount_tiyin` pays it (any amount when
/// `None`: a provider asking about the order before naming one) and it can still be served
/// (a customer not banned and a chat still sold; an owner not banned and a plan still sold).
pub async fn payable(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    order_id: i64,
    amount_tiyin: impl Into<Option<i64>>,
) -> Result<Order, PayError> {
    let order = orders::lock_of(conn, merchant, order_id).await?;
    servable(conn, order, amount_tiyin.into()).await
}

/// [`payable`] as it reads now, without locking the order: for a provider's question that
/// writes nothing (Payme's CheckPerformTransaction, Uzum's check). A row lock would make the
/// read a write, and its commit wait for the disk like a payment's.
pub async fn payable_now(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    order_id: i64,
    amount_tiyin: impl Into<Option<i64>>,
) -> Result<Order, PayError> {
    let order = orders::of_merchant(conn, merchant, order_id).await?;
    servable(conn, order, amount_tiyin.into()).await
}

async fn servable(
    conn: &mut AsyncPgConnection,
    order: Option<Order>,
    amount_tiyin: Option<i64>,
) -> Result<Order, PayError> {
    let order = order.ok_or(Unpayable::Unknown)?;
    if amount_tiyin.is_some_and(|amount| amount != order.amount_tiyin) {
        return Err(Unpayable::WrongAmount.into());
    }
    if order.status != "open" {
        return Err(Unpayable::Closed.into());
    }
    let served = match &order.goods {
        Goods::Access { end_user_id, channel_id, .. } => {
            // Both reads in one round trip.
            let (user, chat) =
                futures_util::try_join!(end_users::find(&*conn, *end_user_id), channels::find(&*conn, *channel_id))?;
            let banned = user.is_none_or(|u| u.banned);
            let sold = chat.is_some_and(|c| c.link_status == "linked");
            !banned && sold
        }
        Goods::Plan { owner_id, code } => plans::servable(conn, *owner_id, code).await?,
    };
    if !served {
        return Err(Unpayable::NotServed.into());
    }
    Ok(order)
}

/// so'm from tiyin.
pub fn soum(tiyin: i64) -> BigDecimal {
    BigDecimal::new(tiyin.into(), 2)
}

/// Pays an open order: closes it as paid and grants what it buys. A customer's order stores
/// an approved payment of `provider` naming the order and the provider's transaction, and
/// starts or extends the subscription, exactly as an approved card payment does; an owner's
/// plan order does the same with a plan payment and the plan. Call inside the transaction
/// that records the provider's transaction as performed. `Closed` when the order was paid
/// (or closed) meanwhile.
pub async fn pay(
    conn: &mut AsyncPgConnection,
    order: &Order,
    charge: (&str, &str),
    now: DateTime<Utc>,
) -> Result<Grant, PayError> {
    pay_until(conn, order, charge, None, now).await
}

/// Like [`pay`]; with `until` (an end and its period in days), access runs up to that end
/// instead of for the order's months (a Stars subscription, paid up to Telegram's date).
pub async fn pay_until(
    conn: &mut AsyncPgConnection,
    order: &Order,
    (provider, transaction): (&str, &str),
    until: Option<(DateTime<Utc>, i32)>,
    now: DateTime<Utc>,
) -> Result<Grant, PayError> {
    if !orders::close(conn, order.id, "open", "paid", now).await? {
        return Err(Unpayable::Closed.into());
    }
    let (user_bot_id, end_user_id, channel_id) = match &order.goods {
        Goods::Access { user_bot_id, end_user_id, channel_id } => (*user_bot_id, *end_user_id, *channel_id),
        Goods::Plan { owner_id, code } => {
            let amount = soum(order.amount_tiyin);
            let paid = (order.id, *owner_id, code.as_str(), &amount);
            return Ok(Grant::Plan(Box::new(plans::pay_order(conn, paid, (provider, transaction), now).await?)));
        }
    };
    let paid = AccessPayment {
        goods: (user_bot_id, end_user_id, channel_id),
        amount: amount_of(order),
        currency: &order.currency,
        months: order.duration_months,
        charge: (provider, transaction),
        order_id: Some(order.id),
        until,
    };
    Ok(Grant::Access(Box::new(grant_access(conn, &paid, now).await?)))
}

/// An order's amount as money: so'm from tiyin, or whole Stars.
pub fn amount_of(order: &Order) -> BigDecimal {
    match order.currency.as_str() {
        "XTR" => BigDecimal::from(order.amount_tiyin),
        _ => soum(order.amount_tiyin),
    }
}

/// An approved payment for a customer's access, about to be recorded.
#[derive(Debug, Clone)]
pub struct AccessPayment<'a> {
    /// The seller bot, the customer and the chat (`user_bots.id`, `end_users.id`, `channels.id`).
    pub goods: (i64, i64, i64),
    /// The amount.
    pub amount: BigDecimal,
    /// Its currency.
    pub currency: &'a str,
    /// Months bought (0 = lifetime), when `until` is not set.
    pub months: i32,
    /// The method and the provider's transaction.
    pub charge: (&'a str, &'a str),
    /// The order it pays (a Stars renewal pays none: its subscription's order was paid once).
    pub order_id: Option<i64>,
    /// Access up to this end, a period of these days (a Stars subscription).
    pub until: Option<(DateTime<Utc>, i32)>,
}

/// Records an approved payment and starts or extends the customer's subscription with it.
pub async fn grant_access(
    conn: &mut AsyncPgConnection,
    paid: &AccessPayment<'_>,
    now: DateTime<Utc>,
) -> Result<Approval, PayError> {
    let (user_bot_id, end_user_id, channel_id) = paid.goods;
    // The two reads and the insert go out in one round trip. The insert cannot outlive a
    // missing customer or chat: its foreign keys fail it, and with it the transaction.
    let mut shared = &*conn;
    let insert = diesel::insert_into(payments::table)
        .values((
            payments::end_user_id.eq(end_user_id),
            payments::user_bot_id.eq(user_bot_id),
            payments::channel_id.eq(channel_id),
            payments::amount.eq(&paid.amount),
            payments::currency.eq(paid.currency),
            payments::duration_months.eq(paid.months),
            payments::payment_method.eq(paid.charge.0),
            payments::status.eq("approved"),
            payments::approved_at.eq(now),
            payments::reviewed_at.eq(now),
            payments::created_at.eq(now),
            payments::order_id.eq(paid.order_id),
            payments::provider_transaction.eq(paid.charge.1),
            payments::period_days.eq(paid.until.map(|(_, days)| days)),
        ))
        .returning(Payment::as_returning())
        .get_result::<Payment>(&mut shared);
    let (end_user, channel, payment) =
        futures_util::try_join!(end_users::find(&*conn, end_user_id), channels::find(&*conn, channel_id), insert)?;
    let (end_user, channel) = (end_user.ok_or(Unpayable::Unknown)?, channel.ok_or(Unpayable::Unknown)?);
    let period = match paid.until {
        Some((end, _)) => subs::Period::Until(end),
        None => subs::Period::Months(paid.months),
    };
    let (subscription, extended) = subs::grant(conn, (end_user_id, channel_id), payment.id, period, now).await?;
    Ok(Approval { payment, subscription, extended, end_user, channel })
}

/// The transaction `external_id` of `provider`, locked, when it pays an order of this
/// merchant (another account's transaction is not found).
pub async fn own_transaction(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    provider: &str,
    external_id: &str,
) -> diesel::QueryResult<Option<ProviderTransaction>> {
    Ok(own_transaction_and_order(conn, merchant, provider, external_id).await?.map(|(tx, _)| tx))
}

/// Like [`own_transaction`], with its order; both are locked, by one statement.
pub async fn own_transaction_and_order(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    provider: &str,
    external_id: &str,
) -> diesel::QueryResult<Option<(ProviderTransaction, Order)>> {
    let found = orders::lock_with_transaction(conn, provider, external_id).await?;
    Ok(found.filter(|(_, order)| order.merchant() == merchant))
}

/// Cancels a waiting transaction with `reason` and closes its order (a new try makes a new
/// order).
pub async fn cancel_waiting(
    conn: &mut AsyncPgConnection,
    tx: &ProviderTransaction,
    reason: i16,
    now: DateTime<Utc>,
) -> diesel::QueryResult<ProviderTransaction> {
    let cancelled = ptx::mark_cancelled(conn, tx.id, ptx::CREATED, reason, now).await?;
    orders::close(conn, tx.order_id, "open", "cancelled", now).await?;
    Ok(cancelled)
}

/// What a performed transaction's payment gave, as it reads now (to plan its notices again
/// on a repeat; they are keyed, so they go out once).
pub async fn granted_by(
    conn: &mut AsyncPgConnection,
    tx: &ProviderTransaction,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<Grant>> {
    if let Some(payment_id) = tx.payment_id {
        let Some(payment) = crate::db::payments::find(conn, payment_id).await? else { return Ok(None) };
        return Ok(super::purchases::approval_of(conn, &payment).await?.map(|a| Grant::Access(Box::new(a))));
    }
    Ok(plans::paid(conn, tx.order_id, now).await?.map(|d| Grant::Plan(Box::new(d))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiyin_become_soum_to_the_tiyin() {
        assert_eq!(soum(5_000_000).to_string(), "50000.00");
        assert_eq!(soum(1).to_string(), "0.01");
    }
}
