//! Public value types of the simulator: bots, users, chats, records, faults.

use std::time::Duration;

use serde_json::Value;

/// A bot registered in the simulator (as if created through BotFather).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimBot {
    /// The bot's user id (also the numeric part of its token).
    pub id: i64,
    /// The current token, `"<id>:<35 chars>"`.
    pub token: String,
    /// The bot's username, without `@`.
    pub username: String,
}

/// A person the simulator plays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimUser {
    /// User id (positive; also the id of the private chat with a bot).
    pub id: i64,
    /// First name.
    pub first_name: String,
    /// Username without `@`, if any.
    pub username: Option<String>,
    /// IETF language tag sent in updates, if any.
    pub language_code: Option<String>,
}

impl SimUser {
    /// Returns the same user with a language code set (as sent in `from.language_code`).
    pub fn with_language(mut self, code: &str) -> Self {
        self.language_code = Some(code.to_owned());
        self
    }
}

/// Kind of a non-private chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChatKind {
    /// A broadcast channel (`-100…` id).
    Channel,
    /// A supergroup (`-100…` id).
    Supergroup,
    /// A basic group (small negative id).
    Group,
}

impl ChatKind {
    /// The Bot API `type` string.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatKind::Channel => "channel",
            ChatKind::Supergroup => "supergroup",
            ChatKind::Group => "group",
        }
    }
}

/// Administrator rights of a bot in a chat (subset of `ChatAdministratorRights`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rights {
    /// May manage the chat (always true for real admins).
    pub can_manage_chat: bool,
    /// May change chat title, photo, …
    pub can_change_info: bool,
    /// May post in a channel.
    pub can_post_messages: bool,
    /// May edit others' messages in a channel.
    pub can_edit_messages: bool,
    /// May delete messages.
    pub can_delete_messages: bool,
    /// May create invite links and answer join requests.
    pub can_invite_users: bool,
    /// May ban, unban and restrict members.
    pub can_restrict_members: bool,
    /// May pin messages.
    pub can_pin_messages: bool,
    /// May promote other members.
    pub can_promote_members: bool,
}

impl Rights {
    /// Every right granted.
    pub fn full() -> Self {
        Rights {
            can_manage_chat: true,
            can_change_info: true,
            can_post_messages: true,
            can_edit_messages: true,
            can_delete_messages: true,
            can_invite_users: true,
            can_restrict_members: true,
            can_pin_messages: true,
            can_promote_members: true,
        }
    }

    /// What Getolog needs: invite users, restrict members, post (and manage).
    pub fn getolog() -> Self {
        Rights {
            can_manage_chat: true,
            can_invite_users: true,
            can_restrict_members: true,
            can_post_messages: true,
            ..Rights::default()
        }
    }
}

/// One recorded Bot API call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The calling bot (0 when the token was unknown).
    pub bot_id: i64,
    /// Canonical camelCase method name, e.g. `sendMessage` (as sent if unknown).
    pub method: String,
    /// Normalised parameters (JSON object).
    pub params: Value,
    /// Whether the answer had `"ok": true`.
    pub response_ok: bool,
    /// When the simulator answered it (to check a bot's pace).
    pub at: std::time::Instant,
}

/// Latest state of a message stored in a chat the bot talks in.
#[derive(Clone, Debug, PartialEq)]
pub struct SentMessage {
    /// Message id (per chat, increasing).
    pub message_id: i64,
    /// Chat id.
    pub chat_id: i64,
    /// `true` if the bot sent it, `false` for messages a simulated user sent.
    pub from_bot: bool,
    /// Plain text or caption, as Telegram returns it (HTML tags removed).
    pub text: Option<String>,
    /// Text or caption exactly as the bot sent it.
    pub raw_text: Option<String>,
    /// `parse_mode` the bot used, if any.
    pub parse_mode: Option<String>,
    /// The inline keyboard (or other markup) as JSON, if any.
    pub reply_markup: Option<Value>,
    /// File id of the photo (largest size), if a photo.
    pub photo: Option<String>,
    /// File id of the document, if a document.
    pub document: Option<String>,
    /// Whether it was edited after sending.
    pub edited: bool,
    /// Whether it was deleted.
    pub deleted: bool,
    /// Unix time it was sent.
    pub date: i64,
}

impl SentMessage {
    /// An empty message in `chat_id` (a bot's, or a person's), dated now, to fill in.
    pub(crate) fn blank(chat_id: i64, from_bot: bool) -> Self {
        SentMessage {
            message_id: 0,
            chat_id,
            from_bot,
            text: None,
            raw_text: None,
            parse_mode: None,
            reply_markup: None,
            photo: None,
            document: None,
            edited: false,
            deleted: false,
            date: crate::simulator::state::now(),
        }
    }

