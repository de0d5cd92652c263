//! Owners' platform plans: the price list, receipts, a moderator's review (one guarded
//! transaction per decision: the plan starts now or extends the running one from its end),
//! plans granted by hand, and plans paid (and refunded) through a provider.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::{
    config::PlanPrices,
    db::{
        owners::{self, Owner},
        payments::Receipt,
        plans,
        platform_payments::{self, plan_code, plan_months, PlanPayment},
        DbError,
    },
};

/// The price of a plan of `months` (1, 6 or 12), in UZS.
pub fn price_of(prices: &PlanPrices, months: i32) -> Option<BigDecimal> {
    let price = match months {
        1 => prices.one_month,
        6 => prices.six_months,
        12 => prices.twelve_months,
        _ => return None,
    };
    Some(BigDecimal::from(price))
}

/// Why a plan review changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum PlanReviewError {
    /// No such payment.
    #[error("no such plan payment")]
    NotFound,
    /// Someone decided it already.
    #[error("plan payment already {}", .0.status)]
    AlreadyDecided(Box<PlanPayment>),
    /// Still pending, but changed since the reviewer's copy was drawn (a newer receipt, maybe
    /// for another plan): that copy may not decide what it did not show.
    #[error("plan payment changed to revision {}", .0.revision)]
    Changed(Box<PlanPayment>),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] DbError),
}

impl From<diesel::result::Error> for PlanReviewError {
    fn from(e: diesel::result::Error) -> Self {
        PlanReviewError::Storage(e.into())
    }
}

/// A decided plan payment with its owner (and, once approved, the plan's new end).
#[derive(Debug, Clone)]
pub struct PlanDecision {
    /// The payment as decided.
    pub payment: PlanPayment,
    /// Its owner.
    pub owner: Owner,
    /// End of the paid plan after an approval.
    pub ends_at: Option<DateTime<Utc>>,
}

/// Stores a receipt for a plan of `months` at today's price.
pub async fn submit_receipt(
    conn: &mut AsyncPgConnection,
    prices: &PlanPrices,
    owner_id: i64,
    months: i32,
    receipt: &Receipt<'_>,
    now: DateTime<Utc>,
) -> Result<Option<(PlanPayment, bool)>, DbError> {
    let (Some(code), Some(price)) = (plan_code(months), price_of(prices, months)) else { return Ok(None) };
    Ok(Some(platform_payments::submit_receipt(conn, owner_id, code, &price, receipt, now).await?))
}

/// Approves a pending plan payment at the revision the moderator saw: in one transaction the
/// guarded transition and the plan starting or extending. Two moderators pressing at once
/// extend the plan once; a copy of an earlier revision approves nothing.
pub async fn approve(
    conn: &mut AsyncPgConnection,
    payment_id: i64,
    seen_revision: i32,
    moderator: i64,
    now: DateTime<Utc>,
) -> Result<PlanDecision, PlanReviewError> {
    conn.transaction(async |conn| {
        let decided = platform_payments::decide(conn, payment_id, seen_revision, true, moderator, None, now).await?;
        let Some(payment) = decided else {
            return Err(decided_before(conn, payment_id).await);
        };
        let months = plan_months(&payment.plan).unwrap_or(1);
        let ends_at =
            plans::start_or_extend(conn, payment.user_admin_id, &payment.plan, months, &payment.amount, now).await?;
        let owner = owners::find_by_id(conn, payment.user_admin_id).await?.ok_or(PlanReviewError::NotFound)?;
        Ok(PlanDecision { payment, owner, ends_at: Some(ends_at) })
    })
    .await
}

