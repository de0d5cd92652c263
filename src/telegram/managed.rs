//! Bot API 9.6 managed bots, which teloxide-core 0.13 does not know: the main bot asks an
//! owner to create a bot (`request_managed_bot` on a reply-keyboard button), learns of it from
//! the `managed_bot` update, and fetches or replaces its token. The methods are raw calls
//! through the same `Bot` client (and so the same errors and classification); the update is
//! read from the raw body kept by [`keep_unknown`].

use serde::{Deserialize, Serialize};
use teloxide_core::{
    requests::{JsonRequest, Payload},
    types::{Message, Update, UpdateKind, User},
    Bot, RequestError,
};

/// `getManagedBotToken`: the current token of a bot this bot manages.
#[derive(Debug, Clone, Serialize)]
pub struct GetManagedBotToken {
    /// The managed bot's user id.
    pub user_id: i64,
}

impl Payload for GetManagedBotToken {
    type Output = String;
    const NAME: &'static str = "getManagedBotToken";
}

/// `replaceManagedBotToken`: revokes a managed bot's token and issues a new one.
#[derive(Debug, Clone, Serialize)]
pub struct ReplaceManagedBotToken {
    /// The managed bot's user id.
    pub user_id: i64,
}

impl Payload for ReplaceManagedBotToken {
    type Output = String;
    const NAME: &'static str = "replaceManagedBotToken";
}

/// `getMe` read with the fields teloxide-core 0.13 drops.
#[derive(Debug, Clone, Serialize)]
pub struct GetMe {}

impl Payload for GetMe {
    type Output = Me;
    const NAME: &'static str = "getMe";
}

/// What `getMe` says about a bot, `can_manage_bots` included.
#[derive(Debug, Clone, Deserialize)]
pub struct Me {
    /// The bot's user id.
    pub id: i64,
    /// Its username, without `@`.
    #[serde(default)]
    pub username: Option<String>,
    /// Whether it may create and manage other bots (switched on in @BotFather).
    #[serde(default)]
    pub can_manage_bots: bool,
}

/// `setWebhook` with update kinds named as strings (teloxide-core's list lacks `managed_bot`).
#[derive(Debug, Clone, Serialize)]
pub struct SetWebhook {
    /// Where updates go.
    pub url: String,
    /// Sent back in `X-Telegram-Bot-Api-Secret-Token`.
    pub secret_token: String,
    /// The update kinds wanted.
    pub allowed_updates: Vec<&'static str>,
    /// Concurrent deliveries allowed.
    pub max_connections: u32,
}

impl Payload for SetWebhook {
    type Output = bool;
    const NAME: &'static str = "setWebhook";
}

/// A reply keyboard teloxide-core 0.13 cannot express, or its removal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyKeyboard {
    /// One button that asks Telegram to create a bot this bot will manage.
    CreateBot {
        /// The button's label.
        label: String,
        /// Names the request (signed 32-bit, unique within the message).
        request_id: i32,
        /// The name pre-filled in Telegram's creation form.
        suggested_name: String,
        /// The username pre-filled (ends in `bot`).
        suggested_username: String,
    },
    /// Takes the reply keyboard away.
    Remove,
}

impl ReplyKeyboard {
    /// The `reply_markup` object.
    pub fn markup(&self) -> serde_json::Value {
        match self {
            ReplyKeyboard::CreateBot { label, request_id, suggested_name, suggested_username } => {
                serde_json::json!({
                    "keyboard": [[{
                        "text": label,
                        "request_managed_bot": {
                            "request_id": request_id,
                            "suggested_name": suggested_name,
                            "suggested_username": suggested_username,
                        },
                    }]],
                    "resize_keyboard": true,
                    "one_time_keyboard": true,
                })
            }
            ReplyKeyboard::Remove => serde_json::json!({"remove_keyboard": true}),
        }
    }
}

/// `sendMessage` with a [`ReplyKeyboard`].
#[derive(Debug, Clone, Serialize)]
pub struct SendWithReplyKeyboard {
    /// The private chat.
    pub chat_id: i64,
    /// Plain text.
    pub text: String,
    /// The keyboard's `reply_markup`.
    pub reply_markup: serde_json::Value,
}

impl Payload for SendWithReplyKeyboard {
    type Output = Message;
    const NAME: &'static str = "sendMessage";
}

