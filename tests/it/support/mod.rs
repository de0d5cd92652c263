//! Test harness: a fresh database, a Redis key prefix, the Telegram simulator and the real
//! application front, wired together like production (`spawn_app`, zero2prod style).
#![allow(dead_code)]

pub mod click;
pub mod db;
pub mod lifecycle;
pub mod owner;
pub mod payme;
pub mod platform;
pub mod proxy;
pub mod serve;
pub mod shop;
pub mod stars;
pub mod uzum;

use std::{collections::HashMap, net::TcpListener, sync::Arc, time::Duration};

use chrono::TimeZone;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::{scheduler::SchedulerActor, supervisor::registry::BotState},
    clock::ManualClock,
    config::Settings,
    crypto::{BotToken, TokenVault},
    db::{owners, schema::user_bots},
    simulator::{SentMessage, SimBot, SimUser, Simulator},
    startup::Application,
    state::AppState,
};

pub use self::db::TestDb;

/// The moderator every test app has.
pub const MODERATOR_ID: i64 = 9_000_000_001;

/// Where every test's clock starts. No test reads the real date: rows get their times from
/// this clock, so a test passes the same way whatever day it runs.
pub fn test_epoch() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

/// Everything before the app starts: database, simulator, main bot, settings.
pub struct TestEnv {
    /// The test's database.
    pub db: TestDb,
    /// The simulated Telegram.
    pub sim: Simulator,
    /// The main Getolog bot in the simulator.
    pub main_bot: SimBot,
    /// Settings the app will start with (tests may tweak them).
    pub settings: Settings,
    /// The environment variables those settings came from (for running the real binary).
    pub vars: HashMap<String, String>,
    listener: TcpListener,
}

/// A running app with its environment.
pub struct TestApp {
    /// The environment (database, simulator...).
    pub env: TestEnv,
    /// Base URL of the front, e.g. `http://127.0.0.1:PORT`.
    pub address: String,
    /// Shared state of the running app.
    pub state: AppState,
    /// Routing table.
    pub registry: getolog::actors::supervisor::registry::Registry,
    /// The injected clock.
    pub clock: ManualClock,
    /// Stops the server.
    pub server: actix_web::dev::ServerHandle,
    /// The scheduler (tests run its jobs instead of waiting for its timers).
    pub scheduler: actix::Addr<SchedulerActor>,
    /// The bound on lookups of unknown bot ids, with its counters.
    pub lookups: Arc<getolog::http::lookups::BotLookups>,
}

impl TestEnv {
    /// A fresh environment.
    pub async fn new() -> TestEnv {
        getolog::telemetry::init_for_test();
        let db = db::create().await;
        let sim = Simulator::start().await.expect("simulator");
        let main_bot = sim.create_bot("getolog_bot");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let vars: HashMap<String, String> = [
            ("BOT_TOKEN", main_bot.token.clone()),
            ("DATABASE_URL", db.url.clone()),
            ("REDIS_URL", std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())),
            ("REDIS_PREFIX", format!("test:{}", db::random_suffix())),
            ("ENCRYPTION_KEY", fernet::Fernet::generate_key()),
            ("MODERATOR_IDS", MODERATOR_ID.to_string()),
            ("SERVER_URL", format!("http://127.0.0.1:{port}")),
            ("TELEGRAM_API_URL", sim.api_url().to_string()),
            ("WORKERS", "2".into()),
            // Each test's server opens its threads' connections ahead; tests run side by side
            // against one PostgreSQL, so they keep to fewer than a production node would.
            ("DATABASE_POOL_SIZE", "6".into()),
            ("ALERT_FLUSH_EVERY", "100ms".into()),
            ("BOT_RESTART_BACKOFF", "20ms".into()),
            ("BOT_RESTART_MAX_BACKOFF", "100ms".into()),
            ("BOT_MAX_RESTARTS", "3".into()),
            // Scripts press faster than people; tests of the limiter set it back.
            ("RATE_LIMIT_PER_SECOND", "1000".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let mut settings = Settings::from_map(&vars).expect("test settings");
        settings.test_panic_trigger = Some("/__panic".into());
        TestEnv { db, sim, main_bot, settings, vars, listener }
    }

    /// Stores an owner and a connected seller bot, as if the owner had connected it.
    pub async fn seed_seller_bot(&self, owner_telegram_id: i64, username: &str) -> SimBot {
        let bot = self.sim.create_bot(username);
        self.store_seller_bot(owner_telegram_id, &bot).await;
        bot
    }

    /// Stores an owner and `bot` as their connected seller bot, as another node would have
    /// when the owner connected it there; returns the bot's webhook secret.
    pub async fn store_seller_bot(&self, owner_telegram_id: i64, bot: &SimBot) -> String {
        let vault: &TokenVault = &self.settings.vault;
        let token = BotToken::parse(&bot.token).expect("simulator token");
        let mut conn = <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&self.db.url)
            .await
            .expect("connect");
        let profile =
            owners::OwnerProfile { telegram_id: owner_telegram_id, username: None, full_name: "Owner", language: "en" };
        let (owner, _) = owners::register_or_update(&mut conn, &profile, test_epoch()).await.expect("owner");
        getolog::services::bots::store_connected_bot(&mut conn, vault, owner.id, &token, &bot.username, test_epoch())
            .await
            .expect("bot");
        user_bots::table
            .filter(user_bots::telegram_bot_id.eq(bot.id))
            .select(user_bots::webhook_secret)
            .first(&mut conn)
            .await
            .expect("webhook secret")
    }

