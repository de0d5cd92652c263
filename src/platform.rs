//! What handlers and services may reach beyond storage: Telegram on behalf of any bot (to
//! validate a token, set a webhook, notify an owner from the main bot) and the supervisor
//! that starts and stops bots at run time.

use actix::Recipient;

use crate::{
    actors::inbox::Inform,
    actors::supervisor::{registry::Registry, BotSpec, StartBot, StopBot},
    state::AppState,
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
    inbox: Recipient<Inform>,
    main_username: String,
    can_manage_bots: bool,
    start: Recipient<StartBot>,
    stop: Recipient<StopBot>,
    registry: Registry,
    app: AppState,
}

impl Platform {
    /// Handles for a supervisor.
    #[allow(clippy::too_many_arguments)] // one per handle; built only by the supervisor
    pub fn new(
        telegram: TelegramFactory,
        main: BotClient,
        inbox: Recipient<Inform>,
        main_bot_id: i64,
        (main_username, can_manage_bots): (String, bool),
        start: Recipient<StartBot>,
        stop: Recipient<StopBot>,
        registry: Registry,
        app: AppState,
    ) -> Self {
        Self { telegram, main, inbox, main_bot_id, main_username, can_manage_bots, start, stop, registry, app }
    }

    /// Queues an informational notice for an owner (coalesced, sent without waiting).
    pub fn inform(&self, chat_id: i64, text: String) {
        self.inbox.do_send(Inform { chat_id, text });
    }

    /// The shared services (storage, cache, clock) the platform's work records itself in.
    pub fn app(&self) -> &AppState {
        &self.app
    }

    /// Connects the seller bot behind the token `raw` for the owner (see
    /// `actors::supervisor::connect`).
    pub async fn connect_bot(
        &self,
        owner_id: i64,
        raw: &str,
    ) -> Result<crate::services::bots::Connected, crate::services::bots::ConnectError> {
        crate::actors::supervisor::connect::connect(self, owner_id, raw).await
    }

    /// Acts on a `managed_bot` update from the owner about `bot_id` (see
    /// `actors::supervisor::connect::on_managed_update`).
    pub async fn on_managed_update(
        &self,
        owner_id: i64,
        bot_id: i64,
    ) -> Result<crate::actors::supervisor::connect::ManagedOutcome, crate::services::bots::ConnectError> {
        crate::actors::supervisor::connect::on_managed_update(self, owner_id, bot_id).await
    }

    /// A new token for the owner's managed bot, and the bot reconnected with it.
    pub async fn reissue_token(
        &self,
        owner_id: i64,
    ) -> Result<crate::services::bots::Connected, crate::services::bots::ConnectError> {
        crate::actors::supervisor::connect::reissue(self, owner_id).await
    }

    /// Whether the main bot may create shop bots for owners (`can_manage_bots`).
    pub fn can_manage_bots(&self) -> bool {
        self.can_manage_bots
    }

    /// Disconnects the owner's seller bot; returns its `@username`, if they had one.
    pub async fn disconnect_bot(&self, owner_id: i64) -> Result<Option<String>, crate::db::DbError> {
        crate::actors::supervisor::connect::disconnect(self, owner_id).await
    }

    /// The main bot's `@username` without `@` (for the advert in seller bots).
    pub fn main_username(&self) -> &str {
        &self.main_username
    }

    /// The client of a bot: the running actor's on this node (its throttle is the bot's own),
    /// else one made from the database, for a bot connected on another node since this one
    /// started. `None` for a bot that is not servable (disconnected, revoked, unknown).
    pub async fn client_of(&self, telegram_bot_id: i64) -> Option<BotClient> {
        if telegram_bot_id == self.main_bot_id {
            return Some(self.main.clone());
        }
        if let Some(route) = self.registry.route(telegram_bot_id) {
            return Some(route.client);
        }
        let spec = crate::actors::supervisor::load_one(&self.app, telegram_bot_id).await.ok()??;
        tracing::info!(bot_id = telegram_bot_id, "bot not running here; using a client made from the database");
        Some(self.telegram.client(&spec.token))
    }

