//! The simulated user's side of Telegram Stars: paying an invoice or an invoice link (the
//! `pre_checkout_query` and its 10-second deadline, then `successful_payment`), renewals
//! charged when the clock reaches a subscription's end, and cancelling in Telegram.

use serde_json::json;

use crate::simulator::stars::{Checkout, Invoice, StarPayment, PRE_CHECKOUT_DEADLINE, SUBSCRIPTION_PERIOD};
use crate::simulator::state::{now, random_string, user_json, State};
use crate::simulator::types::{Delivery, SimError, SimUser};
use crate::simulator::Simulator;

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

    /// The bot's owner refunds a charge outside Getolog (another tool with the same token):
    /// Telegram's records change, and the bot gets no update.
    pub fn refund_elsewhere(&self, charge_id: &str) -> Result<(), SimError> {
        let mut st = self.inner.lock();
        let charge = st.stars.payments.iter_mut().find(|p| p.charge_id == charge_id);
        charge.map(|p| p.refunded = true).ok_or_else(|| SimError::Invalid(format!("no charge {charge_id}")))
    }

    /// Payments, renewals and the 10-second deadline follow `clock` from now on (a test's
    /// injected clock, shared with the service), not the system clock.
    pub fn use_clock_for_stars(&self, clock: crate::clock::SharedClock) {
        self.inner.lock().stars.clock = Some(clock);
    }

    async fn checkout(&self, user: &SimUser, invoice: Invoice) -> Result<Checkout, SimError> {
        let query_id = format!("{}{}", now(), random_string(10));
        let deadline = self.inner.lock().stars.now() + PRE_CHECKOUT_DEADLINE;
        let out = {
            let mut st = self.inner.lock();
            st.users.entry(user.id).or_insert_with(|| user.clone());
            st.stars.queries.insert(query_id.clone(), (deadline, None));
            let payload = json!({"id": query_id, "from": user_json(user), "currency": "XTR",
                "total_amount": invoice.amount, "invoice_payload": invoice.payload});
            st.make_update(invoice.bot_id, "pre_checkout_query", payload)?
        };
        let _ = self.post_all(vec![out]).await;
        // Counted from when the query was sent, as Telegram does, on the stars clock.
        let settled = |s: &Simulator| {
            let st = s.inner.lock();
            st.stars.queries.get(&query_id).is_some_and(|q| q.1.is_some()) || st.stars.now() > deadline
        };
        self.wait_for(PRE_CHECKOUT_DEADLINE, settled).await;
        let answer = self.inner.lock().stars.queries.get(&query_id).and_then(|q| q.1.clone());
        match answer {
            None => Ok(Checkout::TimedOut),
            Some(Err(message)) => Ok(Checkout::Declined(message)),
            Some(Ok(())) => {
                let end = invoice.subscription_period.map(|period| self.inner.lock().stars.now().timestamp() + period);
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
            if payment.subscription.is_none() {
                return Err(SimError::Invalid("not a subscription".into()));
            }
            let payload = payment.payload.clone();
            st.stars.set_stopped(bot_id, user.id, &payload, canceled);
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
            date: self.stars.now().timestamp(),
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
