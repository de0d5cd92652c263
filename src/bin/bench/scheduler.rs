//! `getolog-bench scheduler`: the scheduler's expiry run at scale.
//!
//! 1,000 seller bots, each admin of one channel; 100,000 active subscriptions (100 per bot),
//! 10,000 of them past their end (10 per bot) and the rest ending over the next year. The due
//! users are members of their channel in the simulator and have started their bot (the owners
//! the main bot), so each removal really is `getChatMember` + `banChatMember` +
//! `unbanChatMember`, a message to the user and a notice to the owner.
//! Prints the plan of the due-set query (`EXPLAIN (ANALYZE, BUFFERS)`), its time, and the
//! wall time of one `RunJob(Job::Expiry)` against the in-process app, then checks the result.
//!
//! Lives in `src/bin/bench/` rather than `src/bin/`: Cargo would take any `src/bin/*.rs` for a
//! binary of its own.

use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use diesel::{
    sql_types::{Array, BigInt, Text, Timestamptz},
    QueryableByName,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use getolog::{
    actors::scheduler::{Job, RunJob},
    clock::SystemClock,
    config::Settings,
    crypto::BotToken,
    db::lifecycle::{self, Cursor, DUE_ACCESS_SQL},
    simulator::{Call, ChatKind, Rights, SimBot, SimUser, Simulator},
    startup::Application,
};

use super::{prepare, Bench};

const BOTS: usize = 1_000;
const USERS_PER_BOT: i64 = 100;
const DUE_PER_BOT: i64 = 10;
/// End user `n` of bot `i` has Telegram id `FIRST_USER + i * USERS_PER_BOT + n`; `n <
/// DUE_PER_BOT` are the due ones.
const FIRST_USER: i64 = 100_000_000;
/// Owner of bot `i` (as `prepare` registers them).
const FIRST_OWNER: i64 = 1_000_000;
/// The scheduler's page size (`removals::PAGE`).
const PAGE: i64 = 1_000;
/// Simulated people sending `/start` at the same time during setup.
const CONCURRENCY: usize = 32;

/// Builds the world, measures the due-set query and one expiry run, and checks the outcome.
pub async fn run() -> anyhow::Result<()> {
    let started = Instant::now();
    let Bench { _db, sim, bots, mut vars, listener } = prepare(BOTS).await?;
    // Only the run the bench sends: no timer may start one meanwhile.
    vars.insert("SCHEDULER_EXPIRY_EVERY".into(), "24h".into());
    vars.insert("SCHEDULER_REMINDER_EVERY".into(), "24h".into());
    let settings = Settings::from_map(&vars)?;
    let mut conn = AsyncPgConnection::establish(&settings.database_url).await?;
    let now = Utc::now();
    let chats = link_channels(&sim, &bots, &mut conn).await?;
    load_subscriptions(&mut conn, &bots, now).await?;
    let due = seat_due_users(&sim, &bots, &chats)?;
    diesel::sql_query("ANALYZE").execute(&mut conn).await?;
    println!(
        "scheduler: {BOTS} bots, {} subscriptions, {} due; loaded in {:.1?}",
        BOTS as i64 * USERS_PER_BOT,
        due.len(),
        started.elapsed()
    );

    explain_due_set(&mut conn, now).await?;
    time_due_set(&mut conn).await?;

    let main_id = BotToken::parse(&vars["BOT_TOKEN"])?.bot_id();
    let app = Application::build_with_listener(settings, Arc::new(SystemClock), listener).await?;
    let (scheduler, server) = (app.scheduler().clone(), app.server_handle());
    actix_web::rt::spawn(app.run_until_stopped());
    let served = sim
        .wait_for(Duration::from_secs(120), |s| {
            s.webhook(main_id).is_some() && bots.iter().all(|b| s.webhook(b.id).is_some())
        })
        .await;
    anyhow::ensure!(served, "webhooks not registered");
    let owners: Vec<(i64, SimUser)> =
        (0..bots.len()).map(|i| (main_id, sim.user(FIRST_OWNER + i as i64, "Owner", None))).collect();
    start_bots(&sim, "owners, to the main bot", owners).await?;
    start_bots(&sim, "due users, to their bot", due.iter().map(|d| (d.bot, d.user.clone())).collect()).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;

    sim.clear_calls();
    sim.set_recording(true);
    let (t, cpu) = (Instant::now(), super::cpu_seconds());
    let outcome = scheduler.send(RunJob(Job::Expiry)).await?;
    let (took, cpu) = (t.elapsed(), super::cpu_seconds() - cpu);
    let calls = sim.calls();
    let outcome = outcome.context("expiry lock held elsewhere")?.map_err(anyhow::Error::msg)?;
    println!("expiry run (RunJob(Job::Expiry), in-process app, simulator):");
    println!("  outcome: done {}, retry {}", outcome.done, outcome.retry);
    println!("  wall time {took:.2?}, {:.0} removals/s", outcome.done as f64 / took.as_secs_f64());
    println!(
        "  CPU of this process (app + simulator) {cpu:.1} s, {:.2} ms per removal",
        cpu * 1000.0 / outcome.done.max(1) as f64
    );

    verify(&mut conn, &sim, &due, (&calls, main_id)).await?;
    owners_told(&sim, main_id, t).await;
    server.stop(true).await;
    Ok(())
}

/// One channel per bot in the simulator with the bot as admin (set before the app runs, so no
/// webhook fires), and its `channels` row, linked. Returns the chat ids in `bots` order.
async fn link_channels(sim: &Simulator, bots: &[SimBot], conn: &mut AsyncPgConnection) -> anyhow::Result<Vec<i64>> {
    let mut chats = Vec::with_capacity(bots.len());
    for (i, bot) in bots.iter().enumerate() {
        let chat = sim.create_chat(ChatKind::Channel, &format!("Channel {i}"));
        sim.set_bot_rights(chat, bot.id, Some(Rights::getolog())).await?;
        chats.push(chat);
    }
    let linked = diesel::sql_query(
        "INSERT INTO channels (user_bot_id, telegram_chat_id, type, title, price, duration_months,
                               link_status, can_invite_users, can_restrict_members, created_at)
         SELECT b.id, x.chat, 'channel', 'Channel ' || (x.n - 1), 50000, 1, 'linked', true, true,
                now() - interval '60 days'
         FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS x(bot, chat, n)
         JOIN user_bots b ON b.telegram_bot_id = x.bot",
    )
    .bind::<Array<BigInt>, _>(bots.iter().map(|b| b.id).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(&chats)
    .execute(conn)
    .await?;
    anyhow::ensure!(linked == bots.len(), "{linked} channels linked");
    Ok(chats)
}

/// `end_users` and their active `subscriptions`, in two set-based statements. The due ones
/// ended up to 30 days before `now`; the others end 1 to 366 days after it.
async fn load_subscriptions(conn: &mut AsyncPgConnection, bots: &[SimBot], now: DateTime<Utc>) -> anyhow::Result<()> {
    let users = diesel::sql_query(
        "INSERT INTO end_users (telegram_id, user_bot_id, full_name, language, created_at)
         SELECT $2 + (x.n - 1) * $3 + g, b.id, 'User ' || g, (ARRAY['uz', 'en', 'ru'])[1 + g % 3],
                now() - interval '60 days'
         FROM unnest($1::bigint[]) WITH ORDINALITY AS x(bot, n)
         JOIN user_bots b ON b.telegram_bot_id = x.bot
         CROSS JOIN generate_series(0, $3 - 1) AS g",
    )
    .bind::<Array<BigInt>, _>(bots.iter().map(|b| b.id).collect::<Vec<_>>())
    .bind::<BigInt, _>(FIRST_USER)
    .bind::<BigInt, _>(USERS_PER_BOT)
    .execute(&mut *conn)
    .await?;
    let subscriptions = diesel::sql_query(
        "INSERT INTO subscriptions (end_user_id, channel_id, invite_link, link_used, joined_at,
                                    expires_at, status, created_at)
         SELECT u.id, c.id, 'https://t.me/+bench' || u.id, true, $1 - interval '40 days',
                CASE WHEN (u.telegram_id - $2) % $3 < $4
                     THEN $1 - make_interval(mins => (1 + u.id * 7919 % 43200)::int)
                     ELSE $1 + interval '1 day' + make_interval(mins => (u.id * 7919 % 525600)::int)
                END,
                'active', $1 - interval '40 days'
         FROM end_users u JOIN channels c ON c.user_bot_id = u.user_bot_id
         ORDER BY u.id",
    )
    .bind::<Timestamptz, _>(now)
    .bind::<BigInt, _>(FIRST_USER)
    .bind::<BigInt, _>(USERS_PER_BOT)
    .bind::<BigInt, _>(DUE_PER_BOT)
    .execute(conn)
    .await?;
    anyhow::ensure!(users == subscriptions, "{users} end users but {subscriptions} subscriptions");
    Ok(())
}

