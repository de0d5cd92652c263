//! Payme's Merchant API rules: the methods Payme calls on an owner's account, over orders and
//! provider transactions. Every method runs in one database transaction, so an outage leaves
//! nothing half-written. Refusals that change state (a transaction found past its timeout is
//! cancelled with reason 4) are committed before the refusal is answered. The JSON-RPC
//! envelope and the authorization live in the HTTP front (`http::payme`).

mod errors;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

pub use errors::{OrderError, PaymeError};

use super::paid_orders::{self, Grant, PayError, Unpayable, Withdrawal};
use crate::db::{
    payment_accounts::Merchant,
    provider_transactions::{self as ptx, NewTransaction, ProviderTransaction, CREATED, PERFORMED},
};

/// The provider's name on transactions and payments.
pub const PROVIDER: &str = "payme";
/// How long a created transaction may wait for PerformTransaction: 12 hours, in ms.
pub const TIMEOUT_MS: i64 = 43_200_000;
/// Payme's cancel reason for a transaction that timed out.
pub const REASON_TIMEOUT: i16 = 4;

/// A method's answer inside its transaction: `Ok(Err(_))` is a refusal that keeps what the
/// call wrote (a timeout's cancellation); `Err(_)` rolls everything back.
pub type Refusable<T> = Result<Result<T, PaymeError>, diesel::result::Error>;

/// Unix milliseconds, as Payme counts time.
pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// Whether a transaction created at `created` is past Payme's timeout at `now`.
pub fn timed_out(created: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    millis(now) - millis(created) > TIMEOUT_MS
}

/// A performed transaction and the grant it made (`granted` is the grant again on a repeat,
/// so its notices can be planned again; they are keyed, so they go out once).
#[derive(Debug, Clone)]
pub struct Performed {
    /// The transaction, state 2.
    pub transaction: ProviderTransaction,
    /// What the payment gave, as it reads now.
    pub granted: Option<Grant>,
}

/// A cancelled transaction and, for a cancel after perform, what the refund withdrew (the
/// first time only).
#[derive(Debug, Clone)]
pub struct Cancelled {
    /// The transaction, state -1 or -2.
    pub transaction: ProviderTransaction,
    /// What the refund withdrew (as it reads now, on a repeat).
    pub refund: Option<Withdrawal>,
}

/// CheckPerformTransaction: whether the order can be paid with `amount` (tiyin).
pub async fn check_perform(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    amount: i64,
    order_id: i64,
) -> Result<(), PaymeError> {
    // Only reads, and locks nothing: no transaction, and no commit waiting for the disk.
    match paid_orders::payable_now(conn, merchant, order_id, amount).await {
        Ok(order) if ptx::busy_order(conn, order.id, PROVIDER).await? => Err(OrderError::Waiting.into()),
        Ok(_) => Ok(()),
        Err(e) => Err(refusal(e)?),
    }
}

/// CreateTransaction: a known id is answered as the first time (or refused once it left
/// state 1, cancelled first if it timed out); a new one must pay a payable order that no
/// other Payme transaction waits on, and must not be older than the timeout.
pub async fn create(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    (id, time): (&str, i64),
    (amount, order_id): (i64, i64),
    now: DateTime<Utc>,
) -> Result<ProviderTransaction, PaymeError> {
    let outcome: Refusable<ProviderTransaction> = conn
        .transaction(async |conn| {
            if let Some(known) = paid_orders::own_transaction(conn, merchant, PROVIDER, id).await? {
                return known_created(conn, known, now).await;
            }
            let order = match paid_orders::payable(conn, merchant, order_id, amount).await {
                Ok(order) => order,
                Err(e) => return Ok(Err(refusal(e)?)),
            };
            // A call with the same id may have created it while this one waited for the order.
            if let Some(known) = paid_orders::own_transaction(conn, merchant, PROVIDER, id).await? {
                return known_created(conn, known, now).await;
            }
            if ptx::busy_order(conn, order.id, PROVIDER).await? {
                return Ok(Err(OrderError::Waiting.into()));
            }
            if millis(now) - time > TIMEOUT_MS {
                return Ok(Err(PaymeError::CannotPerform));
            }
            let new = NewTransaction {
                provider: PROVIDER,
                external_id: id,
                order_id,
                amount_tiyin: amount,
                provider_time: time,
            };
            Ok(Ok(ptx::insert(conn, &new, now).await?))
        })
        .await;
    outcome?
}

