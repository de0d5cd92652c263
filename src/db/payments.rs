//! `payments`: end users' payments for a channel or group, from receipt to the owner's
//! decision. Transitions are guarded (`WHERE status = 'pending'`), so a double click or a
//! redelivered update decides once.

use super::prepared::prepared;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::{
    ExpressionMethods, OptionalExtension, PgExpressionMethods, QueryDsl, Queryable, Selectable, SelectableHelper,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use super::{
    channels::Channel,
    schema::{payments, subscriptions, user_bots},
};

/// One payment.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct Payment {
    /// Internal id (shown to people as #id).
    pub id: i64,
    /// The payer.
    pub end_user_id: i64,
    /// The seller bot.
    pub user_bot_id: i64,
    /// What was bought.
    pub channel_id: i64,
    /// Amount (0 for a manual grant).
    pub amount: BigDecimal,
    /// Currency code.
    pub currency: String,
    /// Months bought (0 = lifetime).
    pub duration_months: i32,
    /// `card` or `manual`.
    pub payment_method: String,
    /// pending / approved / rejected.
    pub status: String,
    /// The latest receipt's file id (as the seller bot received it).
    pub screenshot_file_id: Option<String>,
    /// `photo` or `document`.
    pub screenshot_kind: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Telegram id of whoever decided.
    pub reviewed_by: Option<i64>,
    /// Why it was rejected.
    pub reject_reason: Option<String>,
    /// How many receipts were sent for it.
    pub receipts: i32,
    /// Bumped by every change while pending; a review copy acts only on the revision it showed.
    pub revision: i32,
    /// The provider's order it paid (a card payment, or a Stars renewal, pays none).
    pub order_id: Option<i64>,
    /// The provider's transaction (for Telegram Stars, the `telegram_payment_charge_id`).
    pub provider_transaction: Option<String>,
    /// A period counted in days instead of months (a Stars subscription's 30 days).
    pub period_days: Option<i32>,
}

/// A receipt an end user sent.
#[derive(Debug, Clone)]
pub struct Receipt<'a> {
    /// File id as the seller bot received it.
    pub file_id: &'a str,
    /// `photo` or `document`.
    pub kind: &'a str,
    /// The file's `file_unique_id`: the same file sent again has the same one.
    pub unique_id: Option<&'a str>,
}

/// What became of a receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    /// It opened a new pending payment.
    New,
    /// It was attached to the pending payment, at a new revision.
    Attached,
    /// It is the pending payment's latest receipt again (sent twice): nothing changed.
    Repeated,
}

