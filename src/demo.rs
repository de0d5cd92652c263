//! `getolog demo`: the whole product on one machine. Starts the Telegram simulator and a
//! Getolog node on a scratch database, plays an owner, a moderator and a customer through
//! the real webhooks, and prints the conversation.

use std::{collections::HashMap, net::TcpListener, sync::Arc, time::Duration};

use anyhow::Context as _;

use crate::{
    clock::SystemClock,
    config::Settings,
    crypto::BotToken,
    db::{owners, scratch::ScratchDatabase},
    simulator::{Call, SimBot, SimUser, Simulator},
    startup::Application,
};

const OWNER_ID: i64 = 5_000_000_001;
const SHOP_OWNER_ID: i64 = 5_000_000_002;
const MODERATOR_ID: i64 = 5_000_000_100;
const CUSTOMER_ID: i64 = 6_000_000_001;

/// Runs the scripted demo and prints its transcript.
pub async fn run() -> anyhow::Result<()> {
    let server = std::env::var("DEMO_DATABASE_SERVER").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let database = ScratchDatabase::create(&server, "getolog_demo")
        .await
        .context("PostgreSQL is needed (DEMO_DATABASE_SERVER)")?;
    let sim = Simulator::start().await?;
    let main_bot = sim.create_bot("getolog_bot");
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let settings = demo_settings(&main_bot, &database.url, &redis, &sim, listener.local_addr()?.port())?;
    crate::db::run_migrations(&database.url).await?;
    let shop = seed_seller_bot(&sim, &settings, &database.url).await?;

    let app = Application::build_with_listener(settings, Arc::new(SystemClock), listener).await?;
    app.state().cache.ping().await.context("Redis is needed (REDIS_URL)")?;
    let server_handle = app.server_handle();
    actix_web::rt::spawn(app.run_until_stopped());
    let mut transcript = Transcript::new(sim.clone());
    for bot in [&main_bot, &shop] {
        let expected = format!("/webhook/{}", bot.id);
        let ready = sim
            .wait_for(Duration::from_secs(10), |s| s.webhook(bot.id).is_some_and(|w| w.url.ends_with(&expected)))
            .await;
        anyhow::ensure!(ready, "@{} did not register its webhook", bot.username);
        transcript
            .note(&format!("@{} registered its webhook (secret token set, chat_member updates on)", bot.username));
    }

    let moderator = sim.user(MODERATOR_ID, "Malika", Some("malika_mod"));
    let owner = sim.user(OWNER_ID, "Dilshod", Some("dilshod"));
    let customer = sim.user(CUSTOMER_ID, "Aziza", Some("aziza"));
    transcript.section("A moderator opens the main bot (so it may write to them)");
    transcript.say(&moderator, &main_bot, "/start", sim.send_text(main_bot.id, &moderator, "/start").await?.status);

    transcript.section("An owner registers in the main bot");
    transcript.say(&owner, &main_bot, "/start", sim.send_text(main_bot.id, &owner, "/start").await?.status);
    transcript.press(&owner, &main_bot, "lang:ru", &sim).await?;
    sim.wait_for(Duration::from_secs(5), |s| s.messages_in(main_bot.id, MODERATOR_ID).len() >= 2).await;
    transcript.flush();

    transcript.section("A customer opens Kamola's seller bot (connected earlier)");
    transcript.say(&customer, &shop, "/start", sim.send_text(shop.id, &customer, "/start").await?.status);
    transcript.press(&customer, &shop, "lang:uz", &sim).await?;

    transcript.section("Telegram redelivers the same update: handled once");
    let last = sim.last_update(shop.id).and_then(|u| u["update_id"].as_i64()).unwrap_or_default();
    let again = sim.redeliver(shop.id, last).await?;
    transcript.note(&format!("redelivery of update {last} answered HTTP {} and caused no new message", again.status));
    transcript.flush();

    transcript.section("A forged delivery without the secret token");
    let status = sim.post_to_webhook(shop.id, b"{}".to_vec(), Some("forged")).await?;
    transcript.note(&format!("answered HTTP {status}; nothing handled"));

    server_handle.stop(true).await;
    sim.stop().await;
    println!("\nDemo finished: every step above went through the real webhook front, actors and database.");
    Ok(())
}