    /// A client for work that must reach Telegram whatever the bot's actor is doing (removing
    /// expired customers): the running actor's if there is one, else one made from the stored
    /// token of any bot that is not `revoked` (failed, dead, disconnected). `None` when the
    /// bot is unknown, revoked, or its token cannot be read.
    pub async fn stored_client(&self, telegram_bot_id: i64) -> Option<BotClient> {
        if let Some(route) = self.registry.route(telegram_bot_id) {
            return Some(route.client);
        }
        match crate::actors::supervisor::load_with_token(&self.app, telegram_bot_id).await {
            Ok(spec) => spec.map(|spec| self.telegram.client(&spec.token)),
            Err(e) => {
                tracing::warn!(bot_id = telegram_bot_id, error = %e, "stored token not loaded");
                None
            }
        }
    }

    /// Refunds a Stars charge through the seller bot that took it (`refundStarPayment`); a
    /// charge refunded already counts as done.
    pub async fn refund_stars(&self, seller: i64, user_id: i64, charge_id: &str) -> Result<(), StarsCallError> {
        let client = self.stored_client(seller).await.ok_or(StarsCallError::NoBot)?;
        match crate::telegram::stars::refund(client.raw(), user_id, charge_id).await {
            Err(e) if !crate::telegram::stars::already_refunded(&e) => Err(StarsCallError::Telegram(e)),
            _ => Ok(()),
        }
    }

    /// Stops a customer's Stars subscription from renewing (`editUserStarSubscription`).
    pub async fn stop_star_renewal(&self, seller: i64, user_id: i64, charge_id: &str) -> Result<(), StarsCallError> {
        let client = self.stored_client(seller).await.ok_or(StarsCallError::NoBot)?;
        crate::telegram::stars::set_renewal_stopped(client.raw(), user_id, charge_id, true)
            .await
            .map_err(StarsCallError::Telegram)
    }

    /// Starts (or restarts with a new token) a bot whose webhook is already set.
    pub fn start_bot(&self, spec: BotSpec) {
        self.start.do_send(StartBot { spec, register_webhook: false });
    }

    /// Remembers a sent message under `key` for 30 days (best effort: a lost entry only
    /// means one copy is not edited later).
    pub async fn remember_message(&self, key: &str, chat_id: i64, message_id: i32) {
        if let Err(e) = self.app.cache.remember_message(key, chat_id, message_id).await {
            tracing::warn!(key, error = %e, "sent message not remembered");
        }
    }

    /// Messages remembered under `key`.
    pub async fn remembered_messages(&self, key: &str) -> Vec<(i64, i32)> {
        self.app.cache.remembered_messages(key).await.unwrap_or_else(|e| {
            tracing::warn!(key, error = %e, "remembered messages unreadable");
            Vec::new()
        })
    }

    /// Messages remembered under `key`, forgetting them (best effort, like the rest).
    pub async fn take_remembered_messages(&self, key: &str) -> Vec<(i64, i32)> {
        self.app.cache.take_remembered_messages(key).await.unwrap_or_else(|e| {
            tracing::warn!(key, error = %e, "remembered messages unreadable");
            Vec::new()
        })
    }

    /// Stops serving a bot.
    pub fn stop_bot(&self, telegram_bot_id: i64) {
        self.stop.do_send(StopBot { telegram_bot_id });
    }
}

/// Why a Stars call through a seller bot did not go through.
#[derive(Debug, thiserror::Error)]
pub enum StarsCallError {
    /// The seller bot has no usable token.
    #[error("the seller bot cannot be reached")]
    NoBot,
    /// Telegram refused or failed.
    #[error("Telegram: {0}")]
    Telegram(teloxide_core::RequestError),
}
