//! Telegram Stars: invoices in XTR (`sendInvoice`, `createInvoiceLink` with a 30-day
//! `subscription_period`), the checkout (`pre_checkout_query` answered within 10 seconds, then
//! `successful_payment`), renewals charged on the simulator's clock, refunds, subscription
//! changes and `getStarTransactions`.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use serde_json::{json, Value};

use crate::simulator::api::ApiError;
use crate::simulator::methods::Ctx;
use crate::simulator::state::random_string;
use crate::simulator::types::{Delivery, SentMessage};

/// How long Telegram waits for `answerPreCheckoutQuery`.
pub const PRE_CHECKOUT_DEADLINE: Duration = Duration::from_secs(10);
/// The only subscription period Telegram accepts (30 days).
pub const SUBSCRIPTION_PERIOD: i64 = 2_592_000;
/// The most Stars one invoice may ask.
pub const MAX_STARS: i64 = 10_000;

/// What an invoice asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    /// The bot that asks.
    pub bot_id: i64,
    /// Its title.
    pub title: String,
    /// The bot's payload (the order).
    pub payload: String,
    /// Stars.
    pub amount: i64,
    /// Seconds between charges, for a subscription.
    pub subscription_period: Option<i64>,
}

/// One Stars payment the simulator recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarPayment {
    /// `telegram_payment_charge_id`.
    pub charge_id: String,
    /// The bot paid.
    pub bot_id: i64,
    /// Who paid.
    pub user_id: i64,
    /// Stars.
    pub amount: i64,
    /// The invoice's payload.
    pub payload: String,
    /// Unix time.
    pub date: i64,
    /// Refunded with `refundStarPayment`.
    pub refunded: bool,
    /// For a subscription: when the paid period ends, and whether renewal is stopped.
    pub subscription: Option<(i64, bool)>,
    /// This period was renewed already (by a later charge, or a failed attempt).
    pub renewed: bool,
}

/// How a checkout ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checkout {
    /// Paid; the bot got `successful_payment` (its delivery).
    Paid {
        /// The new charge.
        charge_id: String,
        /// The `successful_payment` message's delivery.
        delivery: Delivery,
    },
    /// The bot answered `ok: false` with this message (shown to the user).
    Declined(String),
    /// The bot did not answer within 10 seconds; the user was charged nothing.
    TimedOut,
}

/// A bot's answer to a pre-checkout query: accepted, or declined with a message.
pub(super) type Answer = Result<(), String>;

/// Stars state of the whole simulated world.
#[derive(Default)]
pub(crate) struct StarsState {
    /// Invoice messages by (bot, chat, message id), and invoice links by URL.
    pub(super) invoices: HashMap<(i64, i64, i64), Invoice>,
    pub(super) links: HashMap<String, Invoice>,
    /// Open pre-checkout queries: id → (deadline, answer).
    pub(super) queries: HashMap<String, (DateTime<Utc>, Option<Answer>)>,
    /// Every payment, in order.
    pub payments: Vec<StarPayment>,
    /// The clock of payments, renewals and the 10-second deadline (the system clock unless a
    /// test shares its own).
    pub(super) clock: Option<crate::clock::SharedClock>,
}

impl StarsState {
    pub(super) fn now(&self) -> DateTime<Utc> {
        self.clock.as_ref().map(|c| c.now()).unwrap_or_else(Utc::now)
    }

    /// Stops (or resumes) renewal of a subscription: every charge of it (the first and the
    /// renewals share the invoice's payload) carries the flag.
    pub(super) fn set_stopped(&mut self, bot_id: i64, user_id: i64, payload: &str, stopped: bool) {
        let charges =
            self.payments.iter_mut().filter(|p| p.bot_id == bot_id && p.user_id == user_id && p.payload == payload);
        for charge in charges {
            if let Some((end, _)) = charge.subscription {
                charge.subscription = Some((end, stopped));
            }
        }
    }
}

fn invoice_params(cx: &Ctx<'_, '_>) -> Result<Invoice, ApiError> {
    let title = cx.p.str("title").unwrap_or_default();
    if !(1..=32).contains(&title.chars().count()) {
        return Err(ApiError::bad("INVOICE_TITLE_INVALID"));
    }
    if !(1..=255).contains(&cx.p.str("description").unwrap_or_default().chars().count()) {
        return Err(ApiError::bad("INVOICE_DESCRIPTION_INVALID"));
    }
    let payload = cx.p.str("payload").unwrap_or_default();
    if !(1..=128).contains(&payload.len()) {
        return Err(ApiError::bad("INVOICE_PAYLOAD_INVALID"));
    }
    if cx.p.str("currency").as_deref() != Some("XTR") {
        return Err(ApiError::bad("CURRENCY_INVALID"));
    }
    if cx.p.str("provider_token").is_some_and(|t| !t.is_empty()) {
        return Err(ApiError::bad("PROVIDER_TOKEN_INVALID: Stars take no provider token"));
    }
    let prices = cx.p.json("prices")?.and_then(|p| p.as_array().cloned()).unwrap_or_default();
    let amount = match prices.as_slice() {
        [one] => one.get("amount").and_then(Value::as_i64).unwrap_or(0),
        _ => return Err(ApiError::bad("STARS_INVOICE_INVALID: exactly one price is allowed")),
    };
    if !(1..=MAX_STARS).contains(&amount) {
        return Err(ApiError::bad("STARS_INVOICE_INVALID"));
    }
    Ok(Invoice { bot_id: cx.bot_id, title, payload, amount, subscription_period: None })
}

