//! `getolog-bench payments`: 1,000 customers, each paying through Payme's whole sequence
//! (CheckPerformTransaction, CreateTransaction, PerformTransaction, then the personal invite),
//! 32 at a time, against a real `getolog serve`. Every customer must end with exactly one
//! subscription and one invite link. Reports p50/p99 per method.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use diesel::sql_types::{BigInt, Timestamptz};
use diesel_async::RunQueryDsl;
use getolog::{
    clock::SystemClock,
    config::Settings,
    services::payment_accounts::{self, PaymeCredentials},
    simulator::{payme::PaymeSandbox, ChatKind, Rights},
};

use super::{prepare, spawn_service, Bench, CONCURRENCY};

const CUSTOMERS: usize = 1_000;
const KEY: &str = "Bench#Payme&Key?2026_xyz";

#[derive(diesel::QueryableByName)]
struct OrderRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    user_bot_id: i64,
}

/// Runs the payments benchmark.
pub async fn run() -> anyhow::Result<()> {
    let Bench { _db, sim, bots, vars, listener } = prepare(10).await?;
    let settings = Settings::from_map(&vars)?;
    let db_url = vars["DATABASE_URL"].clone();
    let mut conn = <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&db_url).await?;
    let now = chrono::Utc::now();
    let mut endpoints: HashMap<i64, String> = HashMap::new();
    let mut chats = Vec::new();
    let selling: Vec<_> = bots.iter().step_by(2).cloned().collect();
    for bot in &selling {
        let chat = sim.create_chat(ChatKind::Channel, "VIP club");
        sim.set_bot_rights(chat, bot.id, Some(Rights::getolog())).await?;
        chats.push(chat);
        diesel::sql_query("UPDATE channels SET telegram_chat_id = $1 FROM user_bots b WHERE b.id = channels.user_bot_id AND b.telegram_bot_id = $2")
            .bind::<BigInt, _>(chat)
            .bind::<BigInt, _>(bot.id)
            .execute(&mut conn)
            .await?;
        let user_bot_id: i64 = {
            #[derive(diesel::QueryableByName)]
            struct Id {
                #[diesel(sql_type = BigInt)]
                id: i64,
            }
            let row: Id = diesel::sql_query("SELECT id FROM user_bots WHERE telegram_bot_id = $1")
                .bind::<BigInt, _>(bot.id)
                .get_result(&mut conn)
                .await?;
            row.id
        };
        let given = PaymeCredentials {
            merchant_id: "5e730e8e0b852a417aa49ceb",
            key: Some(KEY),
            test_key: None,
            test_mode: false,
        };
        let account = payment_accounts::connect_payme(&mut conn, &settings.vault, user_bot_id, &given, now).await?;
        endpoints.insert(user_bot_id, payment_accounts::payme_endpoint(&vars["SERVER_URL"], &account));
    }
    let mut child = spawn_service(&vars, listener)?;
    let main_id = settings.bot_token.bot_id();
    let all_set = sim.wait_for(Duration::from_secs(60), |s| bots.iter().all(|b| s.webhook(b.id).is_some())).await;
    anyhow::ensure!(all_set, "webhooks not registered");
    for i in 0..bots.len() {
        sim.send_text(main_id, &sim.user(1_000_000 + i as i64, "Owner", None), "/start").await?;
    }
    // Every customer opens their shop first (a bot may write only to those who started it).
    let starts: Vec<_> = (0..CONCURRENCY)
        .map(|task| {
            let (sim, selling) = (sim.clone(), selling.clone());
            actix_web::rt::spawn(async move {
                for n in (task..CUSTOMERS).step_by(CONCURRENCY) {
                    let user = sim.user(20_000_000 + n as i64, "Customer", None);
                    let _ = sim.send_text(selling[n % selling.len()].id, &user, "/start").await;
                }
            })
        })
        .collect();
    for task in starts {
        task.await?;
    }
    let orders: Vec<OrderRow> = diesel::sql_query(
        "INSERT INTO orders (end_user_id, user_bot_id, channel_id, amount_tiyin, duration_months, created_at)
         SELECT e.id, e.user_bot_id, c.id, 5000000, 1, $1 FROM end_users e JOIN channels c ON c.user_bot_id = e.user_bot_id
         WHERE e.telegram_id >= 20000000 RETURNING id, user_bot_id",
    )
    .bind::<Timestamptz, _>(now)
    .load(&mut conn)
    .await?;
    anyhow::ensure!(orders.len() == CUSTOMERS, "{} orders for {CUSTOMERS} customers", orders.len());

    // One Payme per endpoint, sharing its connections, as Payme's own client would.
    let paymes: HashMap<i64, PaymeSandbox> =
        endpoints.iter().map(|(bot, url)| (*bot, PaymeSandbox::new(url, KEY, Arc::new(SystemClock)))).collect();
    let orders = Arc::new(orders.into_iter().map(|o| (o.id, paymes[&o.user_bot_id].clone())).collect::<Vec<_>>());
    let backends = database_backends(&mut conn).await?;
    let cpu_before = CpuSplit::now(child.id(), &backends);
    let started = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|task| {
            let orders = orders.clone();
            actix_web::rt::spawn(async move {
                let mut timings: HashMap<&'static str, Vec<Duration>> = HashMap::new();
                let mut failures = 0usize;
                for (order, payme) in orders.iter().skip(task).step_by(CONCURRENCY) {
                    let order = order.to_string();
                    let t = Instant::now();
                    let checked = payme.check_perform(5_000_000, &order).await;
                    timings.entry("CheckPerformTransaction").or_default().push(t.elapsed());
                    let id = payme.new_id();
                    let t = Instant::now();
                    let created = payme.create(&id, 5_000_000, &order).await;
                    timings.entry("CreateTransaction").or_default().push(t.elapsed());
                    let t = Instant::now();
                    let performed = payme.perform(&id).await;
                    timings.entry("PerformTransaction").or_default().push(t.elapsed());
                    // The 32 customers start together: their first calls meet at once. What
                    // follows, once they have spread out, is reported on its own too.
                    if t.duration_since(started) > Duration::from_secs(1) {
                        timings.entry("PerformTransaction after 1 s").or_default().push(t.elapsed());
                    }
                    let ok = |a: &reqwest::Result<getolog::simulator::payme::PaymeAnswer>| {
                        a.as_ref().is_ok_and(|a| a.result().is_some())
                    };
                    failures += usize::from(!(ok(&checked) && ok(&created) && ok(&performed)));
                }
                (timings, failures)
            })
        })
        .collect();
    let mut timings: HashMap<&'static str, Vec<Duration>> = HashMap::new();
    let mut failures = 0;
    for task in tasks {
        let (t, f) = task.await.context("payment task")?;
        for (method, mut values) in t {
            timings.entry(method).or_default().append(&mut values);
        }
        failures += f;
    }
    let paid_in = started.elapsed();
    let cpu = CpuSplit::now(child.id(), &backends).minus(&cpu_before);
    let invites = |s: &getolog::simulator::Simulator| chats.iter().map(|c| s.invite_links(*c).len()).sum::<usize>();
    // A failed call is one Payme would repeat; the invites due are those of the payments made.
    let paid = CUSTOMERS - failures;
    sim.wait_for(Duration::from_secs(120), |s| invites(s) >= paid).await;
    let handed_over = started.elapsed();
    #[derive(diesel::QueryableByName)]
    struct Counts {
        #[diesel(sql_type = BigInt)]
        payments: i64,
        #[diesel(sql_type = BigInt)]
        subscriptions: i64,
        #[diesel(sql_type = BigInt)]
        customers_with_one: i64,
    }
    let counts: Counts = diesel::sql_query(
        "SELECT (SELECT count(*) FROM payments WHERE status = 'approved') AS payments,
                (SELECT count(*) FROM subscriptions) AS subscriptions,
                (SELECT count(*) FROM (SELECT end_user_id FROM subscriptions GROUP BY 1 HAVING count(*) = 1) o) AS customers_with_one",
    )
    .get_result(&mut conn)
    .await?;
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();

    println!(
        "payments: {CUSTOMERS} customers paying with Payme (check, create, perform, invite), {CONCURRENCY} concurrent"
    );
    println!(
        "  paid in {:.1} s ({:.0} payments/s), every invite handed over after {:.1} s; failures {failures}",
        paid_in.as_secs_f64(),
        CUSTOMERS as f64 / paid_in.as_secs_f64(),
        handed_over.as_secs_f64()
    );
    println!(
        "  {} approved payments, {} subscriptions, {} customers with exactly one, {} invite links",
        counts.payments,
        counts.subscriptions,
        counts.customers_with_one,
        invites(&sim)
    );
    let per_payment = |seconds: f64| seconds * 1000.0 / CUSTOMERS as f64;
    println!(
        "  CPU per payment while paying: service {:.2} ms, PostgreSQL {:.2} ms, Payme + Telegram simulators {:.2} ms",
        per_payment(cpu.service),
        per_payment(cpu.database),
        per_payment(cpu.simulators)
    );
    for method in ["CheckPerformTransaction", "CreateTransaction", "PerformTransaction", "PerformTransaction after 1 s"]
    {
        let mut values = timings.remove(method).unwrap_or_default();
        values.sort();
        let pct =
            |p: f64| values.get(((values.len() as f64 * p) as usize).min(values.len().saturating_sub(1))).copied();
        println!(
            "  {method}: p50 {:?}  p99 {:?}  max {:?}",
            pct(0.5).unwrap_or_default(),
            pct(0.99).unwrap_or_default(),
            pct(1.0).unwrap_or_default()
        );
    }
    Ok(())
}

