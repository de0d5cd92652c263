//! What handlers ask the bot actor to do. Plain data, so handlers are testable without
//! Telegram. (Moderator alerts are not effects: services store them in the outbox in the
//! same transaction as the change they announce.)

/// One inline button carrying callback data (≤ 64 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    /// Label.
    pub text: String,
    /// Callback data.
    pub data: String,
}

/// Rows of inline buttons.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keyboard(pub Vec<Vec<Button>>);

/// An action resulting from an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send a plain-text message.
    Send {
        /// Target chat.
        chat_id: i64,
        /// Text (sent without parse mode, so user input needs no escaping).
        text: String,
        /// Optional inline keyboard.
        keyboard: Option<Keyboard>,
    },
    /// Replace the text (and keyboard) of a message the bot sent.
    Edit {
        /// Chat of the message.
        chat_id: i64,
        /// The message.
        message_id: i32,
        /// New text.
        text: String,
        /// New keyboard, or none to remove it.
        keyboard: Option<Keyboard>,
    },
    /// Send a plain-text message from the main Getolog bot (owners' notifications from a
    /// seller bot's update: the owner talks to the platform in the main bot).
    Notify {
        /// Target chat (the owner's private chat with the main bot).
        chat_id: i64,
        /// Text.
        text: String,
        /// Optional inline keyboard (its buttons reach the main bot).
        keyboard: Option<Keyboard>,
    },
    /// Delete a message in a chat of this bot (e.g. the owner's message carrying a token).
    Delete {
        /// Chat of the message.
        chat_id: i64,
        /// The message.
        message_id: i32,
    },
    /// Answer a callback query (stops the button's spinner).
    AnswerCallback {
        /// The query id.
        query_id: String,
        /// Optional toast text.
        text: Option<String>,
    },
}
