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
    /// A bot kept crashing and was stopped until it is tried again.
    BotFailed {
        /// The bot's Telegram id.
        telegram_bot_id: i64,
        /// `@username`.
        username: String,
        /// Restarts seen within the window.
        restarts: u32,
        /// The window, human readable (e.g. `60s`).
        window: String,
        /// When it is tried again, human readable (e.g. `2 min`).
        #[serde(default)]
        retry: String,
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
    /// Telegram refused a bot's token during a health check; the bot is stopped until its
    /// owner sends a new one.
    BotRevoked {
        /// The bot's Telegram id.
        telegram_bot_id: i64,
        /// `@username`.
        username: String,
    },
    /// A bot failed several health checks in a row.
    BotDead {
        /// The bot's Telegram id.
        telegram_bot_id: i64,
        /// `@username`.
        username: String,
        /// Failed checks in a row.
        failures: u32,
    },
    /// A dead bot answered a health check again.
    BotRecovered {
        /// The bot's Telegram id.
        telegram_bot_id: i64,
        /// `@username`.
        username: String,
    },
    /// Expired customers cannot be removed from a chat (the owner has been told what to
    /// fix); removals resume by themselves once it is fixed.
    RemovalsBlocked {
        /// The bot's Telegram id.
        telegram_bot_id: i64,
        /// `@username`.
        username: String,
        /// The chat, as people see it.
        chat: String,
        /// Why: `rights` (no "Ban users" right), `no_access` (not an admin there, or the
        /// chat is gone), `token` (Telegram refuses the bot's token), `failing` (Telegram
        /// keeps failing).
        cause: String,
    },
    /// A seller bot's Telegram Stars do not match its recorded payments.
    StarsMismatch {
        /// The bot's Telegram id.
        telegram_bot_id: i64,
        /// `@username`.
        username: String,
        /// Charges Telegram took that were never granted.
        unrecorded: usize,
        /// Grants Telegram never charged.
        unknown: usize,
        /// Refunds on one side only.
        refunds: usize,
    },
    /// An owner's paid plan ends soon (3 days or 1 day before).
    PlanEnding {
        /// The owner's Telegram id.
        telegram_id: i64,
        /// The owner's name.
        name: String,
        /// Days left.
        days: i64,
        /// The end, as a date for people.
        date: String,
    },
    /// An owner's paid plan ended; they are on Free again.
    PlanExpired {
        /// The owner's Telegram id.
        telegram_id: i64,
        /// The owner's name.
        name: String,
    },
}
