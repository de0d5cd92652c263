//! Webhook (re-)registration, with bounded concurrency so start-up with thousands of bots
//! does not flood Telegram.

use futures_util::{stream, StreamExt};
use teloxide_core::{payloads::SetWebhookSetters, requests::Requester};

use crate::telegram::{
    allowed_updates,
    errors::{classify, TelegramFailure},
    BotClient,
};

/// One bot whose webhook should point at us.
pub struct WebhookTarget {
    /// The bot.
    pub telegram_bot_id: i64,
    /// The incarnation this registration is for (a late failure must not hit a newer one).
    pub generation: u64,
    /// Its client.
    pub client: BotClient,
    /// `SERVER_URL/webhook/{id}`.
    pub url: url::Url,
    /// Its secret.
    pub secret: String,
}

/// Calls `setWebhook` for every target, `concurrency` at a time; returns the failures as
/// (bot id, generation, failure).
pub async fn register_all(targets: Vec<WebhookTarget>, concurrency: usize) -> Vec<(i64, u64, TelegramFailure)> {
    stream::iter(targets)
        .map(|t| async move { (t.telegram_bot_id, t.generation, register(&t).await) })
        .buffer_unordered(concurrency.max(1))
        .filter_map(|(id, generation, result)| async move { result.err().map(|e| (id, generation, e)) })
        .collect()
        .await
}

/// Calls `setWebhook` for one bot.
pub async fn register(target: &WebhookTarget) -> Result<(), TelegramFailure> {
    let result = target
        .client
        .raw()
        .set_webhook(target.url.clone())
        .secret_token(target.secret.clone())
        .allowed_updates(allowed_updates())
        .max_connections(40)
        .await;
    metrics::counter!("getolog_webhook_registrations_total", "ok" => if result.is_ok() { "true" } else { "false" })
        .increment(1);
    result.map(drop).map_err(|e| classify(&e))
}