/// A due user: the bot, its channel and the person.
struct Due {
    bot: i64,
    chat: i64,
    user: SimUser,
}

/// Makes the due users plain members of their bot's channel in the simulator.
fn seat_due_users(sim: &Simulator, bots: &[SimBot], chats: &[i64]) -> anyhow::Result<Vec<Due>> {
    let mut due = Vec::with_capacity(bots.len() * DUE_PER_BOT as usize);
    for (i, (bot, &chat)) in bots.iter().zip(chats).enumerate() {
        for n in 0..DUE_PER_BOT {
            let user = sim.user(FIRST_USER + i as i64 * USERS_PER_BOT + n, &format!("User {n}"), None);
            sim.add_member(chat, &user)?;
            due.push(Due { bot: bot.id, chat, user });
        }
    }
    Ok(due)
}

/// One line of `EXPLAIN` output.
#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// Prints the plan of the first page of the due set, with the scheduler's parameters.
async fn explain_due_set(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> anyhow::Result<()> {
    let start = Cursor::start();
    let plan: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN (ANALYZE, BUFFERS) {DUE_ACCESS_SQL}"))
        .bind::<Timestamptz, _>(now)
        .bind::<Timestamptz, _>(start.expires_at)
        .bind::<BigInt, _>(start.id)
        .bind::<BigInt, _>(PAGE)
        .load(conn)
        .await?;
    println!("due-set query, first page (now, epoch cursor, id 0, limit {PAGE}):");
    for PlanLine { line } in &plan {
        println!("  {line}");
    }
    let uses_index = plan.iter().any(|p| p.line.contains("subscriptions_expiry"));
    println!("  uses subscriptions_expiry (expires_at, status): {}", if uses_index { "yes" } else { "NO" });
    Ok(())
}

/// Times `lifecycle::due_page` as the scheduler calls it: the first page, and the walk over
/// the whole due set page by page (medians).
async fn time_due_set(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    let mut first = Vec::new();
    for _ in 0..9 {
        let t = Instant::now();
        let page = lifecycle::due_page(conn, Utc::now(), Cursor::start(), PAGE).await?;
        first.push(t.elapsed());
        anyhow::ensure!(page.len() as i64 == PAGE, "first page has {} rows", page.len());
    }
    let mut walks = Vec::new();
    let mut rows = 0;
    for _ in 0..5 {
        let (t, now) = (Instant::now(), Utc::now());
        let (mut cursor, mut pages) = (Cursor::start(), 0);
        rows = 0;
        loop {
            let page = lifecycle::due_page(conn, now, cursor, PAGE).await?;
            pages += 1;
            rows += page.len();
            let Some(last) = page.last() else { break };
            if (page.len() as i64) < PAGE {
                break;
            }
            cursor = Cursor { expires_at: last.expires_at, id: last.subscription_id };
        }
        walks.push((t.elapsed(), pages));
    }
    first.sort();
    walks.sort();
    let (walk, pages) = walks[walks.len() / 2];
    println!("due_page timing (median): first page {:.2?}", first[first.len() / 2]);
    println!("  whole due set: {rows} rows in {pages} pages, {walk:.2?}");
    Ok(())
}

/// Each `(bot, user)` sends `/start` through the app: due users bought through their bot
/// and owners registered through the main bot, so both may be messaged when access ends.
async fn start_bots(sim: &Simulator, who: &str, pairs: Vec<(i64, SimUser)>) -> anyhow::Result<()> {
    let t = Instant::now();
    let chunk = pairs.len().div_ceil(CONCURRENCY);
    let mut tasks = Vec::new();
    for part in pairs.chunks(chunk) {
        let (sim, part) = (sim.clone(), part.to_vec());
        tasks.push(actix_web::rt::spawn(async move {
            let mut failed = 0usize;
            for (bot, user) in part {
                let ok = matches!(sim.send_text(bot, &user, "/start").await, Ok(d) if d.status == 200);
                failed += usize::from(!ok);
            }
            failed
        }));
    }
    let mut failed = 0;
    for task in tasks {
        failed += task.await.context("start task")?;
    }
    anyhow::ensure!(failed == 0, "{failed} /start updates failed ({who})");
    println!("setup: {} /start updates ({who}) through the app in {:.1?}", pairs.len(), t.elapsed());
    Ok(())
}

/// Waits (up to 2 minutes) until the main bot has told every owner, through the inbox that
/// coalesces notices and the main bot's throttle; prints when, counted from the run's start.
async fn owners_told(sim: &Simulator, main_id: i64, run_started: Instant) {
    let owners = FIRST_OWNER..FIRST_OWNER + BOTS as i64;
    sim.set_recording(true);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let told: std::collections::HashSet<i64> = sim
            .calls_to(main_id, "sendMessage")
            .iter()
            .filter(|c| c.response_ok)
            .filter_map(|c| chat_id_of(&c.params))
            .filter(|id| owners.contains(id))
            .collect();
        if told.len() == BOTS || Instant::now() >= deadline {
            let messages = sim.calls_to(main_id, "sendMessage").len();
            println!(
                "  owners told: {} of {BOTS} ({messages} main-bot messages), {:.1?} after the run started",
                told.len(),
                run_started.elapsed()
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    sim.set_recording(false);
}

/// The `chat_id` parameter of a recorded call, sent as a number or a string.
fn chat_id_of(params: &serde_json::Value) -> Option<i64> {
    let id = params.get("chat_id")?;
    id.as_i64().or_else(|| id.as_str()?.parse().ok())
}

/// Subscription counts by status.
#[derive(QueryableByName)]
struct StatusCount {
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
    #[diesel(sql_type = BigInt)]
    kicked: i64,
}

/// Checks the database, the simulator's chats and the recorded Bot API calls after the run.
async fn verify(
    conn: &mut AsyncPgConnection,
    sim: &Simulator,
    due: &[Due],
    (calls, main_id): (&[Call], i64),
) -> anyhow::Result<()> {
    let counts: Vec<StatusCount> = diesel::sql_query(
        "SELECT status, count(*) AS count, count(kicked_at) AS kicked FROM subscriptions GROUP BY status ORDER BY status",
    )
    .load(conn)
    .await?;
    let count_of = |s: &str| counts.iter().find(|c| c.status == s).map_or(0, |c| c.count);
    let kicked: i64 = counts.iter().map(|c| c.kicked).sum();
    println!("  database: {} active, {} expired ({kicked} with kicked_at)", count_of("active"), count_of("expired"));
    let gone = due.iter().filter(|d| sim.member_status(d.chat, d.user.id) == Some("left")).count();
    println!("  simulator: {gone} of {} due users left their channel (banned, then unbanned)", due.len());

    let mut by_method: BTreeMap<(bool, &str), (usize, usize)> = BTreeMap::new();
    for call in calls {
        let entry = by_method.entry((call.bot_id == main_id, call.method.as_str())).or_default();
        entry.0 += 1;
        entry.1 += usize::from(call.response_ok);
    }
    for ((main, method), (all, ok)) in &by_method {
        let who = if *main { "main bot" } else { "seller bots" };
        println!("  calls during the run: {who} {method} {all} ({ok} ok)");
    }
    let bans = by_method.get(&(false, "banChatMember")).map_or(0, |c| c.1);
    let due_count = due.len() as i64;
    anyhow::ensure!(count_of("expired") == due_count, "expired count");
    anyhow::ensure!(count_of("active") == BOTS as i64 * USERS_PER_BOT - due_count, "active count");
    anyhow::ensure!(gone == due.len() && bans == due.len(), "{gone} left, {bans} bans");
    Ok(())
}