/// Rejects a pending plan payment, at the revision the moderator saw, with a reason.
pub async fn reject(
    conn: &mut AsyncPgConnection,
    payment_id: i64,
    seen_revision: i32,
    moderator: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<PlanDecision, PlanReviewError> {
    let decided =
        platform_payments::decide(conn, payment_id, seen_revision, false, moderator, Some(reason), now).await?;
    let Some(payment) = decided else {
        return Err(decided_before(conn, payment_id).await);
    };
    let owner = owners::find_by_id(conn, payment.user_admin_id).await?.ok_or(PlanReviewError::NotFound)?;
    Ok(PlanDecision { payment, owner, ends_at: None })
}

/// A decision made before, as it reads now (to tell its owner again): an approval ends with
/// the owner's running plan (none once that has ended).
pub async fn decision_of(
    conn: &mut AsyncPgConnection,
    payment: PlanPayment,
    now: DateTime<Utc>,
) -> Result<PlanDecision, PlanReviewError> {
    let owner = owners::find_by_id(conn, payment.user_admin_id).await?.ok_or(PlanReviewError::NotFound)?;
    let ends_at = match payment.status.as_str() {
        "approved" => running_until(conn, owner.id, now).await?,
        _ => None,
    };
    Ok(PlanDecision { payment, owner, ends_at })
}

/// When the owner's running paid plan ends, if one runs.
pub async fn running_until(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<DateTime<Utc>>> {
    Ok(plans::running(conn, owner_id, now).await?.map(|(_, _, end)| end))
}

/// A moderator grants `months` of a plan by hand: a manual plan payment of 0 stored under
/// the grant button's `token`, and the plan, in one transaction. Returns the plan's new end,
/// or `None` when that token granted already (two devices, a double press, a redelivery):
/// the button grants once, and a failed attempt leaves the token free for its retry.
pub async fn grant(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    months: i32,
    moderator: i64,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbError> {
    let code = plan_code(months).ok_or_else(|| DbError::Unavailable(format!("no plan of {months} months")))?;
    let end = conn
        .transaction(async |conn| {
            if platform_payments::insert_manual_grant(conn, owner_id, code, moderator, token, now).await?.is_none() {
                return Ok(None);
            }
            plans::start_or_extend(conn, owner_id, code, months, &BigDecimal::from(0), now).await.map(Some)
        })
        .await?;
    Ok(end)
}

/// What a provider's refund of a plan took back.
#[derive(Debug, Clone)]
pub struct PlanRefund {
    /// The plan payment, now refunded.
    pub payment: PlanPayment,
    /// Its owner.
    pub owner: Owner,
    /// Where the owner's paid plan ends now (`None`: no paid plan was running).
    pub ends_at: Option<DateTime<Utc>>,
    /// Whether nothing paid is left (the expiry job puts the owner back on Free).
    pub ended: bool,
}

/// Whether an owner's plan order can still be served: the owner exists and is not banned,
/// and the plan is still sold.
pub async fn servable(conn: &mut AsyncPgConnection, owner_id: i64, code: &str) -> diesel::QueryResult<bool> {
    let owner = owners::find_by_id(conn, owner_id).await?;
    Ok(owner.is_some_and(|o| !o.banned) && plan_months(code).is_some())
}

/// Pays an owner's plan order through `provider`: an approved plan payment naming the order
/// and the provider's transaction, and the plan started or extended, exactly as an approved
/// receipt does. Call inside the transaction that closes the order as paid.
pub async fn pay_order(
    conn: &mut AsyncPgConnection,
    (order_id, owner_id, code, amount): (i64, i64, &str, &BigDecimal),
    (provider, transaction): (&str, &str),
    now: DateTime<Utc>,
) -> diesel::QueryResult<PlanDecision> {
    let payment =
        platform_payments::insert_paid(conn, (owner_id, code, amount), (provider, order_id, transaction), now).await?;
    let months = plan_months(code).unwrap_or(1);
    let ends_at = plans::start_or_extend(conn, owner_id, code, months, amount, now).await?;
    let owner = owners::find_by_id(conn, owner_id).await?.ok_or(diesel::result::Error::NotFound)?;
    Ok(PlanDecision { payment, owner, ends_at: Some(ends_at) })
}

/// Refunds the plan an order paid for: the payment is marked refunded and the months it gave
/// are taken back from the owner's paid plan (it ends now when nothing is left). `None` when
/// it was refunded before. Call inside the transaction that records the provider's cancel.
pub async fn refund_order(
    conn: &mut AsyncPgConnection,
    order_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<PlanRefund>> {
    let Some(payment) = platform_payments::refund_of_order(conn, order_id, now).await? else { return Ok(None) };
    let owner = owners::find_by_id(conn, payment.user_admin_id).await?.ok_or(diesel::result::Error::NotFound)?;
    let months = plan_months(&payment.plan).unwrap_or(1);
    let ends_at = match plans::latest_active(conn, owner.id).await? {
        Some((plan_id, end)) => {
            let end = super::paid_orders::withdrawn_end(Some(end), months, now);
            plans::set_end(conn, plan_id, end).await?;
            Some(end)
        }
        None => None,
    };
    let ended = ends_at.is_none_or(|end| end <= now);
    Ok(Some(PlanRefund { payment, owner, ends_at, ended }))
}

/// A plan refund made before, as it reads now (to plan its notices again on a repeat).
pub async fn refunded(
    conn: &mut AsyncPgConnection,
    order_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<PlanRefund>> {
    let Some(payment) = platform_payments::of_order(conn, order_id).await? else { return Ok(None) };
    if payment.status != "refunded" {
        return Ok(None);
    }
    let owner = owners::find_by_id(conn, payment.user_admin_id).await?.ok_or(diesel::result::Error::NotFound)?;
    let ends_at = running_until(conn, owner.id, now).await?;
    Ok(Some(PlanRefund { payment, owner, ends_at, ended: ends_at.is_none() }))
}

/// A plan paid through a provider, as it reads now (to plan its notices again on a repeat).
pub async fn paid(
    conn: &mut AsyncPgConnection,
    order_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<PlanDecision>> {
    let Some(payment) = platform_payments::of_order(conn, order_id).await? else { return Ok(None) };
    let owner = owners::find_by_id(conn, payment.user_admin_id).await?.ok_or(diesel::result::Error::NotFound)?;
    let ends_at = running_until(conn, owner.id, now).await?;
    Ok(Some(PlanDecision { payment, owner, ends_at }))
}

async fn decided_before(conn: &mut AsyncPgConnection, payment_id: i64) -> PlanReviewError {
    match platform_payments::find(conn, payment_id).await {
        Ok(Some(payment)) if payment.status == "pending" => PlanReviewError::Changed(Box::new(payment)),
        Ok(Some(payment)) => PlanReviewError::AlreadyDecided(Box::new(payment)),
        Ok(None) => PlanReviewError::NotFound,
        Err(e) => e.into(),
    }
}
