//! Selling for Telegram Stars: the owner's price in Stars, the customer's order (a 1-month chat
//! is sold as a Telegram subscription that renews every 30 days; longer periods and lifetime
//! are one-off invoices), the check before Telegram charges (`pre_checkout_query`), the grant
//! of each charge exactly once (its `telegram_payment_charge_id` is unique in `payments`), the
//! subscription's changes, and refunds. Knows no Telegram: the handlers bring the update's
//! fields and carry out the calls.

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

mod reconcile;

pub use reconcile::{reconcile, recorded, sellers, Reconciliation, Seller};

use super::paid_orders::{self, AccessPayment, Grant, PayError, Refund, Unpayable};
use crate::db::{
    bot_settings, channels::Channel, end_users::EndUser, orders, owner_directory, payment_accounts::Merchant,
    payments::Payment, schema::payments, star_subscriptions as star_subs,
};

/// The fewest Stars an invoice may ask.
pub const MIN_STARS: i32 = 1;
/// The most Stars an invoice may ask.
pub const MAX_STARS: i32 = 10_000;
/// Days between a Stars subscription's charges (Telegram's only period: 2,592,000 s).
pub const SUBSCRIPTION_DAYS: i32 = 30;
/// The method's code in `payments.payment_method` and the bot's method list.
pub const METHOD: &str = "stars";

/// Why a price in Stars was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    /// Not a whole number.
    #[error("not a whole number of Stars")]
    NotWhole,
    /// Outside Telegram's limits.
    #[error("outside 1..=10000 Stars")]
    OutOfRange,
}

impl PriceError {
    /// Fluent key of the owner's explanation.
    pub fn message_key(self) -> &'static str {
        match self {
            PriceError::NotWhole => "stars-price-not-whole",
            PriceError::OutOfRange => "stars-price-range",
        }
    }
}

/// Reads an owner's price in Stars: a whole number within Telegram's limits (spaces and a
/// trailing ⭐ are allowed).
pub fn parse_price(text: &str) -> Result<i32, PriceError> {
    let digits: String = text.trim().trim_end_matches('⭐').chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(PriceError::NotWhole);
    }
    let stars: i64 = digits.parse().map_err(|_| PriceError::OutOfRange)?;
    i32::try_from(stars).ok().filter(|s| (MIN_STARS..=MAX_STARS).contains(s)).ok_or(PriceError::OutOfRange)
}

/// Whether a chat of `months` is sold as a renewing subscription (1 month) or a one-off.
pub fn renews(months: i32) -> bool {
    months == 1
}

/// The invoice payload naming an order.
pub fn payload_of(order_id: i64) -> String {
    format!("order:{order_id}")
}

/// The order an invoice payload names.
pub fn order_of(payload: &str) -> Option<i64> {
    payload.strip_prefix("order:")?.parse().ok()
}

/// The customer's open Stars order for `chat` at its current Stars price (`None` when the chat
/// has none).
pub async fn order_for(
    conn: &mut AsyncPgConnection,
    user: &EndUser,
    chat: &Channel,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<orders::Order>> {
    let Some(stars) = chat.price_stars else { return Ok(None) };
    let months = chat.duration_months;
    let terms = orders::Terms { amount: stars.into(), currency: "XTR", months, renews: renews(months) };
    Ok(Some(orders::open_for(conn, (user.id, chat.user_bot_id, chat.id), terms, now).await?))
}

/// Why a checkout is declined (each has a message in the customer's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Decline {
    /// Not an open order of this bot for this customer, or not this amount.
    #[error("the invoice is no longer valid")]
    Stale,
    /// The chat is no longer sold (or not for Stars).
    #[error("the chat is no longer sold")]
    NotSold,
    /// The Stars price changed since the invoice.
    #[error("the price changed")]
    PriceChanged,
    /// The owner banned the customer.
    #[error("the customer is banned")]
    Banned,
    /// A moderator closed the shop.
    #[error("the shop is closed")]
    ShopClosed,
}

impl Decline {
    /// Fluent key of the customer's explanation.
    pub fn message_key(self) -> &'static str {
        match self {
            Decline::Stale => "stars-declined-stale",
            Decline::NotSold => "stars-declined-not-sold",
            Decline::PriceChanged => "stars-declined-price",
            Decline::Banned => "banned-notice",
            Decline::ShopClosed => "shop-closed",
        }
    }
}

/// What a `pre_checkout_query` asks: the bot, its owner, the payer, and the invoice's terms.
#[derive(Debug, Clone, Copy)]
pub struct Checkout<'a> {
    /// The seller bot (`user_bots.id`) and its owner (`user_admins.id`).
    pub bot: (i64, i64),
    /// The payer's Telegram id.
    pub payer: i64,
    /// The invoice payload.
    pub payload: &'a str,
    /// The currency and amount Telegram is about to charge.
    pub amount: (&'a str, i64),
}

