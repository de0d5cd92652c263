//! Telegram Stars: invoices in XTR (`sendInvoice`, `createInvoiceLink` with a 30-day
//! `subscription_period`), the checkout (`pre_checkout_query` answered within 10 seconds, then
//! `successful_payment`), renewals charged on the simulator's clock, refunds, subscription
//! changes and `getStarTransactions`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::simulator::api::ApiError;
use crate::simulator::methods::Ctx;
use crate::simulator::state::{now, random_string, user_json, State};
use crate::simulator::types::{Delivery, SentMessage, SimError, SimUser};
use crate::simulator::Simulator;

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

/// Stars state of the whole simulated world.
#[derive(Default)]
pub(crate) struct StarsState {
    /// Invoice messages by (bot, chat, message id), and invoice links by URL.
    invoices: HashMap<(i64, i64, i64), Invoice>,
    links: HashMap<String, Invoice>,
    /// Open pre-checkout queries: id → (deadline, answer).
    queries: HashMap<String, (Instant, Option<Result<(), String>>)>,
    /// Every payment, in order.
    pub payments: Vec<StarPayment>,
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
    let (deadline, answer) = cx.st.stars.queries.get_mut(&id).ok_or_else(late)?;
    if answer.is_some() || Instant::now() > *deadline {
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
    let Some((end, _)) = payment.subscription else { return Err(ApiError::bad("SUBSCRIPTION_NOT_FOUND")) };
    payment.subscription = Some((end, canceled));
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
            "source": {"type": "user", "user": user, "invoice_payload": p.payload}}));
        if p.refunded {
            all.push(json!({"id": p.charge_id, "amount": p.amount, "date": p.date,
                "receiver": {"type": "user", "user": user}}));
        }
    }
    Ok(json!({"transactions": all.into_iter().skip(offset).take(limit).collect::<Vec<_>>()}))
}

impl Simulator {
    /// The invoice under a bot's message in the user's chat, if any.
    pub fn invoice(&self, bot_id: i64, chat_id: i64, message_id: i64) -> Option<Invoice> {
        self.inner.lock().stars.invoices.get(&(bot_id, chat_id, message_id)).cloned()
    }

    /// Every Stars payment recorded so far.
    pub fn star_payments(&self) -> Vec<StarPayment> {
        self.inner.lock().stars.payments.clone()
    }

    /// The user pays the invoice under `message_id` (or behind `link`): the bot gets a
    /// `pre_checkout_query` and has 10 seconds to accept it; then `successful_payment`.
    pub async fn pay_invoice(&self, bot_id: i64, user: &SimUser, message_id: i64) -> Result<Checkout, SimError> {
        let invoice = self.invoice(bot_id, user.id, message_id).ok_or(SimError::NoMessage(message_id))?;
        self.checkout(user, invoice).await
    }

    /// Like [`pay_invoice`](Self::pay_invoice) for an invoice link (a subscription's).
    pub async fn pay_invoice_link(&self, user: &SimUser, link: &str) -> Result<Checkout, SimError> {
        let invoice = self.inner.lock().stars.links.get(link).cloned();
        self.checkout(user, invoice.ok_or_else(|| SimError::Invalid(format!("no invoice link {link}")))?).await
    }

    async fn checkout(&self, user: &SimUser, invoice: Invoice) -> Result<Checkout, SimError> {
        let query_id = format!("{}{}", now(), random_string(10));
        let out = {
            let mut st = self.inner.lock();
            st.users.entry(user.id).or_insert_with(|| user.clone());
            st.stars.queries.insert(query_id.clone(), (Instant::now() + PRE_CHECKOUT_DEADLINE, None));
            let payload = json!({"id": query_id, "from": user_json(user), "currency": "XTR",
                "total_amount": invoice.amount, "invoice_payload": invoice.payload});
            st.make_update(invoice.bot_id, "pre_checkout_query", payload)?
        };
        let _ = self.post_all(vec![out]).await;
        let answered = |s: &Simulator| s.inner.lock().stars.queries.get(&query_id).is_some_and(|q| q.1.is_some());
        // Counted from when the query was sent, as Telegram does.
        self.wait_for(PRE_CHECKOUT_DEADLINE, answered).await;
        let answer = self.inner.lock().stars.queries.get(&query_id).and_then(|q| q.1.clone());
        match answer {
            None => Ok(Checkout::TimedOut),
            Some(Err(message)) => Ok(Checkout::Declined(message)),
            Some(Ok(())) => {
                let end = invoice.subscription_period.map(|period| now() + period);
                let (charge_id, out) = self.inner.lock().charge(user, &invoice, end, None)?;
                Ok(Checkout::Paid { charge_id, delivery: self.post_all(vec![out]).await.remove(0) })
            }
        }
    }

