//! `getolog demo`: the whole product on one machine. Starts the Telegram simulator and a
//! Getolog node on a scratch database, plays an owner, a moderator and a customer through
//! the real webhooks, and prints the conversation.

use std::{collections::HashMap, net::TcpListener, sync::Arc, time::Duration};

use actix::Addr;

use anyhow::Context as _;

mod click;
mod managed;
mod payme;
mod platform;
mod stars;
mod transcript;
mod uzum;

use self::transcript::Transcript;
use crate::{
    actors::scheduler::{Job, RunJob, SchedulerActor},
    clock::ManualClock,
    config::Settings,
    db::scratch::ScratchDatabase,
    simulator::{ChatKind, Rights, SimBot, SimUser, Simulator},
    startup::Application,
};

const OWNER_ID: i64 = 5_000_000_001;
const SHOP_OWNER_ID: i64 = 5_000_000_002;
const MODERATOR_ID: i64 = 5_000_000_100;
pub(super) const CUSTOMER_ID: i64 = 6_000_000_001;

/// Runs the scripted demo and prints its transcript.
pub async fn run() -> anyhow::Result<()> {
    let server = std::env::var("DEMO_DATABASE_SERVER").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let database = ScratchDatabase::create(&server, "getolog_demo")
        .await
        .context("PostgreSQL is needed (DEMO_DATABASE_SERVER)")?;
    let sim = Simulator::start().await?;
    let main_bot = sim.create_bot("getolog_bot");
    // Bot management switched on in @BotFather: owners may create their shop bot in one tap.
    sim.allow_bot_management(main_bot.id, true);
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let settings = demo_settings(&main_bot, &database.url, &redis, &sim, listener.local_addr()?.port())?;

    let clock = ManualClock::running(chrono::Utc::now());
    let app = Application::build_with_listener(settings, Arc::new(clock.clone()), listener).await?;
    app.state().cache.ping().await.context("Redis is needed (REDIS_URL)")?;
    let (server_handle, scheduler) = (app.server_handle(), app.scheduler().clone());
    actix_web::rt::spawn(app.run_until_stopped());
    let mut transcript = Transcript::new(sim.clone());
    wait_for_webhook(&sim, &main_bot).await?;
    transcript.note("@getolog_bot registered its webhook (secret token set, chat_member updates on)");

    let moderator = sim.user(MODERATOR_ID, "Malika", Some("malika_mod"));
    transcript.section("A moderator opens the main bot (so it may write to them)");
    transcript.type_text(&moderator, &main_bot, "/start", "/start").await?;

    let shop = owner_sets_up_shop(&sim, &mut transcript, &main_bot).await?;

    let kamola = sim.user(SHOP_OWNER_ID, "Kamola", Some("kamola"));
    customers_buy(&sim, &mut transcript, &main_bot, &shop, &kamola).await?;
    payme::customer_pays_with_payme(&sim, &mut transcript, (&main_bot, &shop, &kamola), &clock).await?;
    click::customer_pays_with_click(&sim, &mut transcript, (&main_bot, &shop, &kamola), &clock).await?;
    uzum::customer_pays_with_uzum(&sim, &mut transcript, (&main_bot, &shop, &kamola), &clock).await?;
    access_runs_out(&sim, &mut transcript, (&clock, &scheduler), &main_bot).await?;
    platform::plans_and_reports(&sim, &mut transcript, &main_bot, (&shop, &kamola, &moderator)).await?;
    stars::customers_pay_in_stars(&sim, &mut transcript, (&main_bot, &shop, &kamola), (&clock, &scheduler)).await?;

    let owner = sim.user(OWNER_ID, "Dilshod", Some("dilshod"));
    transcript.section("A second owner registers in Russian; the moderator is told");
    transcript.type_text(&owner, &main_bot, "/start", "/start").await?;
    transcript.press(&owner, &main_bot, "lang:ru").await?;
    sim.wait_for(Duration::from_secs(5), |s| s.messages_in(main_bot.id, MODERATOR_ID).len() >= 3).await;
    transcript.flush();
    managed::owner_creates_bot_in_one_tap(&sim, &mut transcript, &main_bot, &owner).await?;

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

/// Kamola registers, connects her bot by its token, links her channel and group, and sets
/// prices and her card, all in the main bot. Returns her seller bot.
async fn owner_sets_up_shop(sim: &Simulator, transcript: &mut Transcript, main_bot: &SimBot) -> anyhow::Result<SimBot> {
    let kamola = sim.user(SHOP_OWNER_ID, "Kamola", Some("kamola"));
    transcript.section("An owner registers in the main bot");
    transcript.type_text(&kamola, main_bot, "/start", "/start").await?;
    transcript.press(&kamola, main_bot, "lang:en").await?;

    transcript.section("She connects the bot she made with @BotFather");
    let shop = sim.create_bot("kamola_shop_bot");
    transcript.press(&kamola, main_bot, "b:token").await?;
    transcript.type_text(&kamola, main_bot, &shop.token, "‹the token of @kamola_shop_bot›").await?;
    wait_for_webhook(sim, &shop).await?;
    transcript
        .note("@kamola_shop_bot: token checked with getMe, stored encrypted, webhook and commands set, actor started");

    transcript.section("She makes the bot an administrator of her channel and her group");
    let mut ids = Vec::new();
    for (kind, title) in [(ChatKind::Channel, "Kamola's VIP club"), (ChatKind::Supergroup, "Kamola's VIP chat")] {
        let chat = sim.create_chat(kind, title);
        sim.set_bot_rights(chat, shop.id, Some(Rights::getolog())).await?;
        transcript.note(&format!("Telegram tells @kamola_shop_bot it is now an administrator of «{title}»"));
        transcript.flush();
        let link = newest_button(sim, main_bot, &kamola, |d| d.ends_with(":link")).await?;
        transcript.press(&kamola, main_bot, &link).await?;
        ids.extend(link.strip_prefix("c:").and_then(|rest| rest.strip_suffix(":link")).map(str::to_owned));
    }

    transcript.section("She sets prices, periods and her card");
    anyhow::ensure!(ids.len() == 2, "the channel and the group were not both offered for linking");
    for (id, price, period) in [(&ids[0], "50 000", None), (&ids[1], "300 000", Some("12"))] {
        transcript.press(&kamola, main_bot, &format!("c:{id}:price")).await?;
        transcript.type_text(&kamola, main_bot, price, price).await?;
        if let Some(months) = period {
            transcript.press(&kamola, main_bot, &format!("c:{id}:period")).await?;
            transcript.press(&kamola, main_bot, &format!("c:{id}:period:{months}")).await?;
        }
    }
    transcript.type_text(&kamola, main_bot, "/menu", "/menu").await?;
    transcript.press(&kamola, main_bot, "c").await?;
    transcript.press(&kamola, main_bot, "m").await?;
    transcript.press(&kamola, main_bot, "s").await?;
    transcript.press(&kamola, main_bot, "s:card").await?;
    transcript.type_text(&kamola, main_bot, "8600 1234 1234 1234", "8600 1234 1234 1234").await?;
    transcript.type_text(&kamola, main_bot, "8600 1234 1234 1239", "8600 1234 1234 1239").await?;
    transcript.press(&kamola, main_bot, "s:holder").await?;
    transcript.type_text(&kamola, main_bot, "Kamola Yusupova", "Kamola Yusupova").await?;
    Ok(shop)
}

/// Aziza buys the channel (receipt, approval, personal link, join); Bobur's payment for the
/// group is rejected.
async fn customers_buy(
    sim: &Simulator,
    transcript: &mut Transcript,
    main_bot: &SimBot,
    shop: &SimBot,
    kamola: &SimUser,
) -> anyhow::Result<()> {
    let customer = sim.user(CUSTOMER_ID, "Aziza", Some("aziza"));
    transcript.name(&customer);
    transcript.section("A customer opens Kamola's seller bot (Free plan: the advert shows)");
    transcript.type_text(&customer, shop, "/start", "/start").await?;
    transcript.press(&customer, shop, "lang:uz").await?;
    let buy = newest_button(sim, shop, &customer, |d| d.starts_with("buy:")).await?;
    transcript.press(&customer, shop, &buy).await?;
    let pay = newest_button(sim, shop, &customer, |d| d.starts_with("pay:")).await?;
    transcript.press(&customer, shop, &pay).await?;
    transcript.send_photo(&customer, shop, "the bank transfer receipt").await?;

    transcript.section("Kamola reviews the receipt in the main bot and approves it");
    let approve = newest_button(sim, main_bot, kamola, |d| d.starts_with("p:") && d.ends_with(":ok")).await?;
    transcript.press(kamola, main_bot, &approve).await?;

    transcript.section("Aziza opens her personal link: her join request is approved");
    // The link goes by the courier, a moment after the approval.
    let link_of = |s: &Simulator| {
        s.messages_in(shop.id, customer.id).iter().rev().find_map(|m| {
            m.text.as_deref()?.split_whitespace().find(|w| w.starts_with("https://t.me/+")).map(str::to_owned)
        })
    };
    sim.wait_for(Duration::from_secs(5), |s| link_of(s).is_some()).await;
    transcript.flush();
    let link = link_of(sim).context("no invite link reached the customer")?;
    sim.use_invite_link(&customer, &link).await?;
    transcript.note(&format!("Aziza opens {link} and asks to join"));
    sim.wait_for(Duration::from_secs(5), |s| {
        s.messages_in(main_bot.id, SHOP_OWNER_ID).iter().any(|m| m.text.as_deref().unwrap_or("").contains("🎉"))
    })
    .await;
    transcript.flush();

    let bobur = sim.user(CUSTOMER_ID + 1, "Bobur", Some("bobur"));
    transcript.name(&bobur);
    transcript.section("Another customer pays for the group; Kamola rejects the receipt");
    transcript.type_text(&bobur, shop, "/start", "/start").await?;
    transcript.press(&bobur, shop, "lang:en").await?;
    let buy = newest_button(sim, shop, &bobur, |d| d.starts_with("buy:")).await?;
    let group = newest_button(sim, shop, &bobur, |d| d.starts_with("buy:") && *d != buy).await.unwrap_or(buy);
    transcript.press(&bobur, shop, &group).await?;
    let pay = newest_button(sim, shop, &bobur, |d| d.starts_with("pay:")).await?;
    transcript.press(&bobur, shop, &pay).await?;
    transcript.send_photo(&bobur, shop, "a blurry screenshot").await?;
    let reject = newest_button(sim, main_bot, kamola, |d| d.starts_with("p:") && d.ends_with(":no")).await?;
    transcript.press(kamola, main_bot, &reject).await?;
    let reason = newest_button(sim, main_bot, kamola, |d| d.ends_with(":r:2")).await?;
    transcript.press(kamola, main_bot, &reason).await?;
    Ok(())
}

/// A month passes on the demo's clock: Aziza is warned, then removed when her access ends.
async fn access_runs_out(
    sim: &Simulator,
    transcript: &mut Transcript,
    (clock, scheduler): (&ManualClock, &Addr<SchedulerActor>),
    main_bot: &SimBot,
) -> anyhow::Result<()> {
    let run = |job| async move {
        let outcome = scheduler.send(RunJob(job)).await?.context("the job's lock was busy")?;
        outcome.map_err(|e| anyhow::anyhow!("{job:?} failed: {e}"))
    };
    transcript.section("28 days later (the demo moves its clock): the scheduler warns Aziza");
    clock.advance(chrono::Duration::days(28));
    let warned = run(Job::Warnings).await?;
    transcript.note(&format!("warnings job: {} sent", warned.done));
    transcript.flush();

    transcript.section("Her month is over: she is removed from the channel (ban + unban, so she can come back)");
    clock.advance(chrono::Duration::days(4));
    let removed = run(Job::Expiry).await?;
    transcript.note(&format!("expiry job: {} removed", removed.done));
    sim.wait_for(Duration::from_secs(5), |s| {
        s.messages_in(main_bot.id, SHOP_OWNER_ID).iter().any(|m| m.text.as_deref().unwrap_or("").starts_with("⌛"))
    })
    .await;
    transcript.flush();
    Ok(())
}

async fn wait_for_webhook(sim: &Simulator, bot: &SimBot) -> anyhow::Result<()> {
    let expected = format!("/webhook/{}", bot.id);
    let ready =
        sim.wait_for(Duration::from_secs(10), |s| s.webhook(bot.id).is_some_and(|w| w.url.ends_with(&expected))).await;
    anyhow::ensure!(ready, "@{} did not register its webhook", bot.username);
    Ok(())
}

/// The data of the newest button in the user's chat whose data matches.
pub(super) async fn newest_button(
    sim: &Simulator,
    bot: &SimBot,
    user: &SimUser,
    wanted: impl Fn(&str) -> bool,
) -> anyhow::Result<String> {
    // Owners' notices go by the courier, a moment after the update that queued them.
    let find = |s: &Simulator| {
        s.messages_in(bot.id, user.id)
            .iter()
            .rev()
            .flat_map(|m| m.buttons().concat())
            .map(|(_, d)| d)
            .find(|d| wanted(d))
    };
    sim.wait_for(Duration::from_secs(5), |s| find(s).is_some()).await;
    find(sim).context("expected button not shown")
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
        // The script presses faster than people do.
        ("RATE_LIMIT_PER_SECOND", "100".into()),
        ("PLATFORM_CARD_NUMBER", "8600 0000 0000 0007".replace(' ', "")),
        ("PLATFORM_CARD_HOLDER", "Getolog LLC".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    Ok(Settings::from_map(&vars)?)
}
