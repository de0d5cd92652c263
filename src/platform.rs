//! What handlers and services may reach beyond storage: Telegram on behalf of any bot (to
//! validate a token, set a webhook, notify an owner from the main bot) and the supervisor
//! that starts and stops bots at run time.

use actix::Recipient;

use crate::{
    actors::supervisor::{BotSpec, StartBot, StopBot},
    telegram::{BotClient, TelegramFactory},
};

/// Handles to the running platform, shared by every bot actor.
#[derive(Clone)]
pub struct Platform {
    /// Makes clients for any token (shared connection pool).
    pub telegram: TelegramFactory,
    /// The main Getolog bot's client: owners and moderators are told things through it.
    pub main: BotClient,
    /// The main bot's Telegram id.
    pub main_bot_id: i64,
    start: Recipient<StartBot>,
    stop: Recipient<StopBot>,
}

impl Platform {
    /// Handles for a supervisor.
    pub fn new(
        telegram: TelegramFactory,
        main: BotClient,
        main_bot_id: i64,
        start: Recipient<StartBot>,
        stop: Recipient<StopBot>,
    ) -> Self {
        Self { telegram, main, main_bot_id, start, stop }
    }

    /// Starts (or restarts with a new token) a bot whose webhook is already set.
    pub fn start_bot(&self, spec: BotSpec) {
        self.start.do_send(StartBot { spec, register_webhook: false });
    }

    /// Stops serving a bot.
    pub fn stop_bot(&self, telegram_bot_id: i64) {
        self.stop.do_send(StopBot { telegram_bot_id });
    }
}
