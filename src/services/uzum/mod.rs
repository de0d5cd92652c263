//! Uzum Bank's Merchant API rules: check, create, confirm, reverse and status on an owner's
//! account, over orders and provider transactions. Repeats answer Uzum's dedicated codes
//! (10010, 10016, 10018), as its specification says. A created transaction not confirmed
//! within 30 minutes is failed. Confirm grants access exactly as Payme's perform does;
//! reverse after confirm is a refund and withdraws it. Each call is one database transaction.

mod errors;

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

pub use errors::UzumError;

use super::paid_orders::{self, Grant, PayError, Unpayable, Withdrawal};
use crate::db::{
    orders::{self, Order},
    payment_accounts::Merchant,
    provider_transactions::{self as ptx, NewTransaction, ProviderTransaction, CREATED, PERFORMED},
};

/// The provider's name on transactions and payments.
pub const PROVIDER: &str = "uzum";
/// How long a created transaction waits for confirm: 30 minutes, in ms.
pub const CONFIRM_WITHIN_MS: i64 = 30 * 60 * 1000;
/// The smallest amount accepted, in tiyin (1 000 so'm).
pub const MIN_TIYIN: i64 = 100_000;
/// The largest amount accepted, in tiyin (100 000 000 so'm).
pub const MAX_TIYIN: i64 = 10_000_000_000;
/// Reason stored on a transaction failed for want of a confirm (Payme's "timeout").
pub const REASON_EXPIRED: i16 = 4;
/// Reason stored on a reversed transaction.
const REASON_REVERSED: i16 = 5;

pub type Refusable<T> = Result<Result<T, UzumError>, diesel::result::Error>;

/// Whether a transaction created at `created` may no longer be confirmed at `now`.
pub fn expired(created: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now.timestamp_millis() - created.timestamp_millis() > CONFIRM_WITHIN_MS
}

/// An amount Uzum may carry (10012 below, 10013 above the limits).
pub fn within_limits(amount: i64) -> Result<(), UzumError> {
    if amount < MIN_TIYIN {
        return Err(UzumError::BelowMinimum);
    }
    if amount > MAX_TIYIN {
        return Err(UzumError::AboveMaximum);
    }
    Ok(())
}

/// check: whether the order can be paid (its amount comes back with the answer).
pub async fn check(conn: &mut AsyncPgConnection, merchant: Merchant, order_id: i64) -> Result<Order, UzumError> {
    // Only reads, and locks nothing: no transaction, and no commit waiting for the disk.
    match paid_orders::payable_now(conn, merchant, order_id, None).await {
        Ok(order) => Ok(order),
        Err(e) => Err(refusal(conn, e, order_id).await?),
    }
}

/// create: a new transaction for a payable order; a known `trans_id` is 10010.
pub async fn create(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    (trans_id, order_id, amount): (&str, i64, i64),
    now: DateTime<Utc>,
) -> Result<ProviderTransaction, UzumError> {
    within_limits(amount)?;
    let outcome: Refusable<ProviderTransaction> = conn
        .transaction(async |conn| {
            if ptx::lock(conn, PROVIDER, trans_id).await?.is_some() {
                return Ok(Err(UzumError::AlreadyCreated));
            }
            let order = match paid_orders::payable(conn, merchant, order_id, amount).await {
                Ok(order) => order,
                Err(e) => return Ok(Err(refusal(conn, e, order_id).await?)),
            };
            if ptx::lock(conn, PROVIDER, trans_id).await?.is_some() {
                return Ok(Err(UzumError::AlreadyCreated));
            }
            if let Some(waiting) = ptx::waiting_for(conn, order.id, PROVIDER).await? {
                ptx::mark_cancelled(conn, waiting.id, CREATED, REASON_REVERSED, now).await?;
            }
            let new = NewTransaction {
                provider: PROVIDER,
                external_id: trans_id,
                order_id: order.id,
                amount_tiyin: amount,
                provider_time: now.timestamp_millis(),
            };
            Ok(Ok(ptx::insert(conn, &new, now).await?))
        })
        .await;
    outcome?
}

/// A confirmed transaction and its grant (also on a repeat, answered 10016, so its notices
/// can be planned again; they go out once).
#[derive(Debug, Clone)]
pub struct Confirmed {
    /// The transaction, performed.
    pub transaction: ProviderTransaction,
    /// What the payment gave.
    pub granted: Option<Grant>,
    /// Whether this call confirmed it.
    pub first: bool,
}