/// Whether Telegram may charge: an open Stars order of this bot and this customer, at its
/// amount, for a chat still sold for Stars at that price, in an open shop, to a customer who
/// is not banned.
pub async fn check(conn: &mut AsyncPgConnection, checkout: &Checkout<'_>) -> Result<(), CheckError> {
    let (user_bot_id, owner_id) = checkout.bot;
    if owner_directory::is_banned(conn, owner_id).await? {
        return Err(Decline::ShopClosed.into());
    }
    let order_id = order_of(checkout.payload).ok_or(Decline::Stale)?;
    let (currency, amount) = checkout.amount;
    // Only reads: the order is not locked (a lock would make this a write waiting for the disk).
    let order = match paid_orders::payable_now(conn, Merchant::Seller(user_bot_id), order_id, amount).await {
        Ok(order) => order,
        Err(PayError::Storage(e)) => return Err(e.into()),
        Err(PayError::Unpayable(Unpayable::NotServed)) => {
            let banned = customer_banned(conn, order_id).await?;
            return Err(if banned { Decline::Banned } else { Decline::NotSold }.into());
        }
        Err(PayError::Unpayable(_)) => return Err(Decline::Stale.into()),
    };
    let orders::Goods::Access { end_user_id, channel_id, .. } = order.goods else { return Err(Decline::Stale.into()) };
    let payer = crate::db::end_users::find(conn, end_user_id).await?.map(|u| u.telegram_id);
    if order.currency != "XTR" || currency != "XTR" || payer != Some(checkout.payer) {
        return Err(Decline::Stale.into());
    }
    let bot = bot_settings::find(conn, user_bot_id).await?;
    if !bot.is_some_and(|b| b.methods().any(|m| m == METHOD)) {
        return Err(Decline::NotSold.into());
    }
    let chat = crate::db::channels::find(conn, channel_id).await?.ok_or(Decline::NotSold)?;
    match chat.price_stars {
        None => Err(Decline::NotSold.into()),
        Some(stars) if i64::from(stars) != order.amount_tiyin || chat.duration_months != order.duration_months => {
            Err(Decline::PriceChanged.into())
        }
        Some(_) => Ok(()),
    }
}

async fn customer_banned(conn: &mut AsyncPgConnection, order_id: i64) -> diesel::QueryResult<bool> {
    let Some(order) = orders::find(conn, order_id).await? else { return Ok(false) };
    let orders::Goods::Access { end_user_id, .. } = order.goods else { return Ok(false) };
    Ok(crate::db::end_users::find(conn, end_user_id).await?.is_some_and(|u| u.banned))
}

/// A declined checkout or a storage failure.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// Declined, with a reason for the customer.
    #[error(transparent)]
    Declined(#[from] Decline),
    /// Storage failed (the query is left unanswered rather than declined wrongly).
    #[error(transparent)]
    Storage(#[from] diesel::result::Error),
}

/// A `successful_payment` in Stars, as the handler read it.
#[derive(Debug, Clone)]
pub struct Charge<'a> {
    /// The seller bot (`user_bots.id`).
    pub user_bot_id: i64,
    /// The invoice payload.
    pub payload: &'a str,
    /// Stars charged.
    pub stars: i64,
    /// `telegram_payment_charge_id`: the idempotency key.
    pub charge_id: &'a str,
    /// For a subscription: how far this charge pays, and whether it is a renewal.
    pub subscription: Option<(DateTime<Utc>, bool)>,
}

