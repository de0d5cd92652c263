//! The `Supervisor`: starts a `BotActor` per bot on a pool of arbiters, keeps the routing
//! table, (re-)registers webhooks, and restarts crashed bots under the restart policy.

pub mod connect;
mod failures;
mod health_line;
mod messages;
mod registration;
pub mod registry;
pub mod restart_policy;
mod spec;
pub mod webhooks;

use std::{collections::HashMap, sync::Arc, time::Instant};

use actix::{
    Actor, ActorFutureExt, Addr, Arbiter, AsyncContext, Context, Handler, Message, Recipient, ResponseActFuture,
    WrapFuture,
};

pub use self::{
    messages::{AdoptBot, GetPlatform, LoadBots, Shutdown, StartBot, StopBot},
    spec::{load_one, load_with_token, BotSpec},
};
use self::{
    registry::{BotState, Registry, Route},
    restart_policy::{RestartDecision, RestartHistory, RestartPolicy},
    webhooks::WebhookTarget,
};
use crate::{
    actors::{
        bot::{lanes::ChatLanes, BotActor, BotStopped, Stop, StopReason},
        inbox::Inform,
    },
    db::{self, user_bots, Plans},
    events::PlatformEvent,
    handlers::BotKind,
    platform::Platform,
    state::AppState,
    telegram::{BotClient, TelegramFactory},
};

/// What the supervisor hands its bots besides state: where platform events go, the owners'
/// notice inbox, and the main bot's one client (one throttle for everything it sends).
pub struct Handles {
    /// The moderator actor.
    pub events: Recipient<PlatformEvent>,
    /// The owners' notice inbox.
    pub inbox: Recipient<Inform>,
    /// The main bot's client.
    pub main: BotClient,
}

struct Entry {
    spec: BotSpec,
    generation: u64,
    history: RestartHistory,
    lanes: Arc<ChatLanes>,
}

/// Owner of all bot actors.
pub struct Supervisor {
    app: AppState,
    telegram: TelegramFactory,
    registry: Registry,
    events: Recipient<PlatformEvent>,
    inbox: Recipient<Inform>,
    main: BotClient,
    /// The bot actors' threads, each with storage pools of its own.
    arbiters: Vec<(Arbiter, AppState)>,
    bots: HashMap<i64, Entry>,
    policy: RestartPolicy,
    generations: u64,
    platform: Option<Arc<Platform>>,
    main_username: String,
    can_manage_bots: bool,
    /// Restarts since the last health line.
    restarts_since_report: u32,
}

impl Supervisor {
    /// A supervisor with `threads` arbiters for the bot actors.
    pub fn new(app: AppState, telegram: TelegramFactory, registry: Registry, handles: Handles, threads: usize) -> Self {
        let Handles { events, inbox, main } = handles;
        let policy = RestartPolicy::new(app.settings.restart.clone());
        let threads = threads.max(1);
        let arbiters: Vec<_> =
            (0..threads).map(|_| (Arbiter::new(), app.for_one_of(threads, Plans::Default))).collect();
        for (arbiter, state) in &arbiters {
            arbiter.spawn(state.clone().thread_upkeep(threads));
        }
        Self {
            app,
            telegram,
            registry,
            events,
            inbox,
            main,
            arbiters,
            bots: HashMap::new(),
            policy,
            generations: 0,
            platform: None,
            main_username: String::new(),
            can_manage_bots: false,
            restarts_since_report: 0,
        }
    }

    /// The handles every bot actor gets, made once (they hold this supervisor's address).
    fn platform(&mut self, ctx: &Context<Self>) -> Arc<Platform> {
        let (telegram, settings, registry) = (&self.telegram, &self.app.settings, &self.registry);
        let (main_username, main, inbox) = (&self.main_username, &self.main, &self.inbox);
        let can_manage_bots = self.can_manage_bots;
        let app = &self.app;
        self.platform
            .get_or_insert_with(|| {
                let me = ctx.address();
                Arc::new(Platform::new(
                    telegram.clone(),
                    main.clone(),
                    inbox.clone(),
                    settings.bot_token.bot_id(),
                    (main_username.clone(), can_manage_bots),
                    me.clone().recipient(),
                    me.recipient(),
                    registry.clone(),
                    app.clone(),
                ))
            })
            .clone()
    }

    fn spawn_actor(
        &mut self,
        spec: &BotSpec,
        client: BotClient,
        lanes: Arc<ChatLanes>,
        ctx: &mut Context<Self>,
    ) -> (Addr<BotActor>, u64) {
        let platform = self.platform(ctx);
        self.generations += 1;
        let generation = self.generations;
        let (arbiter, app) = &self.arbiters[(spec.profile.telegram_id.unsigned_abs() as usize) % self.arbiters.len()];
        let (profile, client, app, events, me) =
            (spec.profile.clone(), client, app.clone(), self.events.clone(), ctx.address().recipient());
        let addr = BotActor::start_in_arbiter(&arbiter.handle(), move |_| {
            BotActor::new(profile, client, app, platform, lanes, events, me, generation)
        });
        (addr, generation)
    }

