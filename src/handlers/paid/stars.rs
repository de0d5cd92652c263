//! Refunding a Telegram Stars payment and stopping a Stars subscription, for whoever may (the
//! owner from a customer's card, a moderator from the panel; the caller checked who asks).
//! Telegram is asked first, through the seller bot that took the Stars; the refund is then
//! recorded once, in one transaction with the customer's and the owner's notices.

use diesel_async::AsyncConnection;

use crate::{
    db::{end_users, payments::Payment, star_subscriptions as star_subs, user_bots, DbError},
    handlers::{Effect, HandlerContext, HandlerError},
    platform::StarsCallError,
    services::{paid_orders::Withdrawal, stars},
};

/// The method's name for people, in notices.
pub const LABEL: &str = "Telegram Stars";

/// Refunds a Stars payment (`refundStarPayment`; a subscription charge also stops the
/// subscription renewing), then withdraws what it gave and tells both sides. `Err` inside when
/// Telegram did not take the refund (nothing was recorded).
pub async fn refund(ctx: &HandlerContext<'_>, payment: &Payment) -> Result<Result<(), StarsCallError>, HandlerError> {
    let Some(charge) = payment.provider_transaction.as_deref() else { return Ok(Ok(())) };
    let (seller, customer) = parties(ctx, payment.user_bot_id, payment.end_user_id).await?;
    if let Err(e) = ctx.platform.refund_stars(seller, customer, charge).await {
        return Ok(Err(e));
    }
    // A refunded subscription charge also stops the subscription renewing at Telegram.
    if payment.period_days.is_some() {
        let renewing = {
            let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
            star_subs::of_customer(&mut conn, payment.end_user_id, payment.channel_id).await?.filter(|s| s.renews())
        };
        if let Some(sub) = renewing {
            if let Err(e) = ctx.platform.stop_star_renewal(seller, customer, &sub.first_charge_id).await {
                tracing::warn!(error = %e, "a refunded subscription's renewal was not stopped at Telegram");
            }
        }
    }
    let (app, now) = (ctx.app, ctx.app.clock.now());
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    conn.transaction(async |conn| {
        if let Some(refund) = stars::refunded(conn, payment, now).await? {
            super::queue_refund(conn, app, &Withdrawal::Access(refund), LABEL).await?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .await
    .map_err(DbError::from)?;
    app.courier.notify_one();
    Ok(Ok(()))
}

/// Stops a Stars subscription from renewing (`editUserStarSubscription`); access runs to
/// what was paid.
pub async fn stop_renewal(
    ctx: &HandlerContext<'_>,
    sub: &star_subs::StarSubscription,
) -> Result<Result<(), StarsCallError>, HandlerError> {
    let (seller, customer) = parties(ctx, sub.user_bot_id, sub.end_user_id).await?;
    if let Err(e) = ctx.platform.stop_star_renewal(seller, customer, &sub.first_charge_id).await {
        return Ok(Err(e));
    }
    let (app, now) = (ctx.app, ctx.app.clock.now());
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    conn.transaction(async |conn| {
        if let Some(stopped) = star_subs::change_state(conn, sub.id, "canceled", now).await? {
            tell_stopped(conn, app, &stopped, seller, customer).await?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .await
    .map_err(DbError::from)?;
    app.courier.notify_one();
    Ok(Ok(()))
}

/// The customer hears, once, that the seller stopped their subscription renewing and until
/// when access runs (queued with the change).
async fn tell_stopped(
    conn: &mut diesel_async::AsyncPgConnection,
    app: &crate::state::AppState,
    sub: &star_subs::StarSubscription,
    seller: i64,
    customer: i64,
) -> diesel::QueryResult<()> {
    let user = end_users::find(conn, sub.end_user_id).await?;
    let Some(chat) = crate::db::channels::find(conn, sub.channel_id).await? else { return Ok(()) };
    let lang = user.and_then(|u| u.language).and_then(|l| l.parse().ok()).unwrap_or(crate::i18n::Lang::Uz);
    let title = crate::handlers::common::chat_label(&chat.kind, &chat.title);
    let date = crate::handlers::common::date_text(sub.paid_until, app.settings.timezone);
    let text = app.i18n.tr(lang, "stars-sub-stopped", &[("title", &title), ("date", &date)]);
    let told = Effect::AsBot {
        telegram_bot_id: seller,
        effects: vec![Effect::Send { chat_id: customer, text, keyboard: None }],
    };
    let key = format!("starsub:{}:stopped:customer", sub.id);
    crate::db::deliveries::enqueue(conn, &key, (app.settings.bot_token.bot_id(), customer), &told, app.clock.now())
        .await
        .map(drop)
}

/// The seller bot's and the customer's Telegram ids.
async fn parties(ctx: &HandlerContext<'_>, user_bot_id: i64, end_user_id: i64) -> Result<(i64, i64), HandlerError> {
    let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
    let seller = user_bots::find(&mut conn, user_bot_id).await?.map(|b| b.telegram_bot_id).unwrap_or_default();
    let customer = end_users::find(&conn, end_user_id).await?.map(|u| u.telegram_id).unwrap_or_default();
    Ok((seller, customer))
}
