//! `getolog status`: the running platform's health for its operator, read from PostgreSQL
//! and Redis (so it works from any machine with the configuration, whichever node runs).

use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};
use diesel::{
    sql_types::{BigInt, Nullable, Text, Timestamptz},
    QueryableByName,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::{cache::Cache, config::Settings};

#[derive(QueryableByName)]
struct StateCount {
    #[diesel(sql_type = Text)]
    health: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

#[derive(QueryableByName)]
struct Changed {
    #[diesel(sql_type = Text)]
    username: String,
    #[diesel(sql_type = Text)]
    health: String,
    #[diesel(sql_type = Timestamptz)]
    at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Text>)]
    error: Option<String>,
}

/// Builds the report.
pub async fn report(settings: &Settings) -> anyhow::Result<String> {
    let now = Utc::now();
    let hour_ago = now - Duration::hours(1);
    let mut conn = AsyncPgConnection::establish(&settings.database_url).await?;
    let states: Vec<StateCount> = diesel::sql_query(
        "SELECT health, count(*) AS count FROM user_bots WHERE is_active GROUP BY health ORDER BY health",
    )
    .load(&mut conn)
    .await?;
    let changed: Vec<Changed> = diesel::sql_query(
        "SELECT bot_username AS username, health, health_changed_at AS at, last_error AS error FROM user_bots
         WHERE is_active AND health <> 'alive' AND health_changed_at >= $1 ORDER BY health_changed_at DESC LIMIT 50",
    )
    .bind::<Timestamptz, _>(hour_ago)
    .load(&mut conn)
    .await?;
    let cache = Cache::new(&settings.redis_url, &settings.redis_prefix, 1)?;

    let mut out = String::new();
    let states = states.iter().map(|s| format!("{} {}", s.health, s.count)).collect::<Vec<_>>();
    writeln!(out, "Bots (connected): {}", if states.is_empty() { "none".into() } else { states.join(", ") })?;
    writeln!(out, "One-tap shop bots (main bot may manage bots): {}", bot_management(settings).await)?;
    writeln!(out, "\nState changes in the last hour:")?;
    if changed.is_empty() {
        writeln!(out, "  none")?;
    }
    for c in &changed {
        writeln!(
            out,
            "  @{} → {} at {} ({})",
            c.username,
            c.health,
            c.at.format("%H:%M:%S"),
            c.error.as_deref().unwrap_or("-")
        )?;
    }
    writeln!(out, "\nRestarts in the last hour:")?;
    let restarts: Vec<_> = cache.restarts().await?.into_iter().filter(|r| r.at >= hour_ago).collect();
    if restarts.is_empty() {
        writeln!(out, "  none")?;
    }
    for r in &restarts {
        writeln!(
            out,
            "  bot {} {} at {} on {}: {}",
            r.telegram_bot_id,
            r.what,
            r.at.format("%H:%M:%S"),
            r.node,
            r.reason
        )?;
    }
    writeln!(out, "\nScheduler jobs (last run):")?;
    let mut runs = cache.job_runs().await?;
    runs.sort_by(|a, b| a.job.cmp(&b.job));
    if runs.is_empty() {
        writeln!(out, "  none yet")?;
    }
    for run in &runs {
        let took = (run.finished_at - run.started_at).num_milliseconds();
        writeln!(
            out,
            "  {:<13} {} ({took} ms) on {}: {}",
            run.job,
            run.started_at.format("%Y-%m-%d %H:%M:%S"),
            run.node,
            run.outcome
        )?;
    }
    writeln!(out, "\nNodes seen in the last 3 minutes:")?;
    let nodes = cache.nodes(now - Duration::minutes(3)).await?;
    if nodes.is_empty() {
        writeln!(out, "  none")?;
    }
    for node in &nodes {
        writeln!(out, "  {} — {} bots, {} s ago", node.node, node.bots, (now - node.at).num_seconds())?;
    }
    Ok(out)
}

/// Whether the main bot may create shop bots (`can_manage_bots` from `getMe`), asked now.
async fn bot_management(settings: &Settings) -> &'static str {
    let bot = crate::telegram::TelegramFactory::new(settings.telegram_api_url.clone()).bot(&settings.bot_token);
    let get_me = crate::telegram::managed::call(&bot, crate::telegram::managed::GetMe {});
    match tokio::time::timeout(std::time::Duration::from_secs(5), get_me).await {
        Ok(Ok(me)) if me.can_manage_bots => "yes",
        Ok(Ok(_)) => "no (switch on Bot Management in @BotFather; owners connect by token meanwhile)",
        Ok(Err(_)) | Err(_) => "unknown (Telegram did not answer getMe)",
    }
}