/// A known transaction sent to CreateTransaction again.
async fn known_created(
    conn: &mut AsyncPgConnection,
    known: ProviderTransaction,
    now: DateTime<Utc>,
) -> Refusable<ProviderTransaction> {
    if known.state != CREATED {
        return Ok(Err(PaymeError::CannotPerform));
    }
    if timed_out(known.created_at, now) {
        paid_orders::cancel_waiting(conn, &known, REASON_TIMEOUT, now).await?;
        return Ok(Err(PaymeError::CannotPerform));
    }
    Ok(Ok(known))
}

/// PerformTransaction: pays the order and grants access. Call it inside a transaction (the
/// caller's, which also queues the notices: no savepoint between them); `Ok(Err(_))` is a
/// refusal whose writes (a timeout's cancellation) must commit. A repeat answers as the first
/// time.
pub async fn perform(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    id: &str,
    now: DateTime<Utc>,
) -> Refusable<Performed> {
    let Some((tx, order)) = paid_orders::own_transaction_and_order(conn, merchant, PROVIDER, id).await? else {
        return Ok(Err(PaymeError::TransactionNotFound));
    };
    if tx.state == PERFORMED {
        let granted = paid_orders::granted_by(conn, &tx, now).await?;
        return Ok(Ok(Performed { transaction: tx, granted }));
    }
    if tx.state != CREATED {
        return Ok(Err(PaymeError::CannotPerform));
    }
    if timed_out(tx.created_at, now) {
        paid_orders::cancel_waiting(conn, &tx, REASON_TIMEOUT, now).await?;
        return Ok(Err(PaymeError::CannotPerform));
    }
    let approval = match paid_orders::pay(conn, &order, (PROVIDER, id), now).await {
        Ok(approval) => approval,
        Err(PayError::Storage(e)) => return Err(e),
        Err(PayError::Unpayable(_)) => return Ok(Err(PaymeError::CannotPerform)),
    };
    let transaction = ptx::mark_performed(conn, tx.id, approval.payment_id(), now).await?;
    Ok(Ok(Performed { transaction, granted: Some(approval) }))
}

/// CancelTransaction: a waiting transaction is cancelled (-1) and its order closed; a
/// performed one is refunded (-2) and what it gave withdrawn; a repeat answers as the first
/// time.
pub async fn cancel(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    id: &str,
    reason: i16,
    now: DateTime<Utc>,
) -> Result<Cancelled, PaymeError> {
    let outcome: Refusable<Cancelled> = conn
        .transaction(async |conn| {
            let Some(tx) = paid_orders::own_transaction(conn, merchant, PROVIDER, id).await? else {
                return Ok(Err(PaymeError::TransactionNotFound));
            };
            match tx.state {
                CREATED => {
                    let transaction = paid_orders::cancel_waiting(conn, &tx, reason, now).await?;
                    Ok(Ok(Cancelled { transaction, refund: None }))
                }
                PERFORMED => {
                    let refund = match paid_orders::refund(conn, tx.order_id, now).await {
                        Ok(refund) => refund,
                        Err(PayError::Storage(e)) => return Err(e),
                        Err(PayError::Unpayable(_)) => None,
                    };
                    let transaction = ptx::mark_cancelled(conn, tx.id, PERFORMED, reason, now).await?;
                    Ok(Ok(Cancelled { transaction, refund }))
                }
                // A repeat: a refund is planned again (its notices are keyed, so they go out
                // once, even when the first call's were lost to a crash).
                _ => {
                    let refund = paid_orders::refunded_by(conn, &tx, now).await?;
                    Ok(Ok(Cancelled { transaction: tx, refund }))
                }
            }
        })
        .await;
    outcome?
}

/// CheckTransaction: the transaction as it stands.
pub async fn check(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    id: &str,
) -> Result<ProviderTransaction, PaymeError> {
    paid_orders::own_transaction(conn, merchant, PROVIDER, id).await?.ok_or(PaymeError::TransactionNotFound)
}

/// GetStatement: the account's Payme transactions whose Payme time is within `[from, to]`.
pub async fn statement(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    from: i64,
    to: i64,
) -> Result<Vec<ProviderTransaction>, PaymeError> {
    Ok(ptx::in_window(conn, (PROVIDER, merchant), (from, to)).await?)
}

/// An order that cannot be paid, as Payme's error; storage failures stay errors.
fn refusal(e: PayError) -> Result<PaymeError, diesel::result::Error> {
    match e {
        PayError::Storage(e) => Err(e),
        PayError::Unpayable(Unpayable::WrongAmount) => Ok(PaymeError::WrongAmount),
        PayError::Unpayable(Unpayable::Unknown) => Ok(OrderError::NotFound.into()),
        PayError::Unpayable(Unpayable::Closed) => Ok(OrderError::Closed.into()),
        PayError::Unpayable(Unpayable::NotServed) => Ok(OrderError::NotServed.into()),
    }
}
