//! `BotActor`: one per bot (the main bot included). It owns the bot's Telegram client and
//! handles its updates: de-duplicated, one chat at a time in order, chats concurrently,
//! each handler run behind a panic boundary so a crash stays inside this bot.

mod executor;
mod invite;
pub(crate) use executor::run_one as run_effect;
pub mod lanes;
mod pipeline;

use std::{panic::AssertUnwindSafe, sync::Arc, time::Instant};

use actix::{Actor, ActorContext, AsyncContext, Context, Handler, Message, Recipient, ResponseFuture};
use futures_util::FutureExt;
use teloxide_core::types::Update;

use self::lanes::ChatLanes;
use crate::{
    events::PlatformEvent,
    handlers::{self, BotProfile},
    platform::Platform,
    state::AppState,
    telegram::{errors::TelegramFailure, reply::WebhookReply, BotClient},
};

/// Hand one update to the bot.
#[derive(Message)]
#[rtype(result = "UpdateOutcome")]
pub struct HandleUpdate(pub Update);

/// How handling an update ended, which decides the webhook's HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// Handled now: answer 2xx.
    Handled,
    /// Handled now, and its last step rides on the webhook's answer: answer 2xx with it.
    Replied(WebhookReply),
    /// Handled before (a redelivery): answer 2xx.
    Duplicate,
    /// Nothing the product acts on (e.g. a group's chatter): answer 2xx at once.
    Ignored,
    /// Another delivery of it is being handled: ask Telegram to retry.
    InProgress,
    /// Storage or Telegram failed transiently: ask Telegram to retry.
    Failed(String),
    /// No storage connection could be had (the node is at capacity, or a store is down):
    /// ask Telegram to retry later (503).
    Unavailable(String),
    /// The handler panicked; the bot restarts. Ask Telegram to retry.
    Panicked,
    /// The handler panicked on this update [`POISON_AFTER`] times: it is dropped (and
    /// reported) so one bad update cannot use up the bot's restart budget. Answer 2xx.
    Dropped,
}

/// Crashes on one update after which it is dropped instead of redelivered forever.
pub const POISON_AFTER: u32 = 3;

impl UpdateOutcome {
    /// Label for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            UpdateOutcome::Handled | UpdateOutcome::Replied(_) => "handled",
            UpdateOutcome::Duplicate => "duplicate",
            UpdateOutcome::Ignored => "ignored",
            UpdateOutcome::InProgress => "in_progress",
            UpdateOutcome::Failed(_) => "failed",
            UpdateOutcome::Unavailable(_) => "unavailable",
            UpdateOutcome::Panicked => "panicked",
            UpdateOutcome::Dropped => "dropped",
        }
    }
}

/// Why a bot actor stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// A handler panicked.
    Crashed(String),
    /// Telegram says the token is no longer valid.
    TokenRevoked,
    /// The supervisor asked it to stop (disconnect, ban, shutdown).
    Requested,
}

/// Sent by a bot actor to its supervisor when it has stopped.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct BotStopped {
    /// The bot.
    pub telegram_bot_id: i64,
    /// Which incarnation stopped (stale notices are ignored).
    pub generation: u64,
    /// Why.
    pub reason: StopReason,
}

/// Ask the bot to stop for the given reason.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Stop(pub StopReason);

/// Everything a bot actor is made of.
pub struct BotActor {
    profile: Arc<BotProfile>,
    client: BotClient,
    app: AppState,
    platform: Arc<Platform>,
    lanes: Arc<ChatLanes>,
    events: Recipient<PlatformEvent>,
    supervisor: Recipient<BotStopped>,
    generation: u64,
    stop_reason: Option<StopReason>,
}

impl BotActor {
    /// A new incarnation of a bot. `lanes` outlive incarnations, so updates of one chat
    /// stay in order across a restart (a crashed incarnation's in-flight work still holds them).
    #[allow(clippy::too_many_arguments)] // one per collaborator; built only by the supervisor
    pub fn new(
        profile: Arc<BotProfile>,
        client: BotClient,
        app: AppState,
        platform: Arc<Platform>,
        lanes: Arc<ChatLanes>,
        events: Recipient<PlatformEvent>,
        supervisor: Recipient<BotStopped>,
        generation: u64,
    ) -> Self {
        Self { profile, client, app, platform, lanes, events, supervisor, generation, stop_reason: None }
    }
}