/// confirm: Uzum has taken the money; the order is paid and access granted. Call it inside a
/// transaction (the caller's, which also queues the notices); `Ok(Err(_))` is a refusal whose
/// writes must commit. Past 30 minutes the transaction is failed instead (10015).
pub async fn confirm(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    trans_id: &str,
    now: DateTime<Utc>,
) -> Refusable<Confirmed> {
    let Some((tx, order)) = paid_orders::own_transaction_and_order(conn, merchant, PROVIDER, trans_id).await? else {
        return Ok(Err(UzumError::TransactionNotFound));
    };
    match tx.state {
        PERFORMED => {
            let granted = paid_orders::granted_by(conn, &tx, now).await?;
            return Ok(Ok(Confirmed { transaction: tx, granted, first: false }));
        }
        CREATED => {}
        _ => return Ok(Err(UzumError::TransactionCancelled)),
    }
    if expired(tx.created_at, now) {
        ptx::mark_cancelled(conn, tx.id, CREATED, REASON_EXPIRED, now).await?;
        orders::close(conn, tx.order_id, "open", "cancelled", now).await?;
        return Ok(Err(UzumError::TransactionCancelled));
    }
    let approval = match paid_orders::pay(conn, &order, (PROVIDER, trans_id), now).await {
        Ok(approval) => approval,
        Err(PayError::Storage(e)) => return Err(e),
        Err(PayError::Unpayable(_)) => {
            ptx::mark_cancelled(conn, tx.id, CREATED, REASON_REVERSED, now).await?;
            return Ok(Err(UzumError::AlreadyPaid));
        }
    };
    let transaction = ptx::mark_performed(conn, tx.id, approval.payment_id(), now).await?;
    Ok(Ok(Confirmed { transaction, granted: Some(approval), first: true }))
}

/// reverse: a created transaction is cancelled, a confirmed one refunded (what it gave is
/// withdrawn); a repeat is 10018.
pub async fn reverse(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    trans_id: &str,
    now: DateTime<Utc>,
) -> Result<(ProviderTransaction, Option<Withdrawal>), UzumError> {
    let outcome: Refusable<(ProviderTransaction, Option<Withdrawal>)> = conn
        .transaction(async |conn| {
            let Some(tx) = paid_orders::own_transaction(conn, merchant, PROVIDER, trans_id).await? else {
                return Ok(Err(UzumError::TransactionNotFound));
            };
            match tx.state {
                CREATED => {
                    let cancelled = ptx::mark_cancelled(conn, tx.id, CREATED, REASON_REVERSED, now).await?;
                    orders::close(conn, tx.order_id, "open", "cancelled", now).await?;
                    Ok(Ok((cancelled, None)))
                }
                PERFORMED => {
                    let refund = match paid_orders::refund(conn, tx.order_id, now).await {
                        Ok(refund) => refund,
                        Err(PayError::Storage(e)) => return Err(e),
                        Err(PayError::Unpayable(_)) => None,
                    };
                    let reversed = ptx::mark_cancelled(conn, tx.id, PERFORMED, REASON_REVERSED, now).await?;
                    Ok(Ok((reversed, refund)))
                }
                _ => Ok(Err(UzumError::AlreadyReversed)),
            }
        })
        .await;
    outcome?
}

/// What a reversed transaction withdrew, as it reads now. A repeated reverse is refused
/// (10018), and its refund's notices are planned again: they are keyed, so they go out once,
/// even when the first call's were lost to a crash.
pub async fn reversed(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    trans_id: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<Withdrawal>> {
    let tx = paid_orders::own_transaction(conn, merchant, PROVIDER, trans_id).await?;
    match tx.filter(|t| t.state == ptx::REFUNDED) {
        Some(tx) => paid_orders::refunded_by(conn, &tx, now).await,
        None => Ok(None),
    }
}

/// status: the transaction as it stands.
pub async fn status(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    trans_id: &str,
) -> Result<ProviderTransaction, UzumError> {
    paid_orders::own_transaction(conn, merchant, PROVIDER, trans_id).await?.ok_or(UzumError::TransactionNotFound)
}

/// Uzum's name of a transaction's state: a transaction failed for want of a confirm is
/// `FAILED`, any other cancelled one `REVERSED`.
pub fn status_name(tx: &ProviderTransaction) -> &'static str {
    match tx.state {
        CREATED => "CREATED",
        PERFORMED => "CONFIRMED",
        _ if tx.reason == Some(REASON_EXPIRED) => "FAILED",
        _ => "REVERSED",
    }
}

async fn refusal(conn: &mut AsyncPgConnection, e: PayError, order_id: i64) -> diesel::QueryResult<UzumError> {
    Ok(match e {
        PayError::Storage(e) => return Err(e),
        PayError::Unpayable(Unpayable::WrongAmount) => UzumError::InvalidAmount,
        PayError::Unpayable(Unpayable::Unknown | Unpayable::NotServed) => UzumError::OrderNotFound,
        PayError::Unpayable(Unpayable::Closed) => match orders::find(conn, order_id).await? {
            Some(order) if order.status == "paid" => UzumError::AlreadyPaid,
            _ => UzumError::PaymentCancelled,
        },
    })
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    #[test]
    fn a_transaction_fails_thirty_minutes_after_creation() {
        let created = Utc.timestamp_millis_opt(1_700_000_000_000).single().unwrap_or_default();
        assert!(!expired(created, created + Duration::minutes(30)));
        assert!(expired(created, created + Duration::minutes(30) + Duration::milliseconds(1)));
    }

    #[test]
    fn amounts_outside_the_limits_have_their_own_codes() {
        assert_eq!(within_limits(MIN_TIYIN - 1), Err(UzumError::BelowMinimum));
        assert_eq!(within_limits(MAX_TIYIN + 1), Err(UzumError::AboveMaximum));
        assert_eq!(within_limits(5_000_000), Ok(()));
        assert_eq!(UzumError::AlreadyConfirmed.code(), "10016");
    }
}
