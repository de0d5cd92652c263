//! `getolog-bench stats`: the moderators' dashboard and an owner's `/stats` at scale.
//!
//! A scratch database with 1,000 owners (each with a `free` plan row, every fifth with a
//! running paid plan), 1,000 active bots with 1 or 2 linked chats, 100,000 end users and
//! 100,000 payments over the last 120 days, one subscription per user and chat bought, and
//! 2,000 plan payments; loaded with set-based `INSERT … SELECT`, then `VACUUM ANALYZE`. One
//! bot (the "big" one) holds 10,000 of the payments and 2,000 end users; the "typical" one 90.
//! Times (median and p95 of 30 runs, after 2 warm-up runs) `platform_stats::dashboard`, and
//! for both bots `owner_stats::figures`, `daily`, `render_png` and the CSV exports; prints
//! `EXPLAIN (ANALYZE, BUFFERS)` of the heaviest statements and the scans they use; then adds
//! the indexes it proposes (in the scratch database only) and times `figures` again.
//! Needs only PostgreSQL: no Telegram call is involved.

use std::time::{Duration, Instant};

use bigdecimal::ToPrimitive;
use chrono::{DateTime, TimeZone, Utc};
use diesel::{
    sql_types::{BigInt, Text},
    QueryableByName,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use getolog::{
    db::{owner_stats, platform_stats, scratch::ScratchDatabase},
    stats::{chart, csv_export},
};

use super::stats_plans::{explain, explain_all, print_plan, FIGURES, FIGURE_NAMES};

/// Bot `n` has Telegram id `BOT_BASE + n` (see `LOAD_SQL`).
const BOT_BASE: i64 = 5_000_000;
/// The typical bot: 90 payments, 100 end users, one channel.
const TYPICAL: i64 = 500;
const RUNS: usize = 30;
const WARM_UP: usize = 2;
const TZ: chrono_tz::Tz = chrono_tz::Asia::Tashkent;
/// Today, 7 days, 30 days, all time (as the dashboard's and `/stats`' period buttons).
const PERIODS: [(&str, Option<i64>); 4] =
    [("today", Some(1)), ("7 days", Some(7)), ("30 days", Some(30)), ("all", None)];

/// Runs the expression `WARM_UP + RUNS` times; the durations of the last `RUNS`, sorted.
macro_rules! timed {
    ($e:expr) => {{
        let mut took = Vec::with_capacity(RUNS);
        for i in 0..WARM_UP + RUNS {
            let t = Instant::now();
            std::hint::black_box($e);
            if i >= WARM_UP {
                took.push(t.elapsed());
            }
        }
        took.sort();
        took
    }};
}

/// The whole load, one batch (`{NOW}` is the bench's "now"). Owner `n` (0..999) has Telegram
/// id 1,000,000 + n and bot 5,000,000 + n; bot 0 is the big one (2,000 end users, 10,000
/// payments), the others have 100 end users and share the other 90,000 payments; every third
/// bot has a group besides its channel; every fifth owner has a running paid plan.
const LOAD_SQL: &str = "
SELECT setseed(0.42);
INSERT INTO user_admins (telegram_id, full_name, language, created_at)
SELECT 1000000 + n, 'Owner ' || n, (ARRAY['uz', 'en', 'ru'])[1 + n % 3], {NOW} - random() * interval '365 days'
FROM generate_series(0, 999) n;
INSERT INTO admin_subscriptions (user_admin_id, plan, started_at, expires_at, amount_paid, status)
SELECT id, 'free', created_at, NULL, 0, 'active' FROM user_admins;
-- Paid plans: running for n % 5 = 0, ended two days ago for n % 10 = 1.
INSERT INTO admin_subscriptions (user_admin_id, plan, started_at, expires_at, amount_paid, status)
SELECT o.id, p.plan, {NOW} - interval '20 days', CASE WHEN o.n % 5 = 0
       THEN {NOW} - interval '20 days' + make_interval(months => p.months) ELSE {NOW} - interval '2 days' END,
       p.price, CASE WHEN o.n % 5 = 0 THEN 'active' ELSE 'expired' END
FROM (SELECT id, telegram_id - 1000000 AS n FROM user_admins) o
JOIN (VALUES (0, '1month', 1, 99000), (1, '6month', 6, 499000), (2, '12month', 12, 899000)) p(k, plan, months, price)
  ON p.k = o.n / 5 % 3
WHERE o.n % 5 = 0 OR o.n % 10 = 1;
INSERT INTO user_bots (user_admin_id, telegram_bot_id, bot_token, bot_username, webhook_secret, health, created_at,
                       health_changed_at)
SELECT id, telegram_id + 4000000, 'bench-token', 'shop' || (telegram_id - 1000000) || '_bot', 'bench-secret',
       CASE (telegram_id - 1000000) % 10 WHEN 8 THEN 'dead' WHEN 9 THEN 'revoked' ELSE 'alive' END, created_at,
       created_at
FROM user_admins ORDER BY id;
CREATE TEMP TABLE bot AS
SELECT id, telegram_bot_id - 5000000 AS n, CASE WHEN telegram_bot_id = 5000000 THEN 2000 ELSE 100 END AS users,
       CASE WHEN (telegram_bot_id - 5000000) % 3 = 0 THEN 2 ELSE 1 END AS chats FROM user_bots;
-- A channel in UZS (in USD for n % 10 = 9) and for every third bot a group (in USD for even n).
INSERT INTO channels (user_bot_id, telegram_chat_id, type, title, price, currency, link_status,
                      can_invite_users, can_restrict_members, created_at)
SELECT b.id, -1000000000000 - b.n * 2 - t.k, t.type, initcap(t.type) || ' ' || b.n,
       CASE WHEN x.usd THEN 10 ELSE 50000 END, CASE WHEN x.usd THEN 'USD' ELSE 'UZS' END, 'linked', true, true,
       {NOW} - interval '200 days'
FROM bot b JOIN (VALUES (0, 'channel'), (1, 'group')) t(k, type) ON t.k < b.chats
CROSS JOIN LATERAL (SELECT t.k = 1 AND b.n % 2 = 0 OR t.k = 0 AND b.n % 10 = 9 AS usd) x;
INSERT INTO end_users (telegram_id, user_bot_id, username, full_name, language, created_at)
SELECT 100000000 + b.n * 10000 + u, b.id, 'user' || u, 'User ' || u, (ARRAY['uz', 'en', 'ru'])[1 + u % 3],
       {NOW} - random() * interval '120 days'
FROM bot b, generate_series(0, b.users - 1) u;
-- Payment k is the j-th of bot n, for the pair (user, chat) number j % (users * chats); only
-- a pair's last payment may be pending (one pending payment per user and chat).
CREATE TEMP TABLE gen AS
SELECT x.*, count(*) OVER (PARTITION BY n) AS per_bot, random() AS r, random() AS t, random() AS m
FROM (SELECT k, CASE WHEN k < 10000 THEN 0 ELSE 1 + (k - 10000) % 999 END AS n,
             CASE WHEN k < 10000 THEN k ELSE (k - 10000) / 999 END AS j
      FROM generate_series(0, 99999) k) x;
INSERT INTO payments (end_user_id, user_bot_id, channel_id, amount, currency, duration_months, payment_method,
                      status, screenshot_file_id, screenshot_kind, created_at, approved_at, reviewed_at,
                      reviewed_by, receipts)
SELECT u.id, p.bot, c.id, c.price * p.months, c.currency, p.months, 'card', p.status, 'bench-file-' || p.k, 'photo',
       p.created_at, CASE WHEN p.status = 'approved' THEN p.created_at + interval '20 minutes' END,
       CASE WHEN p.status <> 'pending' THEN p.created_at + interval '20 minutes' END,
       CASE WHEN p.status <> 'pending' THEN 1000000 + p.n END, 1
FROM (SELECT g.k, g.n, b.id AS bot, g.j % (b.users * b.chats) / b.chats AS usr, g.j % b.chats AS chat,
             CASE WHEN g.r < 0.1 AND g.j + b.users * b.chats >= g.per_bot THEN 'pending'
                  WHEN g.r >= 0.1 AND g.r < 0.2 THEN 'rejected' ELSE 'approved' END AS status,
             CASE WHEN g.m < 0.7 THEN 1 WHEN g.m < 0.9 THEN 6 ELSE 12 END AS months,
             {NOW} - g.t * interval '120 days' AS created_at
      FROM gen g JOIN bot b ON b.n = g.n) p
JOIN end_users u ON u.user_bot_id = p.bot AND u.telegram_id = 100000000 + p.n * 10000 + p.usr
JOIN channels c ON c.user_bot_id = p.bot AND c.type = CASE p.chat WHEN 0 THEN 'channel' ELSE 'group' END
ORDER BY p.created_at;
-- One subscription per user and chat bought: from the first approved payment to the end of
-- the last one.
INSERT INTO subscriptions (end_user_id, channel_id, payment_id, invite_link, link_used, joined_at, expires_at,
                           kicked_at, status, created_at)
SELECT end_user_id, channel_id, last_id, 'https://t.me/+bench' || last_id, true, first_at + interval '1 hour', ends,
       CASE WHEN ends <= {NOW} THEN ends END, CASE WHEN ends > {NOW} THEN 'active' ELSE 'expired' END, first_at
FROM (SELECT end_user_id, channel_id, max(id) AS last_id, min(created_at) AS first_at,
             max(created_at + make_interval(months => duration_months)) AS ends
      FROM payments WHERE status = 'approved' GROUP BY 1, 2) a
ORDER BY first_at;
-- Two plan payments per owner over the last year; only the second may be pending.
INSERT INTO platform_payments (user_admin_id, plan, amount, status, method, screenshot_file_id, screenshot_kind,
                               created_at, reviewed_at, reviewed_by, receipts)
SELECT o.id, (ARRAY['1month', '6month', '12month'])[1 + k % 3], (ARRAY[99000, 499000, 899000])[1 + k % 3], x.status,
       'card', 'bench-plan-' || k, 'photo', x.created_at,
       CASE WHEN x.status <> 'pending' THEN x.created_at + interval '1 hour' END,
       CASE WHEN x.status <> 'pending' THEN 1 END, 1
FROM (SELECT k, CASE WHEN k >= 1000 AND r < 0.1 THEN 'pending' WHEN r >= 0.1 AND r < 0.2 THEN 'rejected'
                     ELSE 'approved' END AS status, {NOW} - random() * interval '365 days' AS created_at
      FROM (SELECT k, random() AS r FROM generate_series(0, 1999) k) g) x
JOIN user_admins o ON o.telegram_id = 1000000 + x.k % 1000;
DROP TABLE gen, bot;
";

/// Builds the world, times the dashboard and `/stats`, and prints the plans.
pub async fn run() -> anyhow::Result<()> {
    let server = std::env::var("DEMO_DATABASE_SERVER").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let db = ScratchDatabase::create(&server, "getolog_bench").await?;
    getolog::db::run_migrations(&db.url).await?;
    let mut conn = AsyncPgConnection::establish(&db.url).await?;
    let now = Utc::now();
    let started = Instant::now();
    conn.batch_execute(&LOAD_SQL.replace("{NOW}", &format!("'{}'::timestamptz", now.to_rfc3339()))).await?;
    // As autovacuum would have by now: statistics, and the visibility map for index-only scans.
    conn.batch_execute("VACUUM ANALYZE").await?;
    println!("stats: loaded in {:.1?}; load average {}", started.elapsed(), loadavg());
    print_sizes(&mut conn).await?;
    let (big, typical) = bot_ids(&mut conn).await?;

    println!("\nlatency, {RUNS} runs after {WARM_UP} warm-up (median / p95):");
    for (label, days) in PERIODS {
        let since = days.map(|d| period_start(now, d));
        let t = timed!(platform_stats::dashboard(&mut conn, since, now).await?);
        row(&format!("dashboard, {label}"), &t);
    }
    for (who, bot) in [("typical bot", typical), ("big bot", big)] {
        time_figures(&mut conn, who, bot, now).await?;
        time_reports(&mut conn, who, bot, now).await?;
    }
    println!("  load average after timing: {}", loadavg());
    explain_all(&mut conn, now, big).await?;

    println!("\nwith the indexes this bench proposes (in the scratch database, not in the migrations):");
    for index in PROPOSED {
        println!("  {index}");
        conn.batch_execute(index).await?;
    }
    conn.batch_execute("VACUUM ANALYZE").await?;
    for (who, bot) in [("typical bot", typical), ("big bot", big)] {
        time_figures(&mut conn, who, bot, now).await?;
    }
    let mut summary = Vec::new();
    for (what, sql) in FIGURE_NAMES.into_iter().zip(FIGURES).skip(4) {
        let plan = explain(&mut conn, sql, big, period_start(now, 30)).await?;
        summary.push(print_plan(&format!("figures {what}, big bot, 30 days, proposed indexes"), &plan));
    }
    summary.iter().for_each(|line| println!("  {line}"));
    // On 2 cores a parallel plan's worker start-up can cost more than the work it shares.
    println!("\nthe same, with max_parallel_workers_per_gather = 0 (this session only):");
    conn.batch_execute("SET max_parallel_workers_per_gather = 0").await?;
    for (who, bot) in [("typical bot", typical), ("big bot", big)] {
        time_figures(&mut conn, who, bot, now).await?;
    }
    Ok(())
}

/// Indexes that the plans below ask for: `new_end_users` has no `(user_bot_id, created_at)`
/// on `end_users`, and `renewals` hashes every approved payment without an index that
/// filters on status.
const PROPOSED: [&str; 2] = [
    "CREATE INDEX IF NOT EXISTS end_users_bot_created ON end_users (user_bot_id, created_at)",
    "CREATE INDEX IF NOT EXISTS payments_approved_user_channel ON payments (end_user_id, channel_id, created_at, id) \
     WHERE status = 'approved'",
];

/// Times `owner_stats::figures` for every period.
async fn time_figures(conn: &mut AsyncPgConnection, who: &str, bot: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    for (label, days) in PERIODS {
        let since = days.map_or(DateTime::<Utc>::UNIX_EPOCH, |d| period_start(now, d));
        let t = timed!(owner_stats::figures(conn, bot, since, now).await?);
        row(&format!("/stats figures, {who}, {label}"), &t);
    }
    Ok(())
}

/// Times the chart (series and PNG) and the exports (rows and CSV) of one bot.
async fn time_reports(conn: &mut AsyncPgConnection, who: &str, bot: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    let today = now.with_timezone(&TZ).date_naive();
    let range = (today - chrono::Duration::days(29), today);
    let t = timed!(owner_stats::daily(conn, bot, "UZS", range, TZ.name()).await?);
    row(&format!("/stats daily series (30 days), {who}"), &t);
    let series = series_of(&owner_stats::daily(conn, bot, "UZS", range, TZ.name()).await?);
    let t = timed!(chart::render_png(&series)?);
    row(&format!("render_png of that series, {who}"), &t);
    let t = timed!(owner_stats::payment_rows(conn, bot, DateTime::<Utc>::UNIX_EPOCH).await?);
    let rows = owner_stats::payment_rows(conn, bot, DateTime::<Utc>::UNIX_EPOCH).await?;
    row(&format!("payment_rows, all time ({} rows), {who}", rows.len()), &t);
    let t = timed!(payments_csv(&rows)?);
    row(&format!("to_csv of those rows ({} kB), {who}", payments_csv(&rows)?.len() / 1024), &t);
    let t = timed!(owner_stats::subscriber_rows(conn, bot).await?);
    let subscribers = owner_stats::subscriber_rows(conn, bot).await?.len();
    row(&format!("subscriber_rows ({subscribers} rows), {who}"), &t);
    Ok(())
}

/// Prints one latency row as a markdown table row: median and p95 of sorted durations.
fn row(label: &str, sorted: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p95 = sorted[(sorted.len() * 95).div_ceil(100) - 1];
    println!("  | {label} | {:.2} ms | {:.2} ms |", ms(sorted[sorted.len() / 2]), ms(p95));
}

/// Midnight in Tashkent, `days - 1` days before today (as the panel's `period_start`).
pub fn period_start(now: DateTime<Utc>, days: i64) -> DateTime<Utc> {
    let first = now.with_timezone(&TZ).date_naive() - chrono::Duration::days(days - 1);
    let midnight = first.and_hms_opt(0, 0, 0).and_then(|m| TZ.from_local_datetime(&m).earliest());
    midnight.map_or(now, |at| at.with_timezone(&Utc)) // Tashkent has no DST gaps
}

/// The 1, 5 and 15 minute load averages (the VM is shared with other work).
fn loadavg() -> String {
    let avg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    avg.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The ids of the big bot and the typical one.
async fn bot_ids(conn: &mut AsyncPgConnection) -> anyhow::Result<(i64, i64)> {
    let ids: Vec<Id> =
        diesel::sql_query("SELECT id FROM user_bots WHERE telegram_bot_id IN ($1, $2) ORDER BY telegram_bot_id")
            .bind::<BigInt, _>(BOT_BASE)
            .bind::<BigInt, _>(BOT_BASE + TYPICAL)
            .load(conn)
            .await?;
    Ok((ids[0].id, ids[1].id))
}

#[derive(QueryableByName)]
struct Sizes {
    #[diesel(sql_type = Text)]
    text: String,
}

/// Prints the row counts of the loaded tables.
async fn print_sizes(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    let sizes: Sizes = diesel::sql_query(
        "SELECT format('owners %s, running paid plans %s, bots %s, chats %s, end users %s, payments %s (%s), '
                       'subscriptions %s, plan payments %s',
           (SELECT count(*) FROM user_admins),
           (SELECT count(*) FROM admin_subscriptions WHERE plan <> 'free' AND status = 'active'),
           (SELECT count(*) FROM user_bots), (SELECT count(*) FROM channels), (SELECT count(*) FROM end_users),
           (SELECT count(*) FROM payments),
           (SELECT string_agg(k || ' ' || n, ', ') FROM (SELECT status AS k, count(*) AS n FROM payments GROUP BY 1
                UNION ALL SELECT currency, count(*) FROM payments GROUP BY 1) x),
           (SELECT string_agg(status || ' ' || n, ', ') FROM (SELECT status, count(*) AS n FROM subscriptions
                GROUP BY 1) x),
           (SELECT count(*) FROM platform_payments)) AS text",
    )
    .get_result(conn)
    .await?;
    println!("  {}", sizes.text);
    Ok(())
}

/// The chart's series as the `/stats` handler builds it (labels aside).
fn series_of(days: &[owner_stats::Day]) -> chart::DailySeries {
    chart::DailySeries {
        title: "Statistics, last 30 days".into(),
        days: days.iter().map(|d| d.day).collect(),
        bars: days.iter().map(|d| d.revenue.to_f64().unwrap_or(0.0)).collect(),
        bars_label: "Revenue, UZS".into(),
        line: days.iter().map(|d| d.subscribers.max(0) as u64).collect(),
        line_label: "New subscribers".into(),
    }
}

/// The payments CSV as the `/stats` handler builds it (which moves the rows' strings; this
/// copies them).
fn payments_csv(rows: &[owner_stats::PaymentRow]) -> anyhow::Result<Vec<u8>> {
    let stamp = |at: DateTime<Utc>| at.with_timezone(&TZ).format("%Y-%m-%d %H:%M").to_string();
    let header = ["date", "user_id", "username", "item", "amount", "currency", "method", "status", "reviewed_at"];
    let lines = rows.iter().map(|r| {
        vec![
            stamp(r.created_at),
            r.user_id.to_string(),
            r.username.as_ref().map(|u| format!("@{u}")).unwrap_or_default(),
            r.item.clone(),
            r.amount.to_string(),
            r.currency.clone(),
            r.method.clone(),
            r.status.clone(),
            r.reviewed_at.map(stamp).unwrap_or_default(),
        ]
    });
    Ok(csv_export::to_csv(&header, lines)?)
}