/// CPU seconds used so far by the service, by PostgreSQL's backends serving the bench's
/// database, and by this process (the simulators and the load).
struct CpuSplit {
    service: f64,
    database: f64,
    simulators: f64,
}

impl CpuSplit {
    fn now(service_pid: u32, backends: &[i32]) -> CpuSplit {
        CpuSplit {
            service: super::cpu_seconds_of(&format!("/proc/{service_pid}/stat")),
            database: backends.iter().map(|pid| super::cpu_seconds_of(&format!("/proc/{pid}/stat"))).sum(),
            simulators: super::cpu_seconds(),
        }
    }

    fn minus(&self, before: &CpuSplit) -> CpuSplit {
        CpuSplit {
            service: self.service - before.service,
            database: self.database - before.database,
            simulators: self.simulators - before.simulators,
        }
    }
}

/// The PostgreSQL backends connected to this database (the service's pools are open ahead
/// and keep their connections, so the paying phase runs on these).
async fn database_backends(conn: &mut diesel_async::AsyncPgConnection) -> anyhow::Result<Vec<i32>> {
    #[derive(diesel::QueryableByName)]
    struct Backend {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }
    let rows: Vec<Backend> =
        diesel::sql_query("SELECT pid FROM pg_stat_activity WHERE datname = current_database()").load(conn).await?;
    Ok(rows.into_iter().map(|b| b.pid).collect())
}