    /// Inline buttons as rows of `(text, callback_data)`; URL buttons give their url.
    pub fn buttons(&self) -> Vec<Vec<(String, String)>> {
        inline_buttons(self.reply_markup.as_ref())
    }
}

/// Inline keyboard of a `reply_markup` value as rows of `(text, callback_data or url)`.
pub fn inline_buttons(markup: Option<&Value>) -> Vec<Vec<(String, String)>> {
    let rows = markup.and_then(|m| m.get("inline_keyboard")).and_then(Value::as_array);
    let Some(rows) = rows else {
        return Vec::new();
    };
    rows.iter()
        .map(|row| {
            row.as_array()
                .map(|r| {
                    r.iter()
                        .map(|b| {
                            let text = b.get("text").and_then(Value::as_str).unwrap_or_default();
                            let data = ["callback_data", "url", "copy_text"]
                                .iter()
                                .find_map(|k| b.get(*k))
                                .map(|v| match v {
                                    Value::String(s) => s.clone(),
                                    other => other.get("text").map(|t| t.to_string()).unwrap_or_default(),
                                })
                                .unwrap_or_default();
                            (text.to_owned(), data)
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect()
}

/// A bot's registered webhook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookInfo {
    /// Target URL.
    pub url: String,
    /// Secret sent in `X-Telegram-Bot-Api-Secret-Token`, if set.
    pub secret_token: Option<String>,
    /// Update kinds asked for (empty = the default set).
    pub allowed_updates: Vec<String>,
    /// `max_connections` (default 40).
    pub max_connections: u32,
}

/// Outcome of posting one update to a webhook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivery {
    /// The update's id.
    pub update_id: i64,
    /// HTTP status the webhook answered; 0 when the connection failed or timed out.
    pub status: u16,
}

impl Delivery {
    /// Whether the webhook answered 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A delivery the simulator made on its own (in the background), e.g. `chat_member`
/// after `approveChatJoinRequest`.
#[derive(Clone, Debug, PartialEq)]
pub struct BackgroundDelivery {
    /// Receiving bot.
    pub bot_id: i64,
    /// Update kind, e.g. `chat_member`.
    pub kind: String,
    /// The update as posted.
    pub update: Value,
    /// Final HTTP status (0 = transport failure) after retries.
    pub status: u16,
}

/// What happened when a user opened an invite link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JoinOutcome {
    /// The user became a member; `chat_member` deliveries made to admin bots.
    Joined(Vec<Delivery>),
    /// A join request is pending; `chat_join_request` deliveries made to admin bots.
    Requested(Vec<Delivery>),
    /// The link did not work (revoked, expired, full, unknown, user banned): the reason.
    Refused(String),
}

/// Errors of the scripting API.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SimError {
    /// No bot with this id.
    #[error("unknown bot {0}")]
    UnknownBot(i64),
    /// No chat with this id.
    #[error("unknown chat {0}")]
    UnknownChat(i64),
    /// The bot has no webhook set.
    #[error("bot {0} has no webhook")]
    NoWebhook(i64),
    /// The bot's `allowed_updates` excludes this kind.
    #[error("bot {bot_id} does not accept {kind} updates")]
    NotAllowed {
        /// The bot.
        bot_id: i64,
        /// The update kind.
        kind: String,
    },
    /// No such message in that chat.
    #[error("message {0} not found")]
    NoMessage(i64),
    /// The message has no button with that callback data.
    #[error("no button with callback data {0:?}")]
    NoButton(String),
    /// No stored update with this id (for redelivery).
    #[error("update {0} not found")]
    NoUpdate(i64),
    /// Malformed input.
    #[error("{0}")]
    Invalid(String),
}

/// A scripted failure applied to matching API calls before normal handling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    /// Only this bot (any bot if `None`).
    pub bot_id: Option<i64>,
    /// Only this method, case-insensitive (any if `None`).
    pub method: Option<String>,
    /// How many matching calls fail (then the rule is dropped).
    pub times: u32,
    /// The failure.
    pub fault: Fault,
}

/// Kinds of scripted failures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// 429 with `parameters.retry_after`.
    TooManyRequests {
        /// Seconds to wait.
        retry_after: u32,
    },
    /// 403 with `Forbidden: <text>`.
    Forbidden(String),
    /// 400 with `Bad Request: <text>`.
    BadRequest(String),
    /// A bare 5xx (e.g. 500, 502).
    ServerError(u16),
    /// Extra delay, then normal handling.
    Latency(Duration),
}
