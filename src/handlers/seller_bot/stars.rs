//! Paying in Telegram Stars from the seller bot: the Stars button makes (or reuses) the
//! customer's order and sends its invoice (a monthly chat: a subscription link); the
//! `pre_checkout_query` is answered only while Telegram still waits; each `successful_payment`
//! grants once, in one transaction with its notices; a `subscription` update is shown to the
//! customer. The rules are in `services::stars`.

use std::time::Duration;

use diesel_async::AsyncConnection;
use teloxide_core::types::{Message, PreCheckoutQuery};

use super::{shop::load_offer, Customer};
use crate::{
    db::{channels, end_users, DbError},
    handlers::{
        common::{chat_label, date_text, offer_terms},
        paid, Effect, HandlerContext, HandlerError,
    },
    i18n::Lang,
    services::{
        paid_orders::PayError,
        stars::{self, CheckError},
    },
    telegram::stars::{StarsInvoice, SubscriptionUpdated},
};

/// How long after a `pre_checkout_query` first came an answer may still go out: Telegram
/// waits 10 seconds, and the answer needs time to reach it.
const ANSWER_WITHIN: Duration = Duration::from_secs(9);
/// The method's name for people, in notices.
const LABEL: &str = "Telegram Stars";

/// The Stars button: the order and its invoice (or the stale-button toast when the chat is no
/// longer sold for Stars).
pub(super) async fn pay_by_stars(
    customer: &Customer<'_>,
    channel_id: i64,
) -> Result<(Option<String>, Vec<Effect>), HandlerError> {
    let stale = || Ok((Some(customer.t("stale-button")), Vec::new()));
    let Some((_, offer)) = load_offer(customer).await? else { return stale() };
    let Some((chat, _)) = offer.items.iter().find(|(c, _)| c.id == channel_id) else { return stale() };
    let Some(price) = offer.stars_of(chat).filter(|_| offer.missing.is_empty()) else { return stale() };
    let order = {
        let mut conn = customer.conn().await?;
        stars::order_for(&mut conn, &customer.user, chat, customer.ctx.app.clock.now()).await?
    };
    let Some(order) = order else { return stale() };
    let (i18n, lang) = (&customer.ctx.app.i18n, customer.lang);
    let label = chat_label(&chat.kind, &chat.title);
    let terms = offer_terms(i18n, lang, chat, None, Some(price));
    let description = customer.ta("stars-invoice-description", &[("title", &label), ("terms", &terms)]);
    let monthly = order.renews.then(|| {
        let text = customer.ta("shop-stars-subscribe", &[("title", &label), ("id", &order.id.to_string())]);
        (text, customer.ta("button-stars-subscribe", &[("stars", &price.to_string())]))
    });
    let invoice = StarsInvoice {
        chat_id: customer.chat_id,
        title: chat.title.chars().take(32).collect(),
        description: description.chars().take(255).collect(),
        payload: stars::payload_of(order.id),
        stars: price.unsigned_abs(),
        monthly,
    };
    Ok((None, vec![Effect::StarsInvoice(Box::new(invoice))]))
}

/// A `pre_checkout_query`: accepted only for a valid order, declined with a reason in the
/// customer's language, and not answered at all once Telegram stopped waiting (a redelivery
/// learns when the query first came).
pub(super) async fn on_pre_checkout(
    ctx: &HandlerContext<'_>,
    query: &PreCheckoutQuery,
    bot: (i64, i64),
) -> Result<Vec<Effect>, HandlerError> {
    let first = {
        let now = ctx.app.clock.now().timestamp_millis();
        ctx.app.cache.first_seen_at(format_args!("precheckout:{}", query.id.0), now, Duration::from_secs(60)).await?
    };
    let payer = query.from.id.0 as i64;
    let checkout = stars::Checkout {
        bot,
        payer,
        payload: &query.invoice_payload,
        amount: (&query.currency, i64::from(query.total_amount)),
    };
    let (verdict, lang) = {
        let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
        let verdict = stars::check(&mut conn, &checkout).await;
        let user = end_users::by_telegram_id(&mut conn, bot.0, payer).await?;
        let lang = user.and_then(|u| u.language).and_then(|l| l.parse().ok());
        (verdict, lang.unwrap_or_else(|| Lang::from_telegram(query.from.language_code.as_deref())))
    };
    let error = match verdict {
        Ok(()) => None,
        Err(CheckError::Declined(why)) => Some(ctx.app.i18n.tr(lang, why.message_key(), &[])),
        Err(CheckError::Storage(e)) => return Err(DbError::from(e).into()),
    };
    let waited = ctx.app.clock.now().timestamp_millis() - first;
    if waited > ANSWER_WITHIN.as_millis() as i64 {
        tracing::warn!(waited_ms = waited, "pre-checkout query not answered: Telegram stopped waiting");
        return Ok(Vec::new());
    }
    Ok(vec![Effect::AnswerPreCheckout { query_id: query.id.0.clone(), error }])
}

