//! `platform_payments`: owners paying the platform for a plan (a receipt a moderator
//! reviews, or a payment through Payme, Click or Uzum into the platform's account), and plans
//! granted by hand (amount 0, method `manual`).

use super::prepared::prepared;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{payments::Receipt, schema::platform_payments};

/// Plan codes and their length in months.
pub const PLANS: [(&str, i32); 3] = [("1month", 1), ("6month", 6), ("12month", 12)];

/// The plan code of a number of months (`1month`, `6month`, `12month`).
pub fn plan_code(months: i32) -> Option<&'static str> {
    PLANS.iter().find(|(_, m)| *m == months).map(|(code, _)| *code)
}

/// The months of a plan code.
pub fn plan_months(code: &str) -> Option<i32> {
    PLANS.iter().find(|(c, _)| *c == code).map(|(_, m)| *m)
}

/// One plan payment.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = platform_payments)]
pub struct PlanPayment {
    /// Internal id.
    pub id: i64,
    /// The paying owner (`user_admins.id`).
    pub user_admin_id: i64,
    /// `1month`, `6month` or `12month`.
    pub plan: String,
    /// Amount in UZS (0 for a manual grant).
    pub amount: BigDecimal,
    /// pending / approved / rejected / refunded (a provider's refund).
    pub status: String,
    /// The receipt's file id (the main bot received it).
    pub screenshot_file_id: Option<String>,
    /// `photo` or `document`.
    pub screenshot_kind: Option<String>,
    /// When the owner sent it.
    pub created_at: DateTime<Utc>,
    /// When a moderator decided.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// The deciding moderator's Telegram id.
    pub reviewed_by: Option<i64>,
    /// Why it was rejected.
    pub reject_reason: Option<String>,
    /// `card`, `manual`, or the provider paid through: `payme`, `click`, `uzum`.
    pub method: String,
    /// Bumped by every change while pending; a review copy acts only on the revision it showed.
    pub revision: i32,
}

