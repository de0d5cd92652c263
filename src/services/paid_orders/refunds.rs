//! Refunds of paid orders and payments: what a refund withdraws (the months or days a payment
//! gave, or the whole access when nothing is left), marked once by a guarded update.

use crate::db::prepared::prepared;
use chrono::{DateTime, Months, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{PayError, Unpayable, Withdrawal};
use crate::{
    db::{
        orders::{self, Goods},
        payments::Payment,
        provider_transactions::ProviderTransaction,
        schema::{payments, subscriptions},
        subscriptions::{self as subs, Subscription},
    },
    services::plans,
};

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
    let approved = payments::table.filter(payments::order_id.eq(order_id)).filter(payments::status.eq("approved"));
    let payment: Option<Payment> = prepared(
        diesel::update(approved)
            .set((payments::status.eq("refunded"), payments::reviewed_at.eq(now)))
            .returning(Payment::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()?;
    let Some(payment) = payment else { return Ok(None) };
    Ok(Some(Withdrawal::Access(withdraw(conn, payment, now).await?)))
}

/// Refunds one approved customer payment (a Stars charge, renewals included): it is marked
/// refunded, its order (if any) too, and what it gave is withdrawn. `None` when it was not
/// approved (refunded before).
pub async fn refund_payment(
    conn: &mut AsyncPgConnection,
    payment_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<Refund>> {
    let approved = payments::table.filter(payments::id.eq(payment_id)).filter(payments::status.eq("approved"));
    let payment: Option<Payment> = prepared(
        diesel::update(approved)
            .set((payments::status.eq("refunded"), payments::reviewed_at.eq(now)))
            .returning(Payment::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()?;
    match payment {
        Some(payment) => Ok(Some(withdraw(conn, payment, now).await?)),
        None => Ok(None),
    }
}

/// Withdraws what a payment just marked refunded gave: its order is closed as refunded, and
/// the customer's subscription is shortened by its period (or ends now).
async fn withdraw(conn: &mut AsyncPgConnection, payment: Payment, now: DateTime<Utc>) -> diesel::QueryResult<Refund> {
    if let Some(order_id) = payment.order_id {
        orders::close(conn, order_id, "paid", "refunded", now).await?;
    }
    let current = subs::live_for_update(conn, payment.end_user_id, payment.channel_id).await?;
    let Some(current) = current else { return Ok(Refund { payment, subscription: None, ended: false }) };
    let end = match payment.period_days {
        Some(days) => withdrawn_days(current.expires_at, days, now),
        None => withdrawn_end(current.expires_at, payment.duration_months, now),
    };
    let subscription = prepared(
        diesel::update(subscriptions::table.filter(subscriptions::id.eq(current.id)))
            .set(subscriptions::expires_at.eq(end))
            .returning(Subscription::as_returning()),
    )
    .get_result(conn)
    .await?;
    Ok(Refund { payment, subscription: Some(subscription), ended: end <= now })
}

/// Where access ends once a payment of a period of `days` is withdrawn (a Stars
/// subscription's charge): shortened back by those days, and now when nothing is left.
pub fn withdrawn_days(end: Option<DateTime<Utc>>, days: i32, now: DateTime<Utc>) -> DateTime<Utc> {
    let shortened = end.filter(|_| days > 0).map(|end| end - chrono::Duration::days(days.into()));
    shortened.filter(|at| *at > now).unwrap_or(now)
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
    fn a_stars_refund_takes_back_its_days() {
        assert_eq!(withdrawn_days(Some(at(9, 10)), 30, at(7, 1)), at(8, 11));
        assert_eq!(withdrawn_days(Some(at(8, 10)), 30, at(7, 20)), at(7, 20), "nothing left: ends now");
        assert_eq!(withdrawn_days(None, 30, at(7, 20)), at(7, 20), "a lifetime is withdrawn whole");
    }
}