/// Sends one raw payload through `bot`'s client.
pub async fn call<P>(bot: &Bot, payload: P) -> Result<P::Output, RequestError>
where
    P: Payload + Serialize + 'static,
    P::Output: serde::de::DeserializeOwned,
{
    JsonRequest::new(bot.clone(), payload).await
}

/// `managed_bot`: a user created (or changed) a bot this bot manages.
#[derive(Debug, Clone, Deserialize)]
pub struct ManagedBotUpdated {
    /// Who created it.
    pub user: User,
    /// The bot.
    pub bot: User,
}

/// teloxide-core 0.13 reads an update kind it does not know as an empty
/// `UpdateKind::Error`; this puts the raw update (from the webhook's `body`) in its place, so
/// handlers can read kinds such as `managed_bot`.
pub fn keep_unknown(update: &mut Update, body: &[u8]) {
    if let UpdateKind::Error(raw) = &mut update.kind {
        if let Ok(serde_json::Value::Object(mut object)) = serde_json::from_slice(body) {
            object.remove("update_id");
            *raw = serde_json::Value::Object(object);
        }
    }
}

/// The field `name` of an update kept by [`keep_unknown`], read as `T`.
pub fn unknown_field<T: serde::de::DeserializeOwned>(update: &Update, name: &str) -> Option<T> {
    match &update.kind {
        UpdateKind::Error(raw) => serde_json::from_value(raw.get(name)?.clone()).ok(),
        _ => None,
    }
}

/// The `managed_bot` field of an update kept by [`keep_unknown`].
pub fn managed_bot(update: &Update) -> Option<ManagedBotUpdated> {
    unknown_field(update, "managed_bot")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_managed_bot_update_is_kept_and_read() {
        let body = br#"{"update_id": 5, "managed_bot": {
            "user": {"id": 42, "is_bot": false, "first_name": "Ali"},
            "bot": {"id": 7001, "is_bot": true, "first_name": "Shop", "username": "ali_shop_bot"}}}"#;
        let mut update: Update = serde_json::from_slice(body).unwrap();
        assert!(managed_bot(&update).is_none(), "teloxide-core drops it");
        keep_unknown(&mut update, body);
        let created = managed_bot(&update).unwrap();
        assert_eq!((created.user.id.0, created.bot.id.0), (42, 7001));
        assert_eq!(created.bot.username.as_deref(), Some("ali_shop_bot"));
        assert_eq!(update.id.0, 5);
    }

    #[test]
    fn a_known_update_is_left_alone() {
        let body = br#"{"update_id": 6, "message": {"message_id": 1, "date": 0,
            "chat": {"id": 42, "type": "private", "first_name": "Ali"},
            "from": {"id": 42, "is_bot": false, "first_name": "Ali"}, "text": "hi"}}"#;
        let mut update: Update = serde_json::from_slice(body).unwrap();
        keep_unknown(&mut update, body);
        assert!(matches!(update.kind, UpdateKind::Message(_)));
        assert!(managed_bot(&update).is_none());
    }

    #[test]
    fn the_create_button_is_written_as_the_bot_api_reads_it() {
        let keyboard = ReplyKeyboard::CreateBot {
            label: "🤖 Create".into(),
            request_id: 1,
            suggested_name: "Ali Shop".into(),
            suggested_username: "ali_shop_bot".into(),
        };
        let markup = keyboard.markup();
        assert_eq!(markup["keyboard"][0][0]["request_managed_bot"]["suggested_username"], "ali_shop_bot");
        assert_eq!(ReplyKeyboard::Remove.markup(), serde_json::json!({"remove_keyboard": true}));
    }
}

#[cfg(test)]
mod service_message_tests {
    use super::*;

    #[test]
    fn the_created_service_message_is_not_read_as_a_text() {
        let body = br#"{"update_id": 7, "message": {"message_id": 3, "date": 0,
            "chat": {"id": 42, "type": "private", "first_name": "Ali"},
            "from": {"id": 42, "is_bot": false, "first_name": "Ali"},
            "managed_bot_created": {"bot": {"id": 7001, "is_bot": true, "first_name": "Shop", "username": "s_bot"}}}}"#;
        let update: Update = serde_json::from_slice(body).unwrap();
        // teloxide-core 0.13 reads it as an empty message, which no handler acts on.
        assert!(
            matches!(&update.kind, UpdateKind::Message(m) if matches!(m.kind, teloxide_core::types::MessageKind::Empty { .. }))
        );
    }
}
