//! Click's SHOP-API rules: Prepare (action 0) and Complete (action 1) on an owner's account,
//! over orders and provider transactions. The signature is checked on the values exactly as
//! received; every step runs in one database transaction. A Complete that carries Click's own
//! error cancels the order; once Click has debited the customer, Complete answers only
//! success, -4 (already paid) or -9 (cancelled).

mod request;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

pub use request::{ClickError, ClickRequest, COMPLETE, PREPARE};

use super::paid_orders::{self, Grant, PayError, Unpayable};
use crate::db::{
    orders,
    payment_accounts::Merchant,
    provider_transactions::{self as ptx, NewTransaction, CREATED, PERFORMED},
};

/// The provider's name on transactions and payments.
pub const PROVIDER: &str = "click";
/// Reason stored on a Click transaction cancelled because Click reported a failure.
const REASON_CLICK_ERROR: i16 = 2;
/// Reason stored on a waiting Click transaction superseded by a newer Prepare for its order.
const REASON_SUPERSEDED: i16 = 3;

/// A step's outcome inside its transaction: `Ok(Err(_))` is a refusal that keeps what was
/// written (a cancellation); `Err(_)` rolls back.
type Refusable<T> = Result<Result<T, ClickError>, diesel::result::Error>;

/// Prepare: a waiting transaction for a payable order (a repeat answers the same
/// `merchant_prepare_id`).
pub async fn prepare(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    request: &ClickRequest,
    now: DateTime<Utc>,
) -> Result<i64, ClickError> {
    let amount = request.amount_tiyin()?;
    let order_id: i64 = request.merchant_trans_id.trim().parse().map_err(|_| ClickError::OrderNotFound)?;
    let outcome: Refusable<i64> = conn
        .transaction(async |conn| {
            if let Some(known) = paid_orders::own_transaction(conn, merchant, PROVIDER, &request.click_trans_id).await?
            {
                return Ok(match known.state {
                    CREATED | PERFORMED if known.order_id == order_id => Ok(known.id),
                    CREATED | PERFORMED => Err(ClickError::BadRequest),
                    _ => Err(ClickError::Cancelled),
                });
            }
            if request.click_error() < 0 {
                return Ok(Err(ClickError::Cancelled));
            }
            let order = match paid_orders::payable(conn, merchant, order_id, amount).await {
                Ok(order) => order,
                Err(e) => return Ok(Err(refusal(conn, e, order_id).await?)),
            };
            if let Some(waiting) = ptx::waiting_for(conn, order.id, PROVIDER).await? {
                ptx::mark_cancelled(conn, waiting.id, CREATED, REASON_SUPERSEDED, now).await?;
            }
            let new = NewTransaction {
                provider: PROVIDER,
                external_id: &request.click_trans_id,
                order_id: order.id,
                amount_tiyin: amount,
                provider_time: now.timestamp_millis(),
            };
            Ok(Ok(ptx::insert(conn, &new, now).await?.id))
        })
        .await;
    outcome.map_err(storage)?
}

/// A completed transaction: the confirm id (the payment) and the grant (also on a repeat, so
/// its notices can be planned again; they go out once).
#[derive(Debug, Clone)]
pub struct Completed {
    /// `merchant_confirm_id`: the payment.
    pub confirm_id: i64,
    /// What the payment gave.
    pub granted: Option<Grant>,
    /// Whether this call completed it (else it was completed before: answered -4).
    pub first: bool,
}

/// Complete: pays the order and grants access in one transaction; Click's own error cancels
/// the order instead.
pub async fn complete(
    conn: &mut AsyncPgConnection,
    merchant: Merchant,
    request: &ClickRequest,
    now: DateTime<Utc>,
) -> Result<Completed, ClickError> {
    let prepare_id: i64 = request
        .merchant_prepare_id
        .as_deref()
        .and_then(|p| p.trim().parse().ok())
        .ok_or(ClickError::TransactionNotFound)?;
    let outcome: Refusable<Completed> = conn
        .transaction(async |conn| {
            let Some(tx) = paid_orders::own_transaction(conn, merchant, PROVIDER, &request.click_trans_id)
                .await?
                .filter(|t| t.id == prepare_id)
            else {
                return Ok(Err(ClickError::TransactionNotFound));
            };
            if request.merchant_trans_id.trim() != tx.order_id.to_string() {
                return Ok(Err(ClickError::OrderNotFound));
            }
            match tx.state {
                PERFORMED => {
                    let granted = paid_orders::granted_by(conn, &tx, now).await?;
                    let confirm_id = tx.payment_id.unwrap_or(tx.id);
                    return Ok(Ok(Completed { confirm_id, granted, first: false }));
                }
                CREATED => {}
                _ => return Ok(Err(ClickError::Cancelled)),
            }
            if request.click_error() < 0 {
                paid_orders::cancel_waiting(conn, &tx, REASON_CLICK_ERROR, now).await?;
                return Ok(Err(ClickError::Cancelled));
            }
            match request.amount_tiyin() {
                Ok(amount) if amount == tx.amount_tiyin => {}
                _ => return Ok(Err(ClickError::IncorrectAmount)),
            }
            let Some(order) = orders::lock_of(conn, merchant, tx.order_id).await? else {
                return Ok(Err(ClickError::OrderNotFound));
            };
            let approval = match paid_orders::pay(conn, &order, (PROVIDER, &request.click_trans_id), now).await {
                Ok(approval) => approval,
                Err(PayError::Storage(e)) => return Err(e),
                // Paid another way meanwhile: Click returns the customer's money.
                Err(PayError::Unpayable(_)) => {
                    ptx::mark_cancelled(conn, tx.id, CREATED, REASON_SUPERSEDED, now).await?;
                    return Ok(Err(ClickError::Cancelled));
                }
            };
            ptx::mark_performed(conn, tx.id, approval.payment_id(), now).await?;
            Ok(Ok(Completed {
                confirm_id: approval.payment_id().unwrap_or(tx.id),
                granted: Some(approval),
                first: true,
            }))
        })
        .await;
    outcome.map_err(storage)?
}

/// An order that cannot be paid, as Click's error: a paid order is "already paid", a
/// cancelled or refunded one "cancelled".
async fn refusal(conn: &mut AsyncPgConnection, e: PayError, order_id: i64) -> diesel::QueryResult<ClickError> {
    Ok(match e {
        PayError::Storage(e) => return Err(e),
        PayError::Unpayable(Unpayable::WrongAmount) => ClickError::IncorrectAmount,
        PayError::Unpayable(Unpayable::Unknown | Unpayable::NotServed) => ClickError::OrderNotFound,
        PayError::Unpayable(Unpayable::Closed) => match orders::find(conn, order_id).await? {
            Some(order) if order.status == "paid" => ClickError::AlreadyPaid,
            _ => ClickError::Cancelled,
        },
    })
}

/// A storage failure, as Click's "failed to update" (nothing was written).
fn storage(e: diesel::result::Error) -> ClickError {
    tracing::warn!(error = %e, "click: storage failed; answered -7");
    ClickError::FailedToUpdate
}
