//! `Application::build`: migrations, pools, actors, webhooks, and the HTTP front bound to
//! its listener (port 0 in tests). Must run inside an actix System.

use std::{net::TcpListener, sync::Arc, time::Duration};

use actix::{Actor, Addr};
use actix_web::{dev::Server, web, App, HttpServer};

use crate::{
    actors::{
        inbox::InboxActor,
        moderator::ModeratorActor,
        scheduler::{Jobs, SchedulerActor},
        supervisor::{registry::Registry, BotSpec, GetPlatform, Handles, LoadBots, Shutdown, Supervisor},
    },
    cache::Cache,
    clock::SharedClock,
    config::Settings,
    db::{self, lease_holder::LeaseHolder, Plans},
    http::{self, lookups::BotLookups, webhook::WebhookFront},
    i18n::I18n,
    state::AppState,
    telegram::TelegramFactory,
};

/// A running Getolog node.
pub struct Application {
    port: u16,
    server: Server,
    supervisor: Addr<Supervisor>,
    scheduler: Addr<SchedulerActor>,
    state: AppState,
    registry: Registry,
    lookups: Arc<BotLookups>,
}

/// Connections the kernel queues for the front beyond those it has open (the kernel caps it at
/// `net.core.somaxconn`).
const LISTEN_BACKLOG: i32 = 4096;