    /// Sends the application's PostgreSQL connections through a proxy the test can cut, to
    /// play "PostgreSQL went down" (call before [`TestEnv::start`]).
    pub async fn postgres_through_proxy(&mut self) -> proxy::CuttableProxy {
        let mut url = url::Url::parse(&self.db.url).expect("database url");
        let proxy = proxy::CuttableProxy::start(&format!("127.0.0.1:{}", url.port().unwrap_or(5432))).await;
        url.set_port(Some(proxy.port)).expect("port");
        self.settings.database_url = url.to_string();
        proxy
    }

    /// Frees the reserved port (for a process that will bind it) and returns it.
    pub fn release_port(&mut self) -> u16 {
        let port = self.listener.local_addr().expect("addr").port();
        self.listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        port
    }

    /// Starts the application on this environment.
    pub async fn start(self) -> TestApp {
        let clock = ManualClock::new(test_epoch());
        let listener = self.listener.try_clone().expect("listener");
        let app = Application::build_with_listener(self.settings.clone(), Arc::new(clock.clone()), listener)
            .await
            .expect("application starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let (state, registry, server) = (app.state().clone(), app.registry().clone(), app.server_handle());
        let (scheduler, lookups) = (app.scheduler().clone(), app.lookups().clone());
        actix_web::rt::spawn(app.run_until_stopped());
        let test_app = TestApp { env: self, address, state, registry, clock, server, scheduler, lookups };
        let main_id = test_app.env.main_bot.id;
        assert!(test_app.wait_for_webhook(main_id).await, "main bot webhook was not set");
        test_app
    }
}

/// A fresh environment with a running app and no seller bots.
pub async fn spawn_app() -> TestApp {
    TestEnv::new().await.start().await
}

impl TestApp {
    /// The simulator.
    pub fn sim(&self) -> &Simulator {
        &self.env.sim
    }

    /// Waits (bounded) until the bot's webhook points at this app.
    pub async fn wait_for_webhook(&self, bot_id: i64) -> bool {
        let expected = format!("{}/webhook/{bot_id}", self.address);
        self.sim().wait_for(Duration::from_secs(10), |s| s.webhook(bot_id).is_some_and(|w| w.url == expected)).await
    }

    /// The last message the bot has in a chat.
    pub fn last_message(&self, bot_id: i64, chat_id: i64) -> SentMessage {
        self.sim().last_message(bot_id, chat_id).unwrap_or_else(|| panic!("bot {bot_id} sent nothing to {chat_id}"))
    }

    /// A user of the simulator.
    pub fn user(&self, id: i64, name: &str) -> SimUser {
        self.sim().user(id, name, Some(&name.to_lowercase()))
    }

    /// Sends `/start` and presses the language button `lang`; returns the language message as
    /// it reads afterwards (edited into the welcome); a seller bot's offer follows it.
    pub async fn start_and_choose(&self, bot_id: i64, user: &SimUser, lang: &str) -> SentMessage {
        let d = self.sim().send_text(bot_id, user, "/start").await.expect("deliver /start");
        assert_eq!(d.status, 200, "/start not acknowledged");
        let prompt = self.last_message(bot_id, user.id);
        let d = self.sim().press_button(bot_id, user, prompt.message_id, &format!("lang:{lang}")).await.expect("press");
        assert_eq!(d.status, 200, "language button not acknowledged");
        self.sim().message(bot_id, user.id, prompt.message_id).expect("the language message")
    }

    /// Current state of a bot in the routing table.
    pub fn bot_state(&self, bot_id: i64) -> Option<BotState> {
        self.registry.route(bot_id).map(|r| r.state)
    }

    /// The bot's current actor, if one runs.
    pub fn actor_of(&self, bot_id: i64) -> Option<actix::Addr<getolog::actors::bot::BotActor>> {
        self.registry.route(bot_id).and_then(|r| r.addr)
    }

    /// Sends `/__panic` (the test panic trigger) and waits until a *new* incarnation of the
    /// bot serves (the crashed one may look alive until the supervisor hears of its death).
    /// Returns the HTTP status of the crashing delivery.
    pub async fn crash_and_wait_for_restart(&self, bot_id: i64, user: &SimUser) -> u16 {
        let before = self.actor_of(bot_id);
        let status = self.sim().send_text(bot_id, user, "/__panic").await.expect("deliver").status;
        self.wait_for_new_incarnation(bot_id, before).await;
        status
    }

    /// Waits until the bot runs an actor other than `before`.
    pub async fn wait_for_new_incarnation(
        &self,
        bot_id: i64,
        before: Option<actix::Addr<getolog::actors::bot::BotActor>>,
    ) {
        let restarted = self
            .sim()
            .wait_for(Duration::from_secs(5), |_| {
                self.bot_state(bot_id) == Some(BotState::Alive)
                    && self.actor_of(bot_id).is_some_and(|a| Some(&a) != before.as_ref())
            })
            .await;
        assert!(restarted, "bot {bot_id} was not restarted");
    }

    /// A fresh connection to the test database.
    pub async fn db(&self) -> diesel_async::AsyncPgConnection {
        <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&self.env.db.url)
            .await
            .expect("connect")
    }
}