/// Stores a receipt: on the user's pending payment for this chat if there is one (a second
/// receipt is attached, not a new payment, at a new revision, so the owner's copies of the
/// earlier receipt act no more), else on a new pending payment at the chat's current terms.
/// The latest receipt sent again is not attached a second time ([`Submitted::Repeated`]).
pub async fn submit_receipt(
    conn: &mut AsyncPgConnection,
    end_user_id: i64,
    channel: &Channel,
    price: &BigDecimal,
    receipt: &Receipt<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<(Payment, Submitted)> {
    let pending = || {
        payments::table
            .filter(payments::end_user_id.eq(end_user_id))
            .filter(payments::channel_id.eq(channel.id))
            .filter(payments::status.eq("pending"))
    };
    conn.transaction(async |conn| {
        let attached = prepared(
            diesel::update(
                pending()
                    .filter(payments::screenshot_unique_id.is_distinct_from(receipt.unique_id.unwrap_or_default())),
            )
            .set((
                payments::screenshot_file_id.eq(receipt.file_id),
                payments::screenshot_kind.eq(receipt.kind),
                payments::screenshot_unique_id.eq(receipt.unique_id),
                payments::receipts.eq(payments::receipts + 1),
                payments::revision.eq(payments::revision + 1),
            ))
            .returning(Payment::as_returning()),
        )
        .get_result(conn)
        .await
        .optional()?;
        if let Some(payment) = attached {
            return Ok((payment, Submitted::Attached));
        }
        if let Some(same) = pending().select(Payment::as_select()).first(conn).await.optional()? {
            return Ok((same, Submitted::Repeated));
        }
        let payment = diesel::insert_into(payments::table)
            .values((
                payments::end_user_id.eq(end_user_id),
                payments::user_bot_id.eq(channel.user_bot_id),
                payments::channel_id.eq(channel.id),
                payments::amount.eq(price),
                payments::currency.eq(&channel.currency),
                payments::duration_months.eq(channel.duration_months),
                payments::payment_method.eq("card"),
                payments::screenshot_file_id.eq(receipt.file_id),
                payments::screenshot_kind.eq(receipt.kind),
                payments::screenshot_unique_id.eq(receipt.unique_id),
                payments::receipts.eq(1),
                payments::created_at.eq(now),
            ))
            .returning(Payment::as_returning())
            .get_result(conn)
            .await?;
        Ok((payment, Submitted::New))
    })
    .await
}

/// A manual grant by the owner: an approved payment of amount 0, stored under the grant
/// button's token; `None` when that token granted this user this chat already.
pub async fn insert_manual_grant(
    conn: &mut AsyncPgConnection,
    end_user_id: i64,
    channel: &Channel,
    (months, token): (i32, &str),
    by: i64,
    at: DateTime<Utc>,
) -> diesel::QueryResult<Option<Payment>> {
    diesel::insert_into(payments::table)
        .values((
            payments::end_user_id.eq(end_user_id),
            payments::user_bot_id.eq(channel.user_bot_id),
            payments::channel_id.eq(channel.id),
            payments::amount.eq(BigDecimal::from(0)),
            payments::currency.eq(&channel.currency),
            payments::duration_months.eq(months),
            payments::payment_method.eq("manual"),
            payments::status.eq("approved"),
            payments::approved_at.eq(at),
            payments::reviewed_at.eq(at),
            payments::reviewed_by.eq(by),
            payments::created_at.eq(at),
            payments::grant_token.eq(token),
        ))
        .on_conflict((payments::end_user_id, payments::channel_id, payments::grant_token))
        .do_nothing()
        .returning(Payment::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// The manual grant stored under a grant button's token.
pub async fn by_grant_token(
    conn: &mut AsyncPgConnection,
    end_user_id: i64,
    channel_id: i64,
    token: &str,
) -> diesel::QueryResult<Option<Payment>> {
    payments::table
        .filter(payments::end_user_id.eq(end_user_id))
        .filter(payments::channel_id.eq(channel_id))
        .filter(payments::grant_token.eq(token))
        .select(Payment::as_select())
        .first(conn)
        .await
        .optional()
}

/// One payment.
pub async fn find(conn: &mut AsyncPgConnection, payment_id: i64) -> diesel::QueryResult<Option<Payment>> {
    payments::table.find(payment_id).select(Payment::as_select()).first(conn).await.optional()
}

/// One payment of the owner's bots, or none if it is not theirs.
pub async fn find_for_owner(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    payment_id: i64,
) -> diesel::QueryResult<Option<Payment>> {
    payments::table
        .inner_join(user_bots::table)
        .filter(payments::id.eq(payment_id))
        .filter(user_bots::user_admin_id.eq(owner_id))
        .select(Payment::as_select())
        .first(conn)
        .await
        .optional()
}

/// The owner's decision on a pending payment.
#[derive(Debug, Clone)]
pub enum Decision<'a> {
    /// Approved.
    Approve,
    /// Rejected with a reason.
    Reject(&'a str),
}

/// Moves a pending payment at the revision the owner saw to approved or rejected; none if it
/// was not pending at that revision (decided already, or changed since) — the guard that
/// makes a decision happen once, on what was shown.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    (payment_id, seen_revision): (i64, i32),
    decision: Decision<'_>,
    by: i64,
    at: DateTime<Utc>,
) -> diesel::QueryResult<Option<Payment>> {
    let target = payments::table
        .filter(payments::id.eq(payment_id))
        .filter(payments::status.eq("pending"))
        .filter(payments::revision.eq(seen_revision));
    let update = diesel::update(target);
    match decision {
        Decision::Approve => {
            update
                .set((
                    payments::status.eq("approved"),
                    payments::approved_at.eq(at),
                    payments::reviewed_at.eq(at),
                    payments::reviewed_by.eq(by),
                ))
                .returning(Payment::as_returning())
                .get_result(conn)
                .await
        }
        Decision::Reject(reason) => {
            update
                .set((
                    payments::status.eq("rejected"),
                    payments::reviewed_at.eq(at),
                    payments::reviewed_by.eq(by),
                    payments::reject_reason.eq(reason),
                ))
                .returning(Payment::as_returning())
                .get_result(conn)
                .await
        }
    }
    .optional()
}

/// The user's payments at a bot, newest first.
pub async fn of_end_user(
    conn: &mut AsyncPgConnection,
    end_user_id: i64,
    limit: i64,
) -> diesel::QueryResult<Vec<Payment>> {
    payments::table
        .filter(payments::end_user_id.eq(end_user_id))
        .order(payments::id.desc())
        .limit(limit)
        .select(Payment::as_select())
        .load(conn)
        .await
}

/// Whether another approved payment of the same customer and chat was approved when the
/// subscription `subscription_id` was created: that payment started it, so `payment`
/// renewed it.
pub async fn started_by_another(
    conn: &mut AsyncPgConnection,
    payment: &Payment,
    subscription_id: i64,
) -> diesel::QueryResult<bool> {
    let started: DateTime<Utc> = subscriptions::table
        .filter(subscriptions::id.eq(subscription_id))
        .select(subscriptions::created_at)
        .first(conn)
        .await?;
    diesel::select(diesel::dsl::exists(
        payments::table
            .filter(payments::end_user_id.eq(payment.end_user_id))
            .filter(payments::channel_id.eq(payment.channel_id))
            .filter(payments::status.eq("approved"))
            .filter(payments::id.ne(payment.id))
            .filter(payments::approved_at.eq(started)),
    ))
    .get_result(conn)
    .await
}
