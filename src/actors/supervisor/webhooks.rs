//! Webhook (re-)registration, with bounded concurrency so start-up with thousands of bots
//! does not flood Telegram.

use futures_util::{stream, StreamExt};

use crate::{
    cache::Cache,
    telegram::{
        errors::{classify, TelegramFailure},
        set_webhook, BotClient,
    },
};

/// How long a start-up registration's progress is remembered: a process restarted within
/// that time (a crash loop, a quick redeploy to the same URL) skips what was done.
const CHECKPOINT_TTL: std::time::Duration = std::time::Duration::from_secs(600);

/// Start-up registration of every seller bot, resumable and bounded: bots go in id order,
/// `concurrency` at a time, in chunks after which the progress is logged (`n of N`) and
/// saved in Redis under the webhook base URL; a restart within [`CHECKPOINT_TTL`] resumes
/// after the last saved chunk. Returns the failures like [`register_all`].
pub async fn register_resumably(
    cache: &Cache,
    base_url: &str,
    mut targets: Vec<WebhookTarget>,
    concurrency: usize,
) -> Vec<(i64, u64, TelegramFailure)> {
    let name = format!("webhooks:{base_url}");
    let total = targets.len();
    targets.sort_by_key(|t| t.telegram_bot_id);
    let resume_after = cache.checkpoint(&name).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "webhook checkpoint unreadable; registering every bot");
        None
    });
    let rest: Vec<WebhookTarget> =
        targets.into_iter().filter(|t| resume_after.is_none_or(|done| t.telegram_bot_id > done)).collect();
    let mut done = total - rest.len();
    let mut pending = rest.into_iter().peekable();
    if done > 0 {
        tracing::info!(done, total, "webhooks: resuming an interrupted registration");
    }
    let chunk_size = concurrency.max(1) * 8;
    let mut failures = Vec::new();
    while pending.peek().is_some() {
        let chunk: Vec<WebhookTarget> = pending.by_ref().take(chunk_size).collect();
        let last = chunk.last().map(|t| t.telegram_bot_id).unwrap_or_default();
        done += chunk.len();
        failures.extend(register_all(chunk, concurrency).await);
        if let Err(e) = cache.save_checkpoint(&name, last, CHECKPOINT_TTL).await {
            tracing::warn!(error = %e, "webhook checkpoint not saved");
        }
        tracing::info!(done, total, failed = failures.len(), "webhooks registered: {done} of {total}");
    }
    failures
}

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
    /// The main bot (it also hears of the bots it creates).
    pub main: bool,
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
    let result = set_webhook(target.client.raw(), &target.url, &target.secret, target.main).await;
    metrics::counter!("getolog_webhook_registrations_total", "ok" => if result.is_ok() { "true" } else { "false" })
        .increment(1);
    result.map(drop).map_err(|e| classify(&e))
}
