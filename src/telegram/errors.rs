//! Telegram errors become decisions: retry later, the token is dead, the user is gone,
//! or our request was wrong. Descriptions are not a stable contract, so only the kind
//! teloxide-core parsed (or a description prefix) is used.

use teloxide_core::{ApiError, RequestError};

use crate::crypto::redact_tokens;

/// What a failed Bot API call means for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TelegramFailure {
    /// 401: the token was revoked or is wrong. Stop the bot; do not retry.
    TokenRevoked,
    /// 403: this chat is closed to the bot (blocked, kicked, never started). Skip it.
    ChatClosed(String),
    /// 429: wait this many seconds.
    RetryAfter(u32),
    /// Network trouble or a Telegram 5xx: try again later.
    Transient(String),
    /// 400 and the like: our request was wrong. Log it; retrying will not help.
    Rejected(String),
}

/// The supergroup a call's error says its basic group became (`migrate_to_chat_id`).
pub fn migrated_to(err: &teloxide_core::RequestError) -> Option<i64> {
    match err {
        teloxide_core::RequestError::MigrateToChatId(to) => Some(to.0),
        _ => None,
    }
}

impl TelegramFailure {
    /// Whether a later retry (redelivery of the update) may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, TelegramFailure::Transient(_) | TelegramFailure::RetryAfter(_))
    }

    /// A short label for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            TelegramFailure::TokenRevoked => "revoked",
            TelegramFailure::ChatClosed(_) => "forbidden",
            TelegramFailure::RetryAfter(_) => "retry_after",
            TelegramFailure::Transient(_) => "transient",
            TelegramFailure::Rejected(_) => "rejected",
        }
    }
}

/// Classifies a teloxide-core error. The texts it keeps carry no token.
pub fn classify(err: &RequestError) -> TelegramFailure {
    match err {
        RequestError::Api(api) => classify_api(api),
        RequestError::RetryAfter(secs) => TelegramFailure::RetryAfter(secs.seconds()),
        RequestError::MigrateToChatId(_) => TelegramFailure::Rejected("group migrated to a supergroup".into()),
        other => TelegramFailure::Transient(redact_tokens(&other.to_string())),
    }
}

fn classify_api(api: &ApiError) -> TelegramFailure {
    let text = api.to_string();
    match api {
        ApiError::InvalidToken => TelegramFailure::TokenRevoked,
        ApiError::BotBlocked
        | ApiError::BotKicked
        | ApiError::BotKickedFromSupergroup
        | ApiError::CantInitiateConversation
        | ApiError::CantTalkWithBots
        | ApiError::UserDeactivated => TelegramFailure::ChatClosed(text),
        ApiError::Unknown(desc) if is_server_error(desc) => TelegramFailure::Transient(desc.clone()),
        ApiError::Unknown(desc) if desc.starts_with("Unauthorized") => TelegramFailure::TokenRevoked,
        ApiError::Unknown(desc) if desc.starts_with("Forbidden") => TelegramFailure::ChatClosed(desc.clone()),
        _ => TelegramFailure::Rejected(redact_tokens(&text)),
    }
}

fn is_server_error(desc: &str) -> bool {
    ["Internal Server Error", "Bad Gateway", "Gateway Timeout", "Service Unavailable"]
        .iter()
        .any(|p| desc.starts_with(p))
}
