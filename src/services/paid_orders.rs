//! Orders paid through a provider (Payme, Click, Uzum): what is payable, the grant a payment
//! gives and the refund that withdraws it. Each step runs inside the caller's database
//! transaction, next to the provider's own transaction row, and is guarded by the database:
//! an order leaves `open` once, and a payment names its order under a unique key, so one
//! order gives one payment and one extension whoever races for it.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Months, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::db::{
    channels, end_users,
    orders::{self, Order},
    payments::Payment,
    provider_transactions::{self as ptx, ProviderTransaction},
    schema::{payments, subscriptions},
    subscriptions::{self as subs, Subscription},
};

use super::purchases::Approval;

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

/// The bot's open order `order_id`, locked, if `amount_tiyin` pays it (any amount when
/// `None`: a provider asking about the order before naming one) and it can still be served
/// (the customer is not banned and the chat is still sold).
pub async fn payable(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    order_id: i64,
    amount_tiyin: impl Into<Option<i64>>,
) -> Result<Order, PayError> {
    let order = orders::lock_of_bot(conn, user_bot_id, order_id).await?.ok_or(Unpayable::Unknown)?;
    if amount_tiyin.into().is_some_and(|amount| amount != order.amount_tiyin) {
        return Err(Unpayable::WrongAmount.into());
    }
    if order.status != "open" {
        return Err(Unpayable::Closed.into());
    }
    let banned = end_users::find(conn, order.end_user_id).await?.is_none_or(|u| u.banned);
    let sold = channels::find(conn, order.channel_id).await?.is_some_and(|c| c.link_status == "linked");
    if banned || !sold {
        return Err(Unpayable::NotServed.into());
    }
    Ok(order)
}

/// so'm from tiyin.
pub fn soum(tiyin: i64) -> BigDecimal {
    BigDecimal::new(tiyin.into(), 2)
}

/// Pays an open order: closes it as paid, stores an approved payment of `provider` naming
/// the order and the provider's transaction, and starts or extends the subscription, exactly
/// as an approved card payment does. Call inside the transaction that records the provider's
/// transaction as performed. `Closed` when the order was paid (or closed) meanwhile.
pub async fn pay(
    conn: &mut AsyncPgConnection,
    order: &Order,
    (provider, transaction): (&str, &str),
    now: DateTime<Utc>,
) -> Result<Approval, PayError> {
    if !orders::close(conn, order.id, "open", "paid", now).await? {
        return Err(Unpayable::Closed.into());
    }
    let end_user = end_users::find(conn, order.end_user_id).await?.ok_or(Unpayable::Unknown)?;
    let channel = channels::find(conn, order.channel_id).await?.ok_or(Unpayable::Unknown)?;
    let payment: Payment = diesel::insert_into(payments::table)
        .values((
            payments::end_user_id.eq(order.end_user_id),
            payments::user_bot_id.eq(order.user_bot_id),
            payments::channel_id.eq(order.channel_id),
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
        subs::grant_or_extend(conn, order.end_user_id, order.channel_id, payment.id, order.duration_months, now)
            .await?;
    Ok(Approval { payment, subscription, extended, end_user, channel })
}

/// The transaction `external_id` of `provider`, locked, when it pays an order of this bot
/// (another account's transaction is not found).
pub async fn own_transaction(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    provider: &str,
    external_id: &str,
) -> diesel::QueryResult<Option<ProviderTransaction>> {
    let Some(tx) = ptx::lock(conn, provider, external_id).await? else { return Ok(None) };
    let order = orders::find(conn, tx.order_id).await?;
    Ok(order.filter(|o| o.user_bot_id == user_bot_id).map(|_| tx))
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
) -> diesel::QueryResult<Option<Approval>> {
    let Some(payment_id) = tx.payment_id else { return Ok(None) };
    match crate::db::payments::find(conn, payment_id).await? {
        Some(payment) => super::purchases::approval_of(conn, &payment).await,
        None => Ok(None),
    }
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

/// Refunds the approved payment of a paid order: the payment and the order are marked
/// refunded, and what the payment gave is withdrawn (see [`withdrawn_end`]). `None` when it
/// was refunded before. Call inside the transaction that records the provider's cancel.
pub async fn refund(
    conn: &mut AsyncPgConnection,
    order_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Refund>, PayError> {
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
    let Some(current) = current else { return Ok(Some(Refund { payment, subscription: None, ended: false })) };
    let end = withdrawn_end(current.expires_at, payment.duration_months, now);
    let subscription = diesel::update(subscriptions::table.filter(subscriptions::id.eq(current.id)))
        .set(subscriptions::expires_at.eq(end))
        .returning(Subscription::as_returning())
        .get_result(conn)
        .await?;
    Ok(Some(Refund { payment, subscription: Some(subscription), ended: end <= now }))
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