    fn start_bot(&mut self, spec: BotSpec, ctx: &mut Context<Self>) -> Option<WebhookTarget> {
        let id = spec.profile.telegram_id;
        if let Some(old) = self.registry.route(id).and_then(|r| r.addr) {
            old.do_send(Stop(StopReason::Requested));
        }
        // A replaced bot (new token) keeps its lanes, in-flight limit and crash history.
        let previous = self.bots.remove(&id);
        let (history, lanes) = previous.map(|e| (e.history, e.lanes)).unwrap_or_default();
        let client = match spec.profile.kind {
            BotKind::Main => self.main.clone(),
            BotKind::Seller { .. } => self.telegram.client(&spec.token),
        };
        let (addr, generation) = self.spawn_actor(&spec, client.clone(), lanes.clone(), ctx);
        let in_flight = self
            .registry
            .route(id)
            .map(|r| r.in_flight)
            .unwrap_or_else(|| Arc::new(tokio::sync::Semaphore::new(self.app.settings.max_in_flight_per_bot)));
        let route = Route { secret: spec.secret.clone(), addr: Some(addr), state: BotState::Alive, in_flight, client };
        self.registry.insert(id, route);
        let target = self.webhook_target(&spec, generation);
        self.bots.insert(id, Entry { spec, generation, history, lanes });
        target
    }

    fn on_crash(&mut self, id: i64, message: String, ctx: &mut Context<Self>) {
        let Some(entry) = self.bots.get_mut(&id) else { return };
        if self.registry.route(id).is_some_and(|r| r.state == BotState::Revoked) {
            return; // revoked bots are not restarted
        }
        let generation = entry.generation;
        metrics::counter!("getolog_bot_restarts_total").increment(1);
        match self.policy.on_crash(&mut entry.history, Instant::now()) {
            RestartDecision::RestartAfter(delay) => {
                tracing::warn!(bot_id = id, ?delay, %message, "bot crashed; restarting");
                health_line::record(&self.app.cache, id, "restarted", &message);
                self.restarts_since_report += 1;
                self.registry.set_state(id, BotState::Restarting, None);
                ctx.run_later(delay, move |this, ctx| this.restart(id, generation, ctx));
            }
            RestartDecision::GiveUp { restarts, revive_after, first } => {
                self.fail(id, generation, failures::GiveUp { restarts, revive_after, first, message }, ctx);
            }
        }
    }

    /// Starts a new incarnation after a crash of incarnation `crashed`, unless something else
    /// (a replacement, a stop, a revocation) happened to the bot meanwhile.
    fn restart(&mut self, id: i64, crashed: u64, ctx: &mut Context<Self>) {
        if self.bots.get(&id).map(|e| e.generation) != Some(crashed)
            || self.registry.route(id).map(|r| r.state) != Some(BotState::Restarting)
        {
            return;
        }
        if let Some(generation) = self.respawn(id, ctx) {
            tracing::info!(bot_id = id, generation, "bot restarted");
        }
    }

    /// Starts a new incarnation of a known bot with its spec, lanes and client, and routes to
    /// it; returns its generation.
    fn respawn(&mut self, id: i64, ctx: &mut Context<Self>) -> Option<u64> {
        let (spec, lanes) = self.bots.get(&id).map(|e| (e.spec.clone(), e.lanes.clone()))?;
        let client = self.registry.route(id).map(|r| r.client).unwrap_or_else(|| self.telegram.client(&spec.token));
        let (addr, generation) = self.spawn_actor(&spec, client, lanes, ctx);
        if let Some(entry) = self.bots.get_mut(&id) {
            entry.generation = generation;
        }
        self.registry.set_state(id, BotState::Alive, Some(addr));
        Some(generation)
    }

    fn report_health(&mut self) {
        let restarts = std::mem::take(&mut self.restarts_since_report);
        health_line::report(&self.registry, &self.app.cache, restarts);
    }

    /// Stops routing to a bot whose token Telegram refused; its owner and the moderators
    /// are told (once, whoever noticed first).
    fn mark_revoked(&self, id: i64) {
        self.registry.set_state(id, BotState::Revoked, None);
        let (app, main, events) = (self.app.clone(), self.main.clone(), self.events.clone());
        actix::spawn(async move {
            if let Err(e) = crate::actors::scheduler::announce_revocation(&app, &main, &events, id, None).await {
                tracing::error!(bot_id = id, error = %e, "could not record a revoked token");
            }
        });
    }

    fn persist_health(&self, id: i64, state: BotState, error: Option<String>) {
        let (db, now) = (self.app.db.clone(), self.app.clock.now());
        actix::spawn(async move {
            let result = async {
                let mut conn = db.get().await.map_err(db::DbError::from)?;
                user_bots::set_health(&mut conn, id, state.label(), error.as_deref(), now)
                    .await
                    .map_err(db::DbError::from)
            };
            if let Err(e) = result.await {
                tracing::error!(bot_id = id, error = %e, "could not record bot health");
            }
        });
    }
}

