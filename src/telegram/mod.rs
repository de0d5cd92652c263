//! The Bot API client side: one shared HTTP client for every bot, per-bot teloxide-core
//! `Bot`s pointed at the configured API URL, throttled to Telegram's limits, and the
//! classification of Telegram errors into decisions.

pub mod commands;
pub mod errors;
pub mod managed;
pub mod reply;
pub mod stars;

use std::sync::{Arc, OnceLock};

use teloxide_core::{
    adaptors::{throttle::Limits, Throttle},
    Bot,
};
use url::Url;

use crate::crypto::BotToken;

/// Makes `Bot`s that all share one connection pool.
#[derive(Clone)]
pub struct TelegramFactory {
    client: reqwest::Client,
    api_url: Url,
}

impl TelegramFactory {
    /// One HTTP client for the whole process, aimed at `api_url`.
    pub fn new(api_url: Url) -> Self {
        let client = teloxide_core::net::default_reqwest_settings()
            .pool_max_idle_per_host(64)
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self { client, api_url }
    }

    /// A client for one bot (cheap: it shares the connection pool).
    pub fn bot(&self, token: &BotToken) -> Bot {
        Bot::with_client(token.expose(), self.client.clone()).set_api_url(self.api_url.clone())
    }

    /// A lazily throttled client for one bot.
    pub fn client(&self, token: &BotToken) -> BotClient {
        BotClient { raw: self.bot(token), throttled: Arc::new(OnceLock::new()) }
    }
}

/// One bot's client: raw for webhook management, throttled for messages.
///
/// The throttle runs a worker task per bot; it is created on first use so thousands of
/// idle bots cost no task and no queue.
#[derive(Clone)]
pub struct BotClient {
    raw: Bot,
    throttled: Arc<OnceLock<Throttle<Bot>>>,
}

impl BotClient {
    /// The unthrottled client (setWebhook, getMe, answerCallbackQuery).
    pub fn raw(&self) -> &Bot {
        &self.raw
    }

    /// The client that respects ~30 msg/s per bot, 1/s per chat, 20/min per group and
    /// `retry_after`. Must be first called inside a tokio runtime.
    pub fn throttled(&self) -> &Throttle<Bot> {
        self.throttled.get_or_init(|| Throttle::new_spawn(self.raw.clone(), telegram_limits()))
    }
}

/// Telegram's flood limits as its FAQ states them: 30 messages a second per bot, one a second
/// per chat, 20 a minute per group. teloxide-core's defaults also hold every private chat to
/// 20 a minute, so an owner told of a busy minute's payments waited up to a minute behind
/// them; a private chat is now paced at one a second only (Getolog writes to no basic group).
fn telegram_limits() -> Limits {
    Limits {
        messages_per_sec_chat: 1,
        messages_per_min_chat: 60,
        messages_per_min_channel_or_supergroup: 20,
        messages_per_sec_overall: 30,
    }
}

/// The update kinds a Getolog bot subscribes to (named explicitly: an empty list would leave
/// out `chat_member`). The main bot also hears of the shop bots it creates (`managed_bot`).
pub fn allowed_updates(main: bool) -> Vec<&'static str> {
    let mut kinds = vec!["message", "callback_query", "my_chat_member", "chat_member", "chat_join_request"];
    if main {
        kinds.push("managed_bot");
    } else {
        // Selling for Telegram Stars: the check before a charge, and subscription changes.
        kinds.extend(["pre_checkout_query", "subscription"]);
    }
    kinds
}

/// Points `bot`'s webhook at `url` with its `secret` and the update kinds of [`allowed_updates`].
pub async fn set_webhook(bot: &Bot, url: &Url, secret: &str, main: bool) -> Result<(), teloxide_core::RequestError> {
    let payload = managed::SetWebhook {
        url: url.to_string(),
        secret_token: secret.to_owned(),
        allowed_updates: allowed_updates(main),
        max_connections: 40,
    };
    managed::call(bot, payload).await.map(drop)
}
