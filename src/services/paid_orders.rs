//! Orders paid through a provider (Payme, Click, Uzum): what is payable, the grant a payment
//! gives (a customer's access, or an owner's plan paid to the platform) and the refund that
//! withdraws it. Each step runs inside the caller's database
//! transaction, next to the provider's own transaction row, and is guarded by the database:
//! an order leaves `open` once, and a payment names its order under a unique key, so one
//! order gives one payment and one extension whoever races for it.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Months, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::{
    channels, end_users,
    orders::{self, Goods, Order},
    payment_accounts::Merchant,
    payments::Payment,
    provider_transactions::{self as ptx, ProviderTransaction},
    schema::{payments, subscriptions},
    subscriptions::{self as subs, Subscription},
};

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
    let order = orders::lock_of(conn, merchant, order_id).await?.ok_or(Unpayable::Unknown)?;
    if amount_tiyin.into().is_some_and(|amount| amount != order.amount_tiyin) {
        return Err(Unpayable::WrongAmount.into());
    }
    if order.status != "open" {
        return Err(Unpayable::Closed.into());
    }
    let served = match &order.goods {
        Goods::Access { end_user_id, channel_id, .. } => {
            let banned = end_users::find(conn, *end_user_id).await?.is_none_or(|u| u.banned);
            let sold = channels::find(conn, *channel_id).await?.is_some_and(|c| c.link_status == "linked");
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
    (provider, transaction): (&str, &str),
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
    let end_user = end_users::find(conn, end_user_id).await?.ok_or(Unpayable::Unknown)?;
    let channel = channels::find(conn, channel_id).await?.ok_or(Unpayable::Unknown)?;
    let payment: Payment = diesel::insert_into(payments::table)
        .values((
            payments::end_user_id.eq(end_user_id),
            payments::user_bot_id.eq(user_bot_id),
            payments::channel_id.eq(channel_id),
            payments::amount.eq(soum(order.amount_tiyin)),
            payments::currency.eq("UZS"),
            payments::duration_months.eq(order.duration_months),
            payments::payment_method.eq(provider),
            payments::status.eq("approved"),
            payments::approved_at.eq(now),
            payments::reviewed_at.eq(now),
            payments::created_at.eq(now),
            payments::order_id.eq(order.id),
            payments::provider_transaction.eq(transaction),
        ))
        .returning(Payment::as_returning())
        .get_result(conn)
        .await?;
    let (subscription, extended) =
        subs::grant_or_extend(conn, end_user_id, channel_id, payment.id, order.duration_months, now).await?;
    Ok(Grant::Access(Box::new(Approval { payment, subscription, extended, end_user, channel })))
}

/// The transaction `external_id` of `provider`, locked, when it pays an order of this
/// merchant (another account's transaction is not found).
pub async fn own_transaction(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    provider: &str,
    external_id: &str,
) -> diesel::QueryResult<Option<ProviderTransaction>> {
    let Some(tx) = ptx::lock(conn, provider, external_id).await? else { return Ok(None) };
    let order = orders::find(conn, tx.order_id).await?;
    Ok(order.filter(|o| o.merchant() == merchant).map(|_| tx))
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

/// What a refunded transaction withdrew, as it reads now (to plan its notices again when the
/// provider repeats its cancel; they are keyed, so they go out once).
pub async fn refunded_by(
    conn: &mut AsyncPgConnection,
    tx: &ProviderTransaction,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<Withdrawal>> {
    let Some(payment_id) = tx.payment_id else {
        return Ok(plans::refunded(conn, tx.order_id, now).await?.map(Withdrawal::Plan));
    };
    let Some(payment) = crate::db::payments::find(conn, payment_id).await? else { return Ok(None) };
    if payment.status != "refunded" {
        return Ok(None);
    }
    let subscription = subs::live_for_update(conn, payment.end_user_id, payment.channel_id).await?;
    let ended = subscription.as_ref().is_none_or(|s| s.expires_at.is_some_and(|end| end <= now));
    Ok(Some(Withdrawal::Access(Refund { payment, subscription, ended })))
}

/// What a refund withdrew.
#[derive(Debug, Clone)]
pub struct Refund {
    /// The payment, now refunded.
    pub payment: Payment,
    /// The subscription as the refund left it: shortened, or ending now.
    pub subscription: Option<Subscription>,
    /// Whether the refund ended the access (the expiry job removes the customer).
    pub ended: bool,
}

/// Refunds what a paid order bought: the payment and the order are marked refunded, and
/// what the payment gave is withdrawn (see [`withdrawn_end`]); a plan likewise. `None` when
/// it was refunded before. Call inside the transaction that records the provider's cancel.
pub async fn refund(
    conn: &mut AsyncPgConnection,
    order_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Withdrawal>, PayError> {
    let order = orders::find(conn, order_id).await?.ok_or(Unpayable::Unknown)?;
    if let Goods::Plan { .. } = order.goods {
        let refund = plans::refund_order(conn, order_id, now).await?;
        if refund.is_some() {
            orders::close(conn, order_id, "paid", "refunded", now).await?;
        }
        return Ok(refund.map(Withdrawal::Plan));
    }
    let payment: Option<Payment> =
        diesel::update(payments::table.filter(payments::order_id.eq(order_id)).filter(payments::status.eq("approved")))
            .set((payments::status.eq("refunded"), payments::reviewed_at.eq(now)))
            .returning(Payment::as_returning())
            .get_result(conn)
            .await
            .optional()?;
    let Some(payment) = payment else { return Ok(None) };
    orders::close(conn, order_id, "paid", "refunded", now).await?;
    let current = subs::live_for_update(conn, payment.end_user_id, payment.channel_id).await?;
    let Some(current) = current else {
        return Ok(Some(Withdrawal::Access(Refund { payment, subscription: None, ended: false })));
    };
    let end = withdrawn_end(current.expires_at, payment.duration_months, now);
    let subscription = diesel::update(subscriptions::table.filter(subscriptions::id.eq(current.id)))
        .set(subscriptions::expires_at.eq(end))
        .returning(Subscription::as_returning())
        .get_result(conn)
        .await?;
    Ok(Some(Withdrawal::Access(Refund { payment, subscription: Some(subscription), ended: end <= now })))
}

/// Where access ends once a payment of `months` is withdrawn from a subscription ending at
/// `end` (`None`: lifetime): the period is shortened back by the months it gave, and ends now
/// when nothing is left (a lifetime bought is withdrawn whole).
pub fn withdrawn_end(end: Option<DateTime<Utc>>, months: i32, now: DateTime<Utc>) -> DateTime<Utc> {
    let shortened = match (end, u32::try_from(months)) {
        (Some(end), Ok(months)) if months > 0 => end.checked_sub_months(Months::new(months)),
        _ => None,
    };
    shortened.filter(|at| *at > now).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(month: u32, day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, month, day, 12, 0, 0).single().unwrap_or_default()
    }

    #[test]
    fn a_refund_takes_back_the_months_it_gave() {
        assert_eq!(withdrawn_end(Some(at(9, 10)), 1, at(7, 1)), at(8, 10), "a renewal is shortened back");
    }

    #[test]
    fn a_refund_that_leaves_nothing_ends_access_now() {
        assert_eq!(withdrawn_end(Some(at(8, 10)), 1, at(7, 20)), at(7, 20));
        assert_eq!(withdrawn_end(None, 0, at(7, 20)), at(7, 20), "a lifetime is withdrawn whole");
        assert_eq!(withdrawn_end(Some(at(8, 10)), 0, at(7, 20)), at(7, 20));
    }

    #[test]
    fn tiyin_become_soum_to_the_tiyin() {
        assert_eq!(soum(5_000_000).to_string(), "50000.00");
        assert_eq!(soum(1).to_string(), "0.01");
    }
}
