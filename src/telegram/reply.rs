//! A Bot API method sent back in the webhook's answer: Telegram carries it out for the bot
//! the update was for, without a round trip of ours and without telling how it went. Used
//! only where not knowing is harmless: stopping a button's spinner, or a prompt the user
//! gets again by repeating their command.

use serde::Serialize;

/// The method in a webhook's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "method")]
pub enum WebhookReply {
    /// Stops the pressed button's spinner, with an optional toast.
    #[serde(rename = "answerCallbackQuery")]
    AnswerCallbackQuery {
        /// The press.
        callback_query_id: String,
        /// The toast, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// A plain-text message into the update's chat.
    #[serde(rename = "sendMessage")]
    SendMessage {
        /// The update's chat.
        chat_id: i64,
        /// The text, within Telegram's limit.
        text: String,
        /// Its inline keyboard, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        reply_markup: Option<teloxide_core::types::InlineKeyboardMarkup>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_written_as_telegram_reads_a_webhook_reply() {
        let reply = WebhookReply::AnswerCallbackQuery { callback_query_id: "7".into(), text: None };
        let json = serde_json::to_value(&reply).unwrap();
        assert_eq!(json, serde_json::json!({"method": "answerCallbackQuery", "callback_query_id": "7"}));
        let toast = WebhookReply::AnswerCallbackQuery { callback_query_id: "7".into(), text: Some("ok".into()) };
        assert_eq!(serde_json::to_value(&toast).unwrap()["text"], "ok");
    }

    #[test]
    fn a_message_is_written_as_telegram_reads_a_webhook_reply() {
        use teloxide_core::types::{InlineKeyboardButton, InlineKeyboardMarkup};
        let keyboard = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("English", "lang:en")]]);
        let reply = WebhookReply::SendMessage { chat_id: 42, text: "Hi".into(), reply_markup: Some(keyboard) };
        assert_eq!(
            serde_json::to_value(&reply).unwrap(),
            serde_json::json!({"method": "sendMessage", "chat_id": 42, "text": "Hi",
                "reply_markup": {"inline_keyboard": [[{"text": "English", "callback_data": "lang:en"}]]}})
        );
    }
}
