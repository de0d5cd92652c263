//! The messages the supervisor answers.

use actix::Message;

use super::BotSpec;
use crate::db;

/// Start serving a bot (replacing a running incarnation), optionally registering its webhook.
#[derive(Message)]
#[rtype(result = "()")]
pub struct StartBot {
    /// The bot.
    pub spec: BotSpec,
    /// Call `setWebhook` too (on connect; start-up registers in bulk).
    pub register_webhook: bool,
}

/// Stop serving a bot (disconnect, ban).
#[derive(Message)]
#[rtype(result = "()")]
pub struct StopBot {
    /// The bot.
    pub telegram_bot_id: i64,
}

/// Start-up: the main bot plus every servable bot in the database. Returns how many.
#[derive(Message)]
#[rtype(result = "Result<usize, db::DbError>")]
pub struct LoadBots {
    /// The main Getolog bot.
    pub main: BotSpec,
    /// Whether it may create shop bots for owners (`can_manage_bots`).
    pub can_manage_bots: bool,
}

/// A webhook arrived for a bot this node does not know: look it up in the database
/// (another node may have registered it) and start it. Answers whether it now runs, or an
/// error when the database cannot tell (the front then answers 503, not 404). An id with no
/// servable bot is remembered in the registry for a while, so it is not looked up again.
#[derive(Message)]
#[rtype(result = "Result<bool, db::DbError>")]
pub struct AdoptBot {
    /// The bot.
    pub telegram_bot_id: i64,
}

/// Stops every bot and the arbiters (graceful shutdown).
#[derive(Message)]
#[rtype(result = "()")]
pub struct Shutdown;

/// The handles the bots share (the scheduler works through them too). Ask after
/// [`LoadBots`], which names the main bot.
#[derive(Message)]
#[rtype(result = "std::sync::Arc<crate::platform::Platform>")]
pub struct GetPlatform;
