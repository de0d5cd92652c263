//! Telegram Stars through teloxide-core's own methods: invoices in XTR (a one-off
//! `sendInvoice`, or a monthly subscription's `createInvoiceLink` with its 30-day
//! `subscription_period` sent as a link button), the answer to `pre_checkout_query`, refunds,
//! stopping renewal, and the bot's Star transactions. The `subscription` update (Bot API 10.2)
//! is unknown to teloxide-core and read from the raw update (see `managed::keep_unknown`).

use serde::{Deserialize, Serialize};
use teloxide_core::{
    payloads::{AnswerPreCheckoutQuerySetters, CreateInvoiceLinkSetters},
    requests::Requester,
    types::{ChatId, LabeledPrice, PreCheckoutQueryId, Seconds, TelegramTransactionId, Update, User, UserId},
    Bot, RequestError,
};

/// Telegram's only subscription period: 30 days.
pub const SUBSCRIPTION_PERIOD: Seconds = Seconds::from_seconds(2_592_000);

/// An invoice in Stars for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarsInvoice {
    /// The customer's private chat with the seller bot.
    pub chat_id: i64,
    /// Title (1–32 characters).
    pub title: String,
    /// Description (1–255 characters).
    pub description: String,
    /// The order (see `services::stars::payload_of`).
    pub payload: String,
    /// Stars.
    pub stars: u32,
    /// For a monthly subscription: the message and the button label carrying its link.
    pub monthly: Option<(String, String)>,
}

/// Sends the invoice: a one-off as an invoice message, a subscription as a message with a
/// button to its invoice link. Returns the message id.
pub async fn send_invoice(bot: &Bot, invoice: StarsInvoice) -> Result<i32, RequestError> {
    let price = vec![LabeledPrice::new(invoice.title.clone(), invoice.stars)];
    let (title, description, payload) = (invoice.title, invoice.description, invoice.payload);
    let Some((text, button)) = invoice.monthly else {
        let sent = bot.send_invoice(ChatId(invoice.chat_id), title, description, payload, "XTR", price).await?;
        return Ok(sent.id.0);
    };
    let link = bot
        .create_invoice_link(title, description, payload, "XTR", price)
        .subscription_period(SUBSCRIPTION_PERIOD)
        .await?;
    let url = match link.parse() {
        Ok(url) => url,
        Err(_) => {
            let source = <serde_json::Error as serde::de::Error>::custom("the invoice link is not a URL");
            return Err(RequestError::InvalidJson { source: std::sync::Arc::new(source), raw: link.into_boxed_str() });
        }
    };
    let keyboard =
        teloxide_core::types::InlineKeyboardMarkup::new([[teloxide_core::types::InlineKeyboardButton::url(
            button, url,
        )]]);
    use teloxide_core::payloads::SendMessageSetters;
    Ok(bot.send_message(ChatId(invoice.chat_id), text).reply_markup(keyboard).await?.id.0)
}

/// Answers a `pre_checkout_query`: `ok`, or declined with the customer's message.
pub async fn answer_pre_checkout(bot: &Bot, query_id: String, error: Option<String>) -> Result<(), RequestError> {
    let request = bot.answer_pre_checkout_query(PreCheckoutQueryId(query_id), error.is_none());
    match error {
        Some(message) => request.error_message(message).await.map(drop),
        None => request.await.map(drop),
    }
}

/// `refundStarPayment`.
pub async fn refund(bot: &Bot, user_id: i64, charge_id: &str) -> Result<(), RequestError> {
    bot.refund_star_payment(UserId(user_id as u64), TelegramTransactionId(charge_id.to_owned())).await.map(drop)
}

/// `editUserStarSubscription`: stops renewal (`canceled`) or allows it again.
pub async fn set_renewal_stopped(bot: &Bot, user_id: i64, charge_id: &str, canceled: bool) -> Result<(), RequestError> {
    let charge = TelegramTransactionId(charge_id.to_owned());
    bot.edit_user_star_subscription(UserId(user_id as u64), charge, canceled).await.map(drop)
}

/// One Star transaction as reconciliation needs it: the charge it names, and whether Stars
/// came in (a customer's payment) or went out (a refund).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarMove {
    /// The `telegram_payment_charge_id` (a refund carries its charge's id).
    pub charge_id: String,
    /// Stars came in (`source`), or went out (`receiver`).
    pub incoming: bool,
}

/// `getStarTransactions` read loosely (only `id`, `source` and `receiver`), so a kind of
/// partner teloxide-core does not know yet cannot break reconciliation.
#[derive(Debug, Clone, Serialize)]
struct GetStarTransactions {
    offset: u32,
    limit: u32,
}

impl teloxide_core::requests::Payload for GetStarTransactions {
    type Output = serde_json::Value;
    const NAME: &'static str = "getStarTransactions";
}

/// The bot's Star transactions, oldest first, every page of them.
pub async fn transactions(bot: &Bot) -> Result<Vec<StarMove>, RequestError> {
    const PAGE: u32 = 100;
    let mut all = Vec::new();
    loop {
        let page = super::managed::call(bot, GetStarTransactions { offset: all.len() as u32, limit: PAGE }).await?;
        let page = page["transactions"].as_array().cloned().unwrap_or_default();
        let last = page.len() < PAGE as usize;
        all.extend(page.iter().filter_map(|t| {
            let charge_id = t["id"].as_str()?.to_owned();
            Some(StarMove { charge_id, incoming: t.get("source").is_some_and(|s| !s.is_null()) })
        }));
        if last || page.is_empty() {
            return Ok(all);
        }
    }
}

/// Whether a refund failed only because the charge was refunded already (a second press).
pub fn already_refunded(error: &RequestError) -> bool {
    matches!(error, RequestError::Api(teloxide_core::ApiError::Unknown(text)) if text.contains("CHARGE_ALREADY_REFUNDED"))
}

/// The `subscription` update: a customer cancelled, re-enabled or failed to pay.
#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionUpdated {
    /// The subscriber.
    pub user: User,
    /// The subscription's invoice payload.
    pub invoice_payload: String,
    /// `canceled`, `active` or `failed`.
    pub state: String,
}

/// The `subscription` field of an update kept by `managed::keep_unknown`.
pub fn subscription_update(update: &Update) -> Option<SubscriptionUpdated> {
    super::managed::unknown_field(update, "subscription")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscription_update_is_kept_and_read() {
        let body = br#"{"update_id": 9, "subscription": {
            "user": {"id": 42, "is_bot": false, "first_name": "Ali"},
            "invoice_payload": "order:7", "state": "canceled"}}"#;
        let mut update: Update = serde_json::from_slice(body).unwrap();
        super::super::managed::keep_unknown(&mut update, body);
        let changed = subscription_update(&update).unwrap();
        assert_eq!(
            (changed.user.id.0, changed.invoice_payload.as_str(), changed.state.as_str()),
            (42, "order:7", "canceled")
        );
    }
}