/// A bot's token was refused by Telegram.
#[derive(Message)]
#[rtype(result = "()")]
struct MarkRevoked {
    telegram_bot_id: i64,
    generation: u64,
}

impl Actor for Supervisor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(std::time::Duration::from_secs(60), |this, _| this.report_health());
    }

    fn stopped(&mut self, _ctx: &mut Self::Context) {
        for (arbiter, _) in &self.arbiters {
            arbiter.stop();
        }
    }
}

impl Handler<StartBot> for Supervisor {
    type Result = ();

    fn handle(&mut self, msg: StartBot, ctx: &mut Self::Context) {
        let target = self.start_bot(msg.spec, ctx);
        if let (true, Some(target)) = (msg.register_webhook, target) {
            self.register_webhooks(vec![target], ctx);
        }
    }
}

impl Handler<StopBot> for Supervisor {
    type Result = ();

    fn handle(&mut self, msg: StopBot, _ctx: &mut Self::Context) {
        if let Some(addr) = self.registry.route(msg.telegram_bot_id).and_then(|r| r.addr) {
            addr.do_send(Stop(StopReason::Requested));
        }
        self.bots.remove(&msg.telegram_bot_id);
        self.registry.remove(msg.telegram_bot_id);
    }
}

impl Handler<MarkRevoked> for Supervisor {
    type Result = ();

    fn handle(&mut self, msg: MarkRevoked, _ctx: &mut Self::Context) {
        let id = msg.telegram_bot_id;
        if self.bots.get(&id).map(|e| e.generation) != Some(msg.generation) {
            return; // a late answer about a token that has been replaced since
        }
        if let Some(addr) = self.registry.route(id).and_then(|r| r.addr) {
            addr.do_send(Stop(StopReason::TokenRevoked));
        }
        self.mark_revoked(id);
    }
}

impl Handler<BotStopped> for Supervisor {
    type Result = ();

    fn handle(&mut self, msg: BotStopped, ctx: &mut Self::Context) {
        let id = msg.telegram_bot_id;
        if self.bots.get(&id).map(|e| e.generation) != Some(msg.generation) {
            return; // an older incarnation, already replaced
        }
        match msg.reason {
            StopReason::Crashed(message) => self.on_crash(id, message, ctx),
            StopReason::TokenRevoked => self.mark_revoked(id),
            StopReason::Requested => {}
        }
    }
}

impl Handler<LoadBots> for Supervisor {
    type Result = ResponseActFuture<Self, Result<usize, db::DbError>>;

    fn handle(&mut self, msg: LoadBots, _ctx: &mut Self::Context) -> Self::Result {
        self.main_username = msg.main.profile.username.clone();
        self.can_manage_bots = msg.can_manage_bots;
        let app = self.app.clone();
        let load = async move { spec::load_servable(&app).await };
        Box::pin(load.into_actor(self).map(move |loaded, this, ctx| {
            let specs = loaded?;
            let mut targets: Vec<WebhookTarget> = Vec::with_capacity(specs.len() + 1);
            for spec in std::iter::once(msg.main).chain(specs) {
                targets.extend(this.start_bot(spec, ctx));
            }
            let count = targets.len();
            this.register_at_startup(targets, ctx);
            this.report_health();
            tracing::info!(bots = count, "bots started");
            Ok(count)
        }))
    }
}

impl Handler<AdoptBot> for Supervisor {
    type Result = ResponseActFuture<Self, Result<bool, db::DbError>>;

    fn handle(&mut self, msg: AdoptBot, _ctx: &mut Self::Context) -> Self::Result {
        let (app, id) = (self.app.clone(), msg.telegram_bot_id);
        let find = async move { spec::load_one(&app, id).await };
        Box::pin(find.into_actor(self).map(move |found, this, ctx| match found {
            Ok(Some(spec)) if this.registry.route(spec.profile.telegram_id).is_none() => {
                this.start_bot(spec, ctx);
                Ok(true)
            }
            Ok(Some(_)) => Ok(true),
            Ok(None) => {
                this.registry.remember_unknown(id);
                Ok(false)
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot look up an unknown bot");
                Err(e)
            }
        }))
    }
}

impl Handler<GetPlatform> for Supervisor {
    type Result = actix::MessageResult<GetPlatform>;

    fn handle(&mut self, _msg: GetPlatform, ctx: &mut Self::Context) -> Self::Result {
        actix::MessageResult(self.platform(ctx))
    }
}

impl Handler<Shutdown> for Supervisor {
    type Result = ();

    fn handle(&mut self, _msg: Shutdown, ctx: &mut Self::Context) {
        use actix::ActorContext;
        for addr in self.registry.addresses() {
            addr.do_send(Stop(StopReason::Requested));
        }
        ctx.stop();
    }
}