/// A receipt for a plan: joins the owner's pending plan payment (which then asks for the
/// plan chosen last, at a new revision, so review copies of the earlier one act no more),
/// or starts one. Returns it and whether it is new.
pub async fn submit_receipt(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    plan: &str,
    amount: &BigDecimal,
    receipt: &Receipt<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<(PlanPayment, bool)> {
    let pending = platform_payments::table
        .filter(platform_payments::user_admin_id.eq(owner_id))
        .filter(platform_payments::status.eq("pending"));
    let attached = prepared(
        diesel::update(pending)
            .set((
                platform_payments::plan.eq(plan),
                platform_payments::amount.eq(amount),
                platform_payments::screenshot_file_id.eq(receipt.file_id),
                platform_payments::screenshot_kind.eq(receipt.kind),
                platform_payments::receipts.eq(platform_payments::receipts + 1),
                platform_payments::revision.eq(platform_payments::revision + 1),
            ))
            .returning(PlanPayment::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()?;
    if let Some(payment) = attached {
        return Ok((payment, false));
    }
    let inserted = diesel::insert_into(platform_payments::table)
        .values((
            platform_payments::user_admin_id.eq(owner_id),
            platform_payments::plan.eq(plan),
            platform_payments::amount.eq(amount),
            platform_payments::screenshot_file_id.eq(receipt.file_id),
            platform_payments::screenshot_kind.eq(receipt.kind),
            platform_payments::receipts.eq(1),
            platform_payments::created_at.eq(now),
        ))
        .on_conflict_do_nothing()
        .returning(PlanPayment::as_returning())
        .get_result(conn)
        .await
        .optional()?;
    match inserted {
        Some(payment) => Ok((payment, true)),
        // Another receipt of the same owner won the race: join it.
        None => Box::pin(submit_receipt(conn, owner_id, plan, amount, receipt, now)).await,
    }
}

/// One plan payment.
pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> diesel::QueryResult<Option<PlanPayment>> {
    platform_payments::table
        .filter(platform_payments::id.eq(id))
        .select(PlanPayment::as_select())
        .first(conn)
        .await
        .optional()
}

/// Decides a pending plan payment at the revision the reviewer saw (guarded `pending →
/// approved|rejected` on that revision); `None` when it was not pending at that revision.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    id: i64,
    seen_revision: i32,
    approve: bool,
    moderator: i64,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<PlanPayment>> {
    prepared(
        diesel::update(
            platform_payments::table
                .filter(platform_payments::id.eq(id))
                .filter(platform_payments::status.eq("pending"))
                .filter(platform_payments::revision.eq(seen_revision)),
        )
        .set((
            platform_payments::status.eq(if approve { "approved" } else { "rejected" }),
            platform_payments::reviewed_at.eq(now),
            platform_payments::reviewed_by.eq(moderator),
            platform_payments::reject_reason.eq(reason),
        ))
        .returning(PlanPayment::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()
}

/// Records a plan paid through a provider: approved at once, naming its order (unique: one
/// plan payment per order) and the provider's transaction. Call inside the transaction that
/// closes the order as paid.
pub async fn insert_paid(
    conn: &mut AsyncPgConnection,
    (owner_id, plan, amount): (i64, &str, &BigDecimal),
    (method, order_id, transaction): (&str, i64, &str),
    now: DateTime<Utc>,
) -> diesel::QueryResult<PlanPayment> {
    diesel::insert_into(platform_payments::table)
        .values((
            platform_payments::user_admin_id.eq(owner_id),
            platform_payments::plan.eq(plan),
            platform_payments::amount.eq(amount),
            platform_payments::status.eq("approved"),
            platform_payments::method.eq(method),
            platform_payments::created_at.eq(now),
            platform_payments::reviewed_at.eq(now),
            platform_payments::order_id.eq(order_id),
            platform_payments::provider_transaction.eq(transaction),
        ))
        .returning(PlanPayment::as_returning())
        .get_result(conn)
        .await
}

/// The plan payment of an order, if it was paid.
pub async fn of_order(conn: &mut AsyncPgConnection, order_id: i64) -> diesel::QueryResult<Option<PlanPayment>> {
    platform_payments::table
        .filter(platform_payments::order_id.eq(order_id))
        .select(PlanPayment::as_select())
        .first(conn)
        .await
        .optional()
}

/// Marks the approved plan payment of an order refunded (guarded `approved → refunded`);
/// `None` when it was refunded before.
pub async fn refund_of_order(
    conn: &mut AsyncPgConnection,
    order_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<PlanPayment>> {
    prepared(
        diesel::update(
            platform_payments::table
                .filter(platform_payments::order_id.eq(order_id))
                .filter(platform_payments::status.eq("approved")),
        )
        .set((platform_payments::status.eq("refunded"), platform_payments::reviewed_at.eq(now)))
        .returning(PlanPayment::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()
}

/// Records a plan a moderator granted by hand (approved at once, amount 0) under the grant
/// button's token; `None` when that token granted already (a double press, a redelivery).
pub async fn insert_manual_grant(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    plan: &str,
    moderator: i64,
    token: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<PlanPayment>> {
    diesel::insert_into(platform_payments::table)
        .values((
            platform_payments::user_admin_id.eq(owner_id),
            platform_payments::plan.eq(plan),
            platform_payments::amount.eq(BigDecimal::from(0)),
            platform_payments::method.eq("manual"),
            platform_payments::status.eq("approved"),
            platform_payments::reviewed_at.eq(now),
            platform_payments::reviewed_by.eq(moderator),
            platform_payments::created_at.eq(now),
            platform_payments::grant_token.eq(token),
        ))
        .on_conflict((platform_payments::user_admin_id, platform_payments::grant_token))
        .do_nothing()
        .returning(PlanPayment::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// A page of plan payments, newest first, optionally of one status.
pub async fn page(
    conn: &mut AsyncPgConnection,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> diesel::QueryResult<Vec<PlanPayment>> {
    let mut query = platform_payments::table.select(PlanPayment::as_select()).into_boxed();
    if let Some(status) = status {
        query = query.filter(platform_payments::status.eq(status.to_owned()));
    }
    query.order(platform_payments::id.desc()).offset(offset).limit(limit).load(conn).await
}