impl Actor for BotActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.set_mailbox_capacity(self.app.settings.max_in_flight_per_bot.max(16));
        tracing::debug!(bot_id = self.profile.telegram_id, generation = self.generation, "bot actor started");
    }

    fn stopped(&mut self, _ctx: &mut Self::Context) {
        let reason = self.stop_reason.take().unwrap_or(StopReason::Requested);
        self.supervisor.do_send(BotStopped {
            telegram_bot_id: self.profile.telegram_id,
            generation: self.generation,
            reason,
        });
    }
}

impl Handler<Stop> for BotActor {
    type Result = ();

    fn handle(&mut self, msg: Stop, ctx: &mut Self::Context) {
        if self.stop_reason.is_none() {
            self.stop_reason = Some(msg.0);
        }
        ctx.stop();
    }
}

impl Handler<HandleUpdate> for BotActor {
    type Result = ResponseFuture<UpdateOutcome>;

    fn handle(&mut self, HandleUpdate(update): HandleUpdate, ctx: &mut Self::Context) -> Self::Result {
        let me = ctx.address();
        let (profile, client, app, lanes, events) =
            (self.profile.clone(), self.client.clone(), self.app.clone(), self.lanes.clone(), self.events.clone());
        let platform = self.platform.clone();
        Box::pin(async move {
            let bot_id = profile.telegram_id;
            let update_id = update.id.0;
            if !handlers::acts_on(&profile.kind, &update) {
                metrics::counter!("getolog_updates_total", "bot_kind" => profile.kind_label(), "outcome" => "ignored")
                    .increment(1);
                return UpdateOutcome::Ignored;
            }
            let started = Instant::now();
            let claim = crate::crypto::random_webhook_secret();
            let bot =
                pipeline::Bot { profile: &profile, client: &client, app: &app, platform: &platform, lanes: &lanes };
            let work = pipeline::process(&bot, &update, &claim);
            let outcome = match AssertUnwindSafe(work).catch_unwind().await {
                Ok(Ok(outcome)) => outcome,
                Ok(Err(TelegramFailure::TokenRevoked)) => {
                    me.do_send(Stop(StopReason::TokenRevoked));
                    UpdateOutcome::Failed("token revoked".into())
                }
                Ok(Err(failure)) => UpdateOutcome::Failed(format!("{failure:?}")),
                Err(panic) => {
                    let message = crate::crypto::redact_tokens(&panic_message(panic.as_ref()));
                    let (outcome, crashes) = after_panic(&app, &profile, update_id, &claim, &message).await;
                    // A repeat crash on the same update does not cost another restart: one
                    // poison update must not exhaust the bot's restart budget.
                    if crashes <= 1 {
                        me.do_send(Stop(StopReason::Crashed(message)));
                    }
                    if outcome == UpdateOutcome::Dropped {
                        events.do_send(PlatformEvent::UpdateDropped {
                            telegram_bot_id: bot_id,
                            username: profile.username.clone(),
                            update_id,
                        });
                    }
                    outcome
                }
            };
            let kind = profile.kind_label();
            metrics::counter!("getolog_updates_total", "bot_kind" => kind, "outcome" => outcome.label()).increment(1);
            metrics::histogram!("getolog_update_duration_seconds", "bot_kind" => kind)
                .record(started.elapsed().as_secs_f64());
            outcome
        })
    }
}

/// Decides whether a crashed update is redelivered (claim released) or, after
/// [`POISON_AFTER`] crashes, dropped (marked done and reported).
/// Returns the outcome and how many times this update has crashed so far.
async fn after_panic(
    app: &AppState,
    profile: &BotProfile,
    update_id: u32,
    claim: &str,
    message: &str,
) -> (UpdateOutcome, u32) {
    let bot_id = profile.telegram_id;
    let crashes = app.cache.count_crash(bot_id, update_id).await.unwrap_or(1);
    if crashes >= POISON_AFTER {
        tracing::error!(bot_id, update_id, crashes, %message, "handler keeps panicking on this update; dropped");
        let _ = app.cache.finish_update(bot_id, update_id).await;
        return (UpdateOutcome::Dropped, crashes);
    }
    tracing::error!(bot_id, update_id, crashes, %message, "handler panicked");
    let _ = app.cache.release_update(bot_id, update_id, claim).await;
    (UpdateOutcome::Panicked, crashes)
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}