impl Application {
    /// Builds everything and binds `settings.listen_addr`.
    pub async fn build(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(settings.listen_addr)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen_addr))?;
        Self::build_with_listener(settings, clock, listener).await
    }

    /// Builds everything on an already bound listener.
    pub async fn build_with_listener(
        settings: Settings,
        clock: SharedClock,
        listener: TcpListener,
    ) -> anyhow::Result<Self> {
        let applied = db::run_migrations(&settings.database_url).await?;
        if !applied.is_empty() {
            tracing::info!(?applied, "migrations applied");
        }
        crate::http::metrics::install();
        let settings = Arc::new(settings);
        let shared_db = db::build_pool(&settings.database_url, settings.database_pool_size);
        let state = AppState {
            db: shared_db.clone(),
            // Durable here too: the lazy pools belong to the bot threads (`for_one_of`).
            db_lazy: shared_db,
            lazy_ahead: 0,
            cache: Cache::new(&settings.redis_url, &settings.redis_prefix, settings.redis_pool_size)?,
            i18n: I18n::load()?,
            clock,
            settings: settings.clone(),
            courier: Arc::default(),
            shops: Arc::default(),
            leases: LeaseHolder::new(),
        };
        actix::spawn(state.leases.clone().keep(settings.database_url.clone()));
        actix::spawn(state.cache.clone().keep_claims_alive());
        actix::spawn(crate::memory::give_back_when_quiet(crate::memory::QUIET_CHECK_EVERY));
        let telegram = TelegramFactory::new(settings.telegram_api_url.clone());
        let main_client = telegram.client(&settings.bot_token);
        // The main bot's throttle worker runs on this (the System's) thread: it must outlive
        // the bot arbiters, which stop first at shutdown while the inbox may still flush.
        let _ = main_client.throttled();

        let moderator = {
            let (app, client) = (state.clone(), main_client.clone());
            actix::Supervisor::start(move |_| ModeratorActor::new(app, client))
        };
        let inbox = InboxActor::new(main_client.clone(), settings.alert_flush_every).start();
        let registry = Registry::new(settings.unknown_bot_ttl);
        let supervisor = Supervisor::new(
            state.clone(),
            telegram,
            registry.clone(),
            Handles { events: moderator.clone().recipient(), inbox: inbox.recipient(), main: main_client.clone() },
            settings.worker_threads(),
        )
        .start();

        let (username, can_manage_bots) = main_bot_identity(&main_client).await;
        {
            let (i18n, client, moderators) = (state.i18n.clone(), main_client.clone(), settings.moderator_ids.clone());
            actix::spawn(
                async move { crate::telegram::commands::set_main_commands(&i18n, &client, &moderators).await },
            );
        }
        let main = BotSpec::main_bot(&state, username);
        let bots = supervisor.send(LoadBots { main, can_manage_bots }).await??;
        tracing::info!(bots, "serving");
        let platform = supervisor.send(GetPlatform).await?;
        actix::spawn(crate::actors::courier::run(state.clone(), platform.clone()));
        let scheduler = {
            let jobs = Jobs::new(state.clone(), platform, moderator.clone().recipient());
            actix::Supervisor::start(move |_| SchedulerActor::new(jobs.clone()))
        };

        let lookups = BotLookups::new(settings.unknown_bot_lookups);
        let front = WebhookFront {
            registry: registry.clone(),
            supervisor: supervisor.clone(),
            lookups: lookups.clone(),
            in_flight: Arc::new(tokio::sync::Semaphore::new(settings.max_in_flight_total)),
        };
        let port = listener.local_addr()?.port();
        // Connections past `MAX_CONNECTIONS` wait in the kernel's queue (kept there, not in
        // this process's memory) rather than being dropped: std listens with a queue of 128.
        socket2::SockRef::from(&listener).listen(LISTEN_BACKLOG)?;
        let (front, shared, workers) = (web::Data::new(front), state.clone(), settings.worker_threads());
        // Each worker gets pools of its own, opened on its thread: the provider endpoints'
        // queries are then driven by the thread that awaits them, with no hop to another
        // thread and back per round trip. Their statements are planned once, generically.
        let server = HttpServer::new(move || {
            let app = web::Data::new(shared.for_one_of(workers, Plans::Generic));
            let turns = web::Data::from(http::grants_first::GrantsFirst::new(app.thread_share(workers) as usize));
            actix_web::rt::spawn(app.as_ref().clone().thread_upkeep(workers));
            App::new().app_data(front.clone()).app_data(app).app_data(turns).configure(http::routes)
        })
        .workers(settings.worker_threads())
        .max_connections(settings.max_connections.div_ceil(settings.worker_threads()))
        .shutdown_timeout(30)
        // `getolog serve` handles SIGTERM/SIGINT itself (to tell systemd it is stopping).
        .disable_signals()
        .listen(listener)?
        .run();
        Ok(Self { port, server, supervisor, scheduler, state, registry, lookups })
    }

    /// The port the front listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Shared state (tests reach the database through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The routing table (tests read bot states from it).
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The bound on lookups of unknown bot ids (tests read its counters).
    pub fn lookups(&self) -> &Arc<BotLookups> {
        &self.lookups
    }

    /// The supervisor (to start/stop bots at run time).
    pub fn supervisor(&self) -> &Addr<Supervisor> {
        &self.supervisor
    }

    /// The scheduler (tests trigger its jobs).
    pub fn scheduler(&self) -> &Addr<SchedulerActor> {
        &self.scheduler
    }

    /// A handle that stops the HTTP server gracefully.
    pub fn server_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped through its handle (in-flight updates finish
    /// first), then stops the bots.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.supervisor.do_send(Shutdown);
        result
    }
}

/// The main bot's username from `getMe`, and whether it may create shop bots (managed
/// bots); empty and `false` if Telegram cannot be reached right now.
async fn main_bot_identity(client: &crate::telegram::BotClient) -> (String, bool) {
    let get_me = crate::telegram::managed::call(client.raw(), crate::telegram::managed::GetMe {});
    match tokio::time::timeout(Duration::from_secs(10), get_me).await {
        Ok(Ok(me)) => {
            if me.can_manage_bots {
                tracing::info!("the main bot may manage bots: owners can create their shop bot in one tap");
            } else {
                tracing::warn!(
                    "the main bot may not manage bots (can_manage_bots is false): owners connect by token only; \
                     switch on Bot Management in @BotFather to offer one-tap shop bots"
                );
            }
            (me.username.unwrap_or_default(), me.can_manage_bots)
        }
        Ok(Err(e)) => {
            tracing::error!(failure = ?crate::telegram::errors::classify(&e), "getMe failed for the main bot");
            (String::new(), false)
        }
        Err(_) => {
            tracing::warn!("getMe timed out for the main bot");
            (String::new(), false)
        }
    }
}
