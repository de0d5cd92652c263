//! `getolog-bench stats`, its plans: `EXPLAIN (ANALYZE, BUFFERS)` of the dashboard's and
//! `owner_stats::figures`' statements, and the scans each one uses.

use chrono::{DateTime, Utc};
use diesel::{
    sql_types::{BigInt, Text, Timestamptz},
    QueryResult, QueryableByName,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::stats::period_start;

/// One line of `EXPLAIN` output.
#[derive(QueryableByName)]
pub struct PlanLine {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

/// The statements' text, copied from `src/db/platform_stats.rs` and `src/db/owner_stats.rs`.
const DASH_PAYMENTS: &str = "SELECT status AS label, count(*) AS count FROM payments WHERE created_at >= $1
         GROUP BY status ORDER BY status";
const DASH_APPROVED: &str =
    "SELECT currency, sum(amount) AS total FROM payments WHERE status = 'approved' AND created_at >= $1
         GROUP BY currency ORDER BY currency";
const DASH_TOTALS: &str = "SELECT (SELECT count(*) FROM user_admins) AS owners,
                (SELECT count(*) FROM user_admins WHERE created_at >= $1) AS new_owners,
                (SELECT count(*) FROM end_users) AS end_users,
                (SELECT count(*) FROM end_users WHERE created_at >= $1) AS new_end_users,
                (SELECT sum(amount) FROM platform_payments
                 WHERE status = 'approved' AND reviewed_at >= $1) AS plan_revenue";
/// `owner_stats::figures`' six statements, all bound to `(user_bot_id, since)` but `active`
/// to `(user_bot_id, now)`.
pub const FIGURE_NAMES: [&str; 6] = ["payments", "revenue", "new_subscribers", "active", "renewals", "new_end_users"];
pub const FIGURES: [&str; 6] = [
    "SELECT channel_id, status AS label, count(*) AS count FROM payments
         WHERE user_bot_id = $1 AND created_at >= $2 GROUP BY 1, 2 ORDER BY 1, 2",
    "SELECT channel_id, currency, sum(amount) AS total FROM payments
         WHERE user_bot_id = $1 AND created_at >= $2 AND status = 'approved' GROUP BY 1, 2 ORDER BY 1, 2",
    "SELECT s.channel_id, '' AS label, count(*) AS count FROM subscriptions s
         JOIN channels c ON c.id = s.channel_id
         WHERE c.user_bot_id = $1 AND s.created_at >= $2 GROUP BY 1 ORDER BY 1",
    "SELECT s.channel_id, '' AS label, count(*) AS count FROM subscriptions s
         JOIN channels c ON c.id = s.channel_id
         WHERE c.user_bot_id = $1 AND s.status = 'active' AND (s.expires_at IS NULL OR s.expires_at > $2)
         GROUP BY 1 ORDER BY 1",
    "SELECT p.channel_id, '' AS label, count(*) AS count FROM payments p
         WHERE p.user_bot_id = $1 AND p.created_at >= $2 AND p.status = 'approved'
           AND EXISTS (SELECT 1 FROM payments q WHERE q.end_user_id = p.end_user_id
                       AND q.channel_id = p.channel_id AND q.status = 'approved'
                       AND (q.created_at, q.id) < (p.created_at, p.id))
         GROUP BY 1 ORDER BY 1",
    "SELECT count(*) AS count FROM end_users WHERE user_bot_id = $1 AND created_at >= $2",
];

/// Prints the plans of the dashboard's statements that read `payments` (30 days and all
/// time) and of `figures` for the big bot (30 days), then the scans each one uses.
pub async fn explain_all(conn: &mut AsyncPgConnection, now: DateTime<Utc>, big: i64) -> anyhow::Result<()> {
    let month = period_start(now, 30);
    let mut summary = Vec::new();
    for (label, since) in [("30 days", month), ("all time", DateTime::<Utc>::UNIX_EPOCH)] {
        for (what, sql) in
            [("totals", DASH_TOTALS), ("payments by status", DASH_PAYMENTS), ("approved sums", DASH_APPROVED)]
        {
            let plan = diesel::sql_query(format!("EXPLAIN (ANALYZE, BUFFERS) {sql}"))
                .bind::<Timestamptz, _>(since)
                .load(conn)
                .await?;
            summary.push(print_plan(&format!("dashboard {what}, {label}"), &plan));
        }
    }
    for (what, sql) in FIGURE_NAMES.into_iter().zip(FIGURES) {
        let plan = explain(conn, sql, big, if what == "active" { now } else { month }).await?;
        summary.push(print_plan(&format!("figures {what}, big bot, 30 days"), &plan));
    }
    println!("\nscans per statement:");
    for line in summary {
        println!("  {line}");
    }
    Ok(())
}

/// `EXPLAIN (ANALYZE, BUFFERS)` of a `figures` statement.
pub async fn explain(
    conn: &mut AsyncPgConnection,
    sql: &str,
    bot: i64,
    at: DateTime<Utc>,
) -> QueryResult<Vec<PlanLine>> {
    let explain = diesel::sql_query(format!("EXPLAIN (ANALYZE, BUFFERS) {sql}"));
    explain.bind::<BigInt, _>(bot).bind::<Timestamptz, _>(at).load(conn).await
}

/// Prints a plan in full; returns `title: scans…, execution time`.
pub fn print_plan(title: &str, plan: &[PlanLine]) -> String {
    println!("\n{title}:");
    let mut scans = Vec::new();
    let mut time = String::new();
    for PlanLine { line } in plan {
        println!("  {line}");
        let node = line.trim_start().trim_start_matches("->").trim_start();
        if node.contains(" Scan ") || node.starts_with("Seq Scan") {
            scans.push(node.split("  (").next().unwrap_or(node).to_owned());
        } else if let Some(t) = node.strip_prefix("Execution Time: ") {
            time = t.to_owned();
        }
    }
    format!("{title}: {}; {time}", scans.join(", "))
}