fn demo_settings(
    main_bot: &SimBot,
    database: &str,
    redis: &str,
    sim: &Simulator,
    port: u16,
) -> anyhow::Result<Settings> {
    let vars: HashMap<String, String> = [
        ("BOT_TOKEN", main_bot.token.clone()),
        ("DATABASE_URL", database.to_owned()),
        ("REDIS_URL", redis.to_owned()),
        ("REDIS_PREFIX", format!("demo:{}", crate::db::scratch::random_name())),
        ("ENCRYPTION_KEY", fernet::Fernet::generate_key()),
        ("MODERATOR_IDS", MODERATOR_ID.to_string()),
        ("SERVER_URL", format!("http://127.0.0.1:{port}")),
        ("TELEGRAM_API_URL", sim.api_url().to_string()),
        ("ALERT_FLUSH_EVERY", "200ms".into()),
        ("WORKERS", "2".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    Ok(Settings::from_map(&vars)?)
}

/// Stores another owner (Kamola) with a connected seller bot (the owner's connect flow arrives with the
/// owners issue; until then the demo seeds it as the database would hold it).
async fn seed_seller_bot(sim: &Simulator, settings: &Settings, database: &str) -> anyhow::Result<SimBot> {
    use diesel_async::AsyncConnection;
    let shop = sim.create_bot("kamola_shop_bot");
    let mut conn = diesel_async::AsyncPgConnection::establish(database).await?;
    let profile = owners::OwnerProfile {
        telegram_id: SHOP_OWNER_ID,
        username: Some("kamola"),
        full_name: "Kamola",
        language: "uz",
    };
    let (owner, _) = owners::register_or_update(&mut conn, &profile).await?;
    let token = BotToken::parse(&shop.token)?;
    crate::services::bots::store_connected_bot(&mut conn, &settings.vault, owner.id, &token, &shop.username).await?;
    Ok(shop)
}

/// Prints what people and bots said, in order.
struct Transcript {
    sim: Simulator,
    seen: usize,
    names: HashMap<i64, String>,
}

impl Transcript {
    fn new(sim: Simulator) -> Self {
        let seen = sim.calls().len();
        Self { sim, seen, names: HashMap::new() }
    }

    fn section(&mut self, title: &str) {
        self.flush();
        println!("\n── {title} ──");
    }

    fn note(&self, text: &str) {
        println!("   · {text}");
    }

    fn say(&mut self, user: &SimUser, bot: &SimBot, text: &str, status: u16) {
        self.names.insert(user.id, user.first_name.clone());
        println!("👤 {} → @{}: {text}   [HTTP {status}]", user.first_name, bot.username);
        self.flush();
    }

    async fn press(&mut self, user: &SimUser, bot: &SimBot, data: &str, sim: &Simulator) -> anyhow::Result<()> {
        let message = sim.last_message(bot.id, user.id).context("no message to press a button on")?;
        let label = message.buttons().concat().into_iter().find(|(_, d)| d == data).map(|(l, _)| l).unwrap_or_default();
        let status = sim.press_button(bot.id, user, message.message_id, data).await?.status;
        println!("👤 {} → @{}: [presses “{label}”]   [HTTP {status}]", user.first_name, bot.username);
        self.flush();
        Ok(())
    }

    fn flush(&mut self) {
        let calls = self.sim.calls();
        for call in calls.iter().skip(self.seen) {
            self.print_call(call);
        }
        self.seen = calls.len();
    }

    fn print_call(&self, call: &Call) {
        let bot = self.sim.bot(call.bot_id).map(|b| b.username).unwrap_or_default();
        let text = call.params["text"].as_str().unwrap_or_default().replace('\n', "\n      ");
        let to = call.params["chat_id"]
            .as_i64()
            .map(|id| self.names.get(&id).cloned().unwrap_or_else(|| id.to_string()))
            .unwrap_or_default();
        match call.method.as_str() {
            "sendMessage" => println!("🤖 @{bot} → {to}: {text}{}", buttons(&call.params)),
            "editMessageText" => println!("🤖 @{bot} ✎ {to}: {text}{}", buttons(&call.params)),
            "answerCallbackQuery" => {
                if let Some(toast) = call.params["text"].as_str() {
                    println!("🤖 @{bot} (toast): {toast}");
                }
            }
            _ => {}
        }
    }
}

fn buttons(params: &serde_json::Value) -> String {
    let markup = match &params["reply_markup"] {
        serde_json::Value::String(s) => serde_json::from_str(s).unwrap_or_default(),
        other => other.clone(),
    };
    let labels: Vec<String> = markup["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["text"].as_str().map(|t| format!("[{t}]")))
        .collect();
    if labels.is_empty() {
        String::new()
    } else {
        format!("\n      {}", labels.join(" "))
    }
}