/// A `successful_payment` in Stars: granted once per charge, with its invite and the owner's
/// notice queued in the same transaction.
pub(super) async fn on_paid(
    ctx: &HandlerContext<'_>,
    msg: &Message,
    user_bot_id: i64,
) -> Result<Vec<Effect>, HandlerError> {
    let Some(paid) = msg.successful_payment().filter(|p| p.currency == "XTR") else { return Ok(Vec::new()) };
    let renewal = !paid.is_first_recurring;
    let charge = stars::Charge {
        user_bot_id,
        payload: &paid.invoice_payload,
        stars: i64::from(paid.total_amount),
        charge_id: &paid.telegram_payment_charge_id.0,
        subscription: paid.subscription_expiration_date.map(|end| (end, renewal)),
    };
    let (app, now) = (ctx.app, ctx.app.clock.now());
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    let granted = conn
        .transaction(async |conn| {
            let granted = stars::grant(conn, &charge, now).await;
            if let Ok(Some(grant)) = &granted {
                paid::queue_paid(conn, app, grant, LABEL).await?;
            }
            Ok::<_, diesel::result::Error>(granted)
        })
        .await
        .map_err(DbError::from)?;
    app.courier.notify_one();
    match granted {
        Ok(Some(_)) => Ok(Vec::new()),
        Ok(None) => {
            tracing::warn!(bot = user_bot_id, "a Stars charge for an unknown order was not granted");
            Ok(Vec::new())
        }
        Err(PayError::Unpayable(why)) => {
            tracing::warn!(error = %why, bot = user_bot_id, "a Stars charge could not be granted");
            Ok(Vec::new())
        }
        Err(PayError::Storage(e)) => Err(e.into()),
    }
}

/// A `subscription` update: the customer is told what changed (renewal stopped, on again, or
/// a failed charge) and until when access runs; the owner's statistics count it.
pub(super) async fn on_subscription(
    ctx: &HandlerContext<'_>,
    changed: &SubscriptionUpdated,
    user_bot_id: i64,
) -> Result<Vec<Effect>, HandlerError> {
    let now = ctx.app.clock.now();
    let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
    let Some(sub) =
        stars::subscription_changed(&mut conn, user_bot_id, &changed.invoice_payload, &changed.state, now).await?
    else {
        return Ok(Vec::new());
    };
    let user = end_users::find(&conn, sub.end_user_id).await?;
    let chat = channels::find(&conn, sub.channel_id).await?;
    let (Some(user), Some(chat)) = (user, chat) else { return Ok(Vec::new()) };
    let lang = user.language.as_deref().and_then(|l| l.parse().ok()).unwrap_or(Lang::Uz);
    let key = match sub.state.as_str() {
        "canceled" => "stars-sub-canceled",
        "failed" => "stars-sub-failed",
        _ => "stars-sub-active",
    };
    let date = date_text(sub.paid_until, ctx.app.settings.timezone);
    let text = ctx.app.i18n.tr(lang, key, &[("title", &chat_label(&chat.kind, &chat.title)), ("date", &date)]);
    Ok(vec![Effect::Send { chat_id: user.telegram_id, text, keyboard: None }])
}
