//! Platform events: things moderators are told about. Handlers and actors emit them; the
//! `ModeratorActor` turns them into alerts.

/// Something the platform's moderators should hear about. Sent to the `ModeratorActor` as
/// a message it stores in the outbox before delivering.
#[derive(Debug, Clone, PartialEq, Eq, actix::Message, serde::Serialize, serde::Deserialize)]
#[rtype(result = "()")]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlatformEvent {
    /// An owner finished registration in the main bot.
    OwnerRegistered {
        /// Owner's Telegram id.
        telegram_id: i64,
        /// Owner's display name.
        name: String,
    },
    /// A bot kept crashing and was stopped for good.
    BotFailed {
        /// The bot's Telegram id.
        telegram_bot_id: i64,
        /// `@username`.
        username: String,
        /// Restarts seen within the window.
        restarts: u32,
        /// The window, human readable (e.g. `60s`).
        window: String,
    },
    /// A handler kept crashing on one update, which was dropped so the bot could go on.
    UpdateDropped {
        /// The bot's Telegram id.
        telegram_bot_id: i64,
        /// `@username`.
        username: String,
        /// The dropped update.
        update_id: u32,
    },
}