/// Grants a Stars charge, once per charge id: the first charge of an order pays it (a
/// subscription's first charge also records the subscription), a renewal extends the
/// subscription's access to its new end. A charge seen before gives what it gave, as it reads
/// now (its notices are keyed, so they go out once). `None` for a payload this bot does not
/// know (the charge is kept by Telegram; nothing is granted).
pub async fn grant(
    conn: &mut AsyncPgConnection,
    charge: &Charge<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Grant>, PayError> {
    if let Some(payment) = by_charge(conn, charge.charge_id).await? {
        let approval = super::purchases::approval_of(conn, &payment).await?;
        return Ok(approval.map(|a| Grant::Access(Box::new(a))));
    }
    let Some(order_id) = order_of(charge.payload) else { return Ok(None) };
    let Some(order) = orders::lock_of(conn, Merchant::Seller(charge.user_bot_id), order_id).await? else {
        return Ok(None);
    };
    let orders::Goods::Access { user_bot_id, end_user_id, channel_id } = order.goods else { return Ok(None) };
    let until = charge.subscription.map(|(end, _)| (end, SUBSCRIPTION_DAYS));
    let renewal = charge.subscription.is_some_and(|(_, renewal)| renewal);
    if order.status == "open" && !renewal {
        let grant = paid_orders::pay_until(conn, &order, (METHOD, charge.charge_id), until, now).await?;
        if let Some((end, _)) = charge.subscription {
            star_subs::begin(conn, (order.id, user_bot_id, end_user_id, channel_id), charge.charge_id, end, now)
                .await?;
        }
        return Ok(Some(grant));
    }
    // A renewal, or a charge for an order paid or given up meanwhile: Telegram took the Stars,
    // so the customer gets what they paid for (the payment names no order).
    let paid = AccessPayment {
        goods: (user_bot_id, end_user_id, channel_id),
        amount: charge.stars.into(),
        currency: "XTR",
        months: order.duration_months,
        charge: (METHOD, charge.charge_id),
        order_id: None,
        until,
    };
    let approval = paid_orders::grant_access(conn, &paid, now).await?;
    match charge.subscription {
        Some((end, true)) => {
            if let Some(sub) = star_subs::by_order(conn, order.id).await? {
                star_subs::renewed(conn, sub.id, end, now).await?;
                star_subs::change_state(conn, sub.id, "active", now).await?;
            }
        }
        Some((end, false)) => {
            star_subs::begin(conn, (order.id, user_bot_id, end_user_id, channel_id), charge.charge_id, end, now)
                .await?;
        }
        None => {}
    }
    Ok(Some(Grant::Access(Box::new(approval))))
}

/// The Stars payment of a charge, if granted before.
pub async fn by_charge(conn: &mut AsyncPgConnection, charge_id: &str) -> diesel::QueryResult<Option<Payment>> {
    payments::table
        .filter(payments::payment_method.eq(METHOD))
        .filter(payments::provider_transaction.eq(charge_id))
        .select(Payment::as_returning())
        .first(conn)
        .await
        .optional()
}

/// A `subscription` update: the customer cancelled, re-enabled, or failed to pay the
/// subscription `payload` names. The new state, when it changed (a repeat changes nothing).
/// Access is untouched: it runs to what was paid, then expires as any other.
pub async fn subscription_changed(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    payload: &str,
    state: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<star_subs::StarSubscription>> {
    let state = match state {
        "canceled" | "cancelled" => "canceled",
        "active" => "active",
        "failed" => "failed",
        _ => return Ok(None),
    };
    let Some(sub) = subscription_of(conn, user_bot_id, payload).await? else { return Ok(None) };
    star_subs::change_state(conn, sub.id, state, now).await
}

/// The bot's subscription an invoice payload names, locked.
pub async fn subscription_of(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    payload: &str,
) -> diesel::QueryResult<Option<star_subs::StarSubscription>> {
    let Some(order_id) = order_of(payload) else { return Ok(None) };
    Ok(star_subs::by_order(conn, order_id).await?.filter(|s| s.user_bot_id == user_bot_id))
}

/// Records a refund Telegram made (`refundStarPayment` succeeded, or said it was refunded
/// already): the payment is withdrawn once, and its subscription, if any, stops renewing.
/// `None` when it was refunded before.
pub async fn refunded(
    conn: &mut AsyncPgConnection,
    payment: &Payment,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<Refund>> {
    let refund = paid_orders::refund_payment(conn, payment.id, now).await?;
    if refund.is_some() {
        if let Some(sub) = star_subs::of_customer(conn, payment.end_user_id, payment.channel_id).await? {
            star_subs::change_state(conn, sub.id, "canceled", now).await?;
        }
    }
    Ok(refund)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stars_price_is_a_whole_number_within_telegrams_limits() {
        assert_eq!(parse_price("250"), Ok(250));
        assert_eq!(parse_price(" 1 000 ⭐"), Ok(1000));
        assert_eq!(parse_price("10000"), Ok(10_000));
        assert_eq!(parse_price("1"), Ok(1));
        assert_eq!(parse_price("0"), Err(PriceError::OutOfRange));
        assert_eq!(parse_price("10001"), Err(PriceError::OutOfRange));
        assert_eq!(parse_price("99999999999999999999"), Err(PriceError::OutOfRange));
        assert_eq!(parse_price("2.5"), Err(PriceError::NotWhole));
        assert_eq!(parse_price("-5"), Err(PriceError::NotWhole));
        assert_eq!(parse_price("many"), Err(PriceError::NotWhole));
        assert_eq!(parse_price(""), Err(PriceError::NotWhole));
    }

    #[test]
    fn one_month_renews_and_longer_periods_are_bought_once() {
        assert!(renews(1));
        assert!(!renews(6));
        assert!(!renews(12));
        assert!(!renews(0), "lifetime");
    }

    #[test]
    fn the_payload_names_the_order_and_nothing_else() {
        assert_eq!(order_of(&payload_of(42)), Some(42));
        assert_eq!(order_of("order:x"), None);
        assert_eq!(order_of("42"), None);
        assert!(payload_of(i64::MAX).len() <= 128, "Telegram's payload limit");
    }
}