    /// The simulator's clock reached `at` (Unix time): every subscription whose paid period
    /// ended by then and whose renewal is not stopped is charged again (a new
    /// `successful_payment`, `is_recurring`, the period extended), or, for the users listed in
    /// `failing`, fails (`subscription` update, state `failed`). Returns the deliveries.
    pub async fn renew_star_subscriptions(&self, at: i64, failing: &[i64]) -> Result<Vec<Delivery>, SimError> {
        let out = {
            let mut st = self.inner.lock();
            let due: Vec<StarPayment> = st
                .stars
                .payments
                .iter()
                .filter(|p| !p.refunded && !p.renewed)
                .filter(|p| p.subscription.is_some_and(|(end, stopped)| end <= at && !stopped))
                .cloned()
                .collect();
            let mut out = Vec::new();
            for p in due {
                let invoice = Invoice {
                    bot_id: p.bot_id,
                    title: String::new(),
                    payload: p.payload.clone(),
                    amount: p.amount,
                    subscription_period: Some(SUBSCRIPTION_PERIOD),
                };
                let user = st.users.get(&p.user_id).cloned().ok_or(SimError::Invalid("unknown payer".into()))?;
                let (end, _) = p.subscription.unwrap_or_default();
                // This period is settled either way: it is not charged again.
                if let Some(old) = st.stars.payments.iter_mut().find(|q| q.charge_id == p.charge_id) {
                    old.renewed = true;
                }
                // Telegram charges whether or not the bot takes the update.
                if failing.contains(&p.user_id) {
                    let update = json!({"user": user_json(&user), "invoice_payload": p.payload, "state": "failed"});
                    out.extend(st.make_update(p.bot_id, "subscription", update).ok());
                } else {
                    let end = Some(end + SUBSCRIPTION_PERIOD);
                    out.extend(st.charge(&user, &invoice, end, Some(&p.charge_id)).ok().map(|(_, o)| o));
                }
            }
            out
        };
        Ok(self.post_all(out).await)
    }

    /// The user cancels (or re-enables) their Stars subscription in Telegram: renewal stops
    /// (or resumes) and the bot gets a `subscription` update.
    pub async fn user_cancels_subscription(
        &self,
        bot_id: i64,
        user: &SimUser,
        charge_id: &str,
        canceled: bool,
    ) -> Result<Delivery, SimError> {
        let out = {
            let mut st = self.inner.lock();
            let payment = st
                .stars
                .payments
                .iter_mut()
                .find(|p| p.charge_id == charge_id && p.user_id == user.id && p.bot_id == bot_id)
                .ok_or_else(|| SimError::Invalid(format!("no charge {charge_id}")))?;
            let (end, _) = payment.subscription.ok_or_else(|| SimError::Invalid("not a subscription".into()))?;
            payment.subscription = Some((end, canceled));
            let payload = payment.payload.clone();
            let state = if canceled { "canceled" } else { "active" };
            st.make_update(
                bot_id,
                "subscription",
                json!({"user": user_json(user), "invoice_payload": payload, "state": state}),
            )?
        };
        Ok(self.post_all(vec![out]).await.remove(0))
    }
}

impl State {
    /// Records a charge and builds its `successful_payment` message for the bot.
    fn charge(
        &mut self,
        user: &SimUser,
        invoice: &Invoice,
        end: Option<i64>,
        renews: Option<&str>,
    ) -> Result<(String, crate::simulator::delivery::Outgoing), SimError> {
        let charge_id = format!("stxsim{}", random_string(24));
        self.stars.payments.push(StarPayment {
            charge_id: charge_id.clone(),
            bot_id: invoice.bot_id,
            user_id: user.id,
            amount: invoice.amount,
            payload: invoice.payload.clone(),
            date: now(),
            refunded: false,
            subscription: end.map(|end| (end, false)),
            renewed: false,
        });
        let mut payload = self.user_service_message(invoice.bot_id, user);
        let mut paid = json!({"currency": "XTR", "total_amount": invoice.amount,
            "invoice_payload": invoice.payload, "telegram_payment_charge_id": charge_id,
            "provider_payment_charge_id": ""});
        if let Some(end) = end {
            paid["subscription_expiration_date"] = json!(end);
            paid["is_recurring"] = json!(true);
            paid["is_first_recurring"] = json!(renews.is_none());
        }
        payload["successful_payment"] = paid;
        Ok((charge_id, self.make_update(invoice.bot_id, "message", payload)?))
    }
}