/// `sendInvoice` in Stars.
pub(crate) fn send_invoice(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    let invoice = invoice_params(cx)?;
    crate::simulator::messages::check_can_send(cx.st, cx.bot_id, chat_id)?;
    let text = Some(format!("{} — {} ⭐", invoice.title, invoice.amount));
    let msg = cx.st.push_message(cx.bot_id, SentMessage { text, ..SentMessage::blank(chat_id, true) });
    let mut v = cx.st.message_json(cx.bot_id, &msg);
    v["invoice"] = json!({"title": invoice.title, "description": "", "start_parameter": "",
        "currency": "XTR", "total_amount": invoice.amount});
    cx.st.stars.invoices.insert((cx.bot_id, chat_id, msg.message_id), invoice);
    Ok(v)
}

/// `createInvoiceLink` in Stars, optionally a monthly subscription.
pub(crate) fn create_invoice_link(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let mut invoice = invoice_params(cx)?;
    if let Some(period) = cx.p.i64("subscription_period")? {
        if period != SUBSCRIPTION_PERIOD {
            return Err(ApiError::bad("SUBSCRIPTION_PERIOD_INVALID"));
        }
        invoice.subscription_period = Some(period);
    }
    let link = format!("https://t.me/$sim{}", random_string(16));
    cx.st.stars.links.insert(link.clone(), invoice);
    Ok(json!(link))
}

/// `answerPreCheckoutQuery`: once, within the deadline.
pub(crate) fn answer_pre_checkout(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let id = cx.p.str("pre_checkout_query_id").unwrap_or_default();
    let ok = cx.p.bool("ok");
    let error = cx.p.str("error_message").filter(|e| !e.is_empty());
    if !ok && error.is_none() {
        return Err(ApiError::bad("error_message is required when ok is false"));
    }
    let late = || ApiError::bad("query is too old and response timeout expired or query ID is invalid");
    let now = cx.st.stars.now();
    let (deadline, answer) = cx.st.stars.queries.get_mut(&id).ok_or_else(late)?;
    if answer.is_some() || now > *deadline {
        return Err(late());
    }
    *answer = Some(if ok { Ok(()) } else { Err(error.unwrap_or_default()) });
    Ok(json!(true))
}

/// `refundStarPayment`.
pub(crate) fn refund(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let payment = own_payment(cx)?;
    if payment.refunded {
        return Err(ApiError::bad("CHARGE_ALREADY_REFUNDED"));
    }
    payment.refunded = true;
    Ok(json!(true))
}

/// `editUserStarSubscription`.
pub(crate) fn edit_subscription(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let canceled = cx.p.bool("is_canceled");
    let payment = own_payment(cx)?;
    if payment.subscription.is_none() {
        return Err(ApiError::bad("SUBSCRIPTION_NOT_FOUND"));
    }
    let (bot, user, payload) = (payment.bot_id, payment.user_id, payment.payload.clone());
    cx.st.stars.set_stopped(bot, user, &payload, canceled);
    Ok(json!(true))
}

fn own_payment<'a>(cx: &'a mut Ctx<'_, '_>) -> Result<&'a mut StarPayment, ApiError> {
    let user_id = cx.p.i64("user_id")?.ok_or_else(|| ApiError::bad("parameter \"user_id\" is required"))?;
    let charge = cx.p.str("telegram_payment_charge_id").unwrap_or_default();
    let bot_id = cx.bot_id;
    let payment = cx
        .st
        .stars
        .payments
        .iter_mut()
        .find(|p| p.charge_id == charge && p.bot_id == bot_id && p.user_id == user_id)
        .ok_or_else(|| ApiError::bad("CHARGE_NOT_FOUND"))?;
    Ok(payment)
}

/// `getStarTransactions`: payments in, and refunds out, oldest first.
pub(crate) fn transactions(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let offset = cx.p.i64("offset")?.unwrap_or(0).max(0) as usize;
    let limit = cx.p.i64("limit")?.unwrap_or(100).clamp(1, 100) as usize;
    let mut all = Vec::new();
    for p in cx.st.stars.payments.iter().filter(|p| p.bot_id == cx.bot_id) {
        let user = cx.st.user_json(p.user_id);
        all.push(json!({"id": p.charge_id, "amount": p.amount, "date": p.date,
            "source": {"type": "user", "transaction_type": "invoice_payment", "user": user,
                "invoice_payload": p.payload}}));
        if p.refunded {
            all.push(json!({"id": p.charge_id, "amount": p.amount, "date": p.date,
                "receiver": {"type": "user", "transaction_type": "invoice_payment", "user": user}}));
        }
    }
    Ok(json!({"transactions": all.into_iter().skip(offset).take(limit).collect::<Vec<_>>()}))
}
