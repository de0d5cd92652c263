//! `getolog-bench`: measures the webhook path and idle memory on this machine.
//!
//! `throughput` — 100 seller bots; 32 concurrent simulated users send `/start` then press a
//! language button, through the simulator and the real front (each answer comes only after the
//! work is done). Reports updates/s, latency percentiles and process CPU per update.
//! `memory` — RSS growth of one process when 10,000 registered bots are started.
//! `scheduler` (only when named) — the expiry run over 10,000 due of 100,000 subscriptions.
//! `stats` (only when named) — dashboard and `/stats` latency over 100,000 payments, and plans.
//! `burst` (only when named) — 80,000 updates at once: peak memory, 429/503, nothing lost.
//! `payments` (only when named) — 1,000 customers paying through Payme's whole sequence.
//! Needs PostgreSQL and Redis (like the demo). Build with `--release`.

use std::{
    collections::HashMap,
    net::TcpListener,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use getolog::{
    config::Settings,
    crypto::BotToken,
    db::{owners, scratch::ScratchDatabase},
    simulator::{SimBot, Simulator},
};

#[path = "bench/burst.rs"]
mod burst;
#[path = "bench/payments.rs"]
mod payments;
#[path = "bench/scheduler.rs"]
mod scheduler;
#[path = "bench/stats.rs"]
mod stats;
#[path = "bench/stats_plans.rs"]
mod stats_plans;

const CONCURRENCY: usize = 32;
const UPDATES: usize = 20_000;

fn main() -> anyhow::Result<()> {
    let which = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    actix_web::rt::System::new().block_on(async move {
        if which == "throughput" || which == "all" {
            throughput(100).await?;
        }
        if which == "memory" || which == "all" {
            memory(10_000).await?;
        }
        if which == "scheduler" {
            scheduler::run().await?;
        }
        if which == "burst" {
            burst::run().await?;
        }
        if which == "stats" {
            stats::run().await?;
        }
        if which == "payments" {
            payments::run().await?;
        }
        anyhow::Ok(())
    })
}

struct Bench {
    _db: ScratchDatabase,
    sim: Simulator,
    bots: Vec<SimBot>,
    vars: HashMap<String, String>,
    listener: TcpListener,
}

async fn prepare(bots: usize) -> anyhow::Result<Bench> {
    let server = std::env::var("DEMO_DATABASE_SERVER").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let db = ScratchDatabase::create(&server, "getolog_bench").await?;
    let sim = Simulator::start().await?;
    sim.set_recording(false);
    let main = sim.create_bot("getolog_bot");
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let vars: HashMap<String, String> = [
        ("BOT_TOKEN", main.token.clone()),
        ("DATABASE_URL", db.url.clone()),
        ("REDIS_URL", std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())),
        ("REDIS_PREFIX", format!("bench:{}", getolog::db::scratch::random_name())),
        ("ENCRYPTION_KEY", fernet::Fernet::generate_key()),
        ("MODERATOR_IDS", "1".into()),
        ("SERVER_URL", format!("http://127.0.0.1:{}", listener.local_addr()?.port())),
        ("TELEGRAM_API_URL", sim.api_url().to_string()),
        ("REDIS_POOL_SIZE", "24".into()),
        ("WEBHOOK_CONCURRENCY", "64".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .chain(std::env::vars().filter(|(k, _)| {
        k == "WORKERS" || k.ends_with("_POOL_SIZE") || k.starts_with("MAX_") || k.starts_with("MIMALLOC_")
    }))
    .collect();
    let settings = Settings::from_map(&vars)?;
    getolog::db::run_migrations(&db.url).await?;
    let mut conn = <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&db.url).await?;
    let mut seeded = Vec::with_capacity(bots);
    for i in 0..bots {
        let bot = sim.create_bot(&format!("shop{i}_bot"));
        let profile = owners::OwnerProfile {
            telegram_id: 1_000_000 + i as i64,
            username: None,
            full_name: "Owner",
            language: "uz",
        };
        let now = chrono::Utc::now();
        let (owner, _) = owners::register_or_update(&mut conn, &profile, now).await?;
        let token = BotToken::parse(&bot.token)?;
        getolog::services::bots::store_connected_bot(&mut conn, &settings.vault, owner.id, &token, &bot.username, now)
            .await?;
        if i % 2 == 0 {
            ready_to_sell(&mut conn, bot.id, now).await?;
        }
        seeded.push(bot);
    }
    Ok(Bench { _db: db, sim, bots: seeded, vars, listener })
}

/// Makes every other shop ready to sell, as on the real platform (some shops sell, some are
/// still being set up): a linked, priced channel and a card. Their customers' offers then
/// list the channel and read the customer's subscriptions; the others say "not yet".
async fn ready_to_sell(
    conn: &mut diesel_async::AsyncPgConnection,
    telegram_bot_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use diesel::sql_types::{BigInt, Timestamptz};
    use diesel_async::RunQueryDsl;
    diesel::sql_query(
        "UPDATE user_bots SET card_number = '8600123412341239', card_holder = 'Bench Owner' WHERE telegram_bot_id = $1",
    )
    .bind::<BigInt, _>(telegram_bot_id)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO channels (user_bot_id, telegram_chat_id, type, title, price, link_status, can_invite_users,
                               can_restrict_members, created_at)
         SELECT id, -1000000000000 - telegram_bot_id, 'channel', 'VIP club', 50000, 'linked', TRUE, TRUE, $2
         FROM user_bots WHERE telegram_bot_id = $1",
    )
    .bind::<BigInt, _>(telegram_bot_id)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Runs `getolog serve` as its own process (so its CPU is measured apart from the simulator
/// and the load generator, which stay in this process).
async fn throughput(bot_count: usize) -> anyhow::Result<()> {
    let Bench { _db, sim, bots, vars, listener, .. } = prepare(bot_count).await?;
    let mut child = spawn_service(&vars, listener)?;
    let all_set = sim.wait_for(Duration::from_secs(60), |s| bots.iter().all(|b| s.webhook(b.id).is_some())).await;
    anyhow::ensure!(all_set, "webhooks not registered");
    let result = Load { sim, bots }.run(bot_count, child.id()).await;
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    result
}

struct Load {
    sim: Simulator,
    bots: Vec<SimBot>,
}

impl Load {
    async fn run(&self, bot_count: usize, service_pid: u32) -> anyhow::Result<()> {
        let bench = self;
        let service_before = cpu_seconds_of(&format!("/proc/{service_pid}/stat"));
        let cpu_before = cpu_seconds();
        let started = Instant::now();
        let per_task = UPDATES / 2 / CONCURRENCY;
        let mut tasks = Vec::new();
        for task in 0..CONCURRENCY {
            let (sim, bots) = (bench.sim.clone(), bench.bots.clone());
            tasks.push(actix_web::rt::spawn(async move {
                let mut latencies = Vec::with_capacity(per_task * 2);
                let mut failures = 0usize;
                for n in 0..per_task {
                    let bot = &bots[(task * per_task + n) % bots.len()];
                    let user = sim.user(10_000_000 + (task * per_task + n) as i64, "Bench", None);
                    let t = Instant::now();
                    let start = sim.send_text(bot.id, &user, "/start").await;
                    latencies.push(t.elapsed());
                    let Ok(start) = start else {
                        failures += 1;
                        continue;
                    };
                    failures += usize::from(start.status != 200);
                    let Some(prompt) = sim.last_message(bot.id, user.id) else {
                        failures += 1;
                        continue;
                    };
                    let t = Instant::now();
                    let press = sim.press_button(bot.id, &user, prompt.message_id, "lang:ru").await;
                    latencies.push(t.elapsed());
                    failures += usize::from(!matches!(press, Ok(d) if d.status == 200));
                }
                (latencies, failures)
            }));
        }
        let mut latencies = Vec::new();
        let mut failures = 0;
        for task in tasks {
            let (l, f) = task.await.context("load task")?;
            latencies.extend(l);
            failures += f;
        }
        let elapsed = started.elapsed();
        let cpu = cpu_seconds() - cpu_before;
        let service_cpu = cpu_seconds_of(&format!("/proc/{service_pid}/stat")) - service_before;
        latencies.sort();
        let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
        let n = latencies.len();
        println!(
            "throughput: {n} updates ({bot_count} bots, half of them selling, {CONCURRENCY} concurrent, /start + language button)"
        );
        println!("  {:.0} updates/s, failures {failures}", n as f64 / elapsed.as_secs_f64());
        println!("  latency p50 {:?}  p90 {:?}  p99 {:?}  max {:?}", pct(0.5), pct(0.9), pct(0.99), pct(1.0));
        println!("  service CPU {:.3} ms/update (the getolog serve process)", service_cpu * 1000.0 / n as f64);
        println!("  simulator + load generator CPU {:.3} ms/update", cpu * 1000.0 / n as f64);
        Ok(())
    }
}

/// Idle RSS of a `getolog serve` process serving `bot_count` bots, against one serving none.
async fn memory(bot_count: usize) -> anyhow::Result<()> {
    let empty = idle_rss_of_service(0).await?;
    let full = idle_rss_of_service(bot_count).await?;
    println!("memory: idle RSS of getolog serve (after start-up and webhook registration)");
    println!("  with the main bot only: {empty:.1} MB");
    println!(
        "  with {bot_count} seller bots: {full:.1} MB (+{:.1} MB, {:.1} kB per bot)",
        full - empty,
        (full - empty) * 1024.0 / bot_count as f64
    );
    Ok(())
}

async fn idle_rss_of_service(bot_count: usize) -> anyhow::Result<f64> {
    let Bench { _db, sim, bots, vars, listener, .. } = prepare(bot_count).await?;
    let mut child = spawn_service(&vars, listener)?;
    let main_id = BotToken::parse(&vars["BOT_TOKEN"])?.bot_id();
    let all_set = sim
        .wait_for(Duration::from_secs(120), |s| {
            s.webhook(main_id).is_some() && bots.iter().all(|b| s.webhook(b.id).is_some())
        })
        .await;
    anyhow::ensure!(all_set, "webhooks not registered");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss = rss_mb_of(&format!("/proc/{}/status", child.id()));
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    Ok(rss)
}

/// Starts `getolog serve` (from beside this binary) on the listener's port.
fn spawn_service(vars: &HashMap<String, String>, listener: TcpListener) -> anyhow::Result<std::process::Child> {
    let addr = listener.local_addr()?;
    drop(listener);
    let exe = std::env::current_exe()?.with_file_name("getolog");
    std::process::Command::new(&exe)
        .arg("serve")
        .env_clear()
        .envs(vars)
        .env("LISTEN_ADDR", addr.to_string())
        .env("RUST_LOG", "warn")
        .spawn()
        .with_context(|| format!("start {}", exe.display()))
}

fn rss_mb_of(status_path: &str) -> f64 {
    proc_status_kb(status_path, "VmRSS:") / 1024.0
}

/// A `/proc/<pid>/status` field in kB (0 when the process is gone).
fn proc_status_kb(status_path: &str, field: &str) -> f64 {
    std::fs::read_to_string(status_path)
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .unwrap_or(0.0)
}

fn cpu_seconds() -> f64 {
    cpu_seconds_of("/proc/self/stat")
}

fn cpu_seconds_of(stat_path: &str) -> f64 {
    let stat = std::fs::read_to_string(stat_path).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
