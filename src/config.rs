//! Typed settings read from the environment (and `.env`), validated once at start-up.
//!
//! Every failure names the variable, so the operator sees one line saying what to fix.
//! Secrets (the main bot token, encryption keys) live in redacting types.

use std::{collections::HashMap, net::SocketAddr, time::Duration};

use url::Url;

use crate::{
    crypto::{BotToken, TokenVault},
    db::payment_accounts::PaymentAccount,
    services::input::parse_card_number,
};

mod platform_account;

/// A configuration problem: which variable, and what is wrong with it.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {var} {problem}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub var: &'static str,
    /// What is wrong with it, safe to print (never the value of a secret).
    pub problem: String,
}

/// Prices of the platform plans, in UZS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanPrices {
    /// One month.
    pub one_month: u64,
    /// Six months.
    pub six_months: u64,
    /// Twelve months.
    pub twelve_months: u64,
}

/// How often the scheduler runs its jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchedulerSettings {
    /// Removal of expired end users and plan expiry (`SCHEDULER_EXPIRY_EVERY`).
    pub expiry_every: Duration,
    /// Expiry warnings and bot health checks (`SCHEDULER_REMINDER_EVERY`).
    pub reminder_every: Duration,
    /// Telegram Stars reconciliation against `getStarTransactions` (`SCHEDULER_RECONCILE_EVERY`).
    pub reconcile_every: Duration,
    /// How long a health check waits for `getMe` (`HEALTH_CHECK_TIMEOUT`).
    pub health_timeout: Duration,
    /// Failed health checks in a row that make a bot `dead` (`HEALTH_DEAD_AFTER`).
    pub dead_after: u32,
}

/// Restart policy knobs for bot actors (OTP style intensity and backoff).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestartSettings {
    /// At most this many restarts...
    pub max_restarts: u32,
    /// ...within this window, else the bot is marked failed.
    pub within: Duration,
    /// First backoff delay; doubled on each restart inside the window.
    pub backoff: Duration,
    /// Upper bound of the backoff delay.
    pub max_backoff: Duration,
    /// Pause before a failed bot is tried again; doubled with each failure in a row.
    pub revive_after: Duration,
    /// Upper bound of that pause.
    pub max_revive_after: Duration,
}

/// Output format of the logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// Everything the service needs to run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Token of the main Getolog bot.
    pub bot_token: BotToken,
    /// PostgreSQL URL.
    pub database_url: String,
    /// Redis URL.
    pub redis_url: String,
    /// Prefix of every Redis key (lets tests and several deployments share one Redis).
    pub redis_prefix: String,
    /// Fernet keys; the first encrypts, all decrypt.
    pub vault: TokenVault,
    /// Telegram user ids of the moderators.
    pub moderator_ids: Vec<i64>,
    /// Public base URL Telegram posts webhooks to.
    pub server_url: Url,
    /// Address the HTTP front binds: loopback by default, for nginx on the same machine
    /// (metrics and health must not face the internet).
    pub listen_addr: SocketAddr,
    /// Bot API base URL (Telegram's, a local Bot API server, or the simulator).
    pub telegram_api_url: Url,
    /// Sentry DSN, when error reporting is on.
    pub sentry_dsn: Option<String>,
    /// Scheduler intervals.
    pub scheduler: SchedulerSettings,
    /// Platform plan prices.
    pub plan_prices: PlanPrices,
    /// Card owners pay their plan to: digits only (checked like an owner's card at start),
    /// empty when unset, which makes plan payments refuse politely.
    pub platform_card_number: String,
    /// Holder name of that card.
    pub platform_card_holder: String,
    /// The platform's own Payme / Click / Uzum account for plans (`None`: plans are paid by
    /// card only).
    pub platform_account: Option<PaymentAccount>,
    /// Time zone for days in statistics and reminders.
    pub timezone: chrono_tz::Tz,
    /// Log output format.
    pub log_format: LogFormat,
    /// Size of the PostgreSQL pool.
    pub database_pool_size: u32,
    /// Size of the Redis pool.
    pub redis_pool_size: u32,
    /// Updates one bot may have in flight before the front answers 429.
    pub max_in_flight_per_bot: usize,
    /// Updates the whole process may have in flight before the front answers 503.
    pub max_in_flight_total: usize,
    /// Open webhook connections the front keeps at most (split over the workers); more wait
    /// in the listen backlog. Each open connection holds about 30 kB of buffers, so this
    /// bounds memory under a burst.
    pub max_connections: usize,
    /// Messages and button presses one user may send one bot per second; more are dropped.
    pub rate_limit_per_second: u32,
    /// Bot actor restart policy.
    pub restart: RestartSettings,
    /// Webhooks registered in parallel at start-up.
    pub webhook_concurrency: usize,
    /// How long the moderator actor gathers alerts before sending one digest.
    pub alert_flush_every: Duration,
    /// Worker threads of the HTTP front and of the bot actors (0 = number of cores).
    pub workers: usize,
    /// A message text that makes any handler panic, to prove crash isolation in tests.
    /// Never read from the environment: only code (the test suite) can turn it on.
    pub test_panic_trigger: Option<String>,
    /// The rate limit's window (one second; code-only, so tests need not race the clock).
    pub rate_limit_window: Duration,
    /// How long an id found in no table is answered 404 without a lookup (30 s; code-only:
    /// long enough to absorb a flood, short enough that a bot connected on another node is
    /// adopted soon after).
    pub unknown_bot_ttl: Duration,
    /// Database lookups of unknown ids that may run at once; more answer 503 (4; code-only).
    pub unknown_bot_lookups: usize,
}

/// PostgreSQL connections per worker thread when `DATABASE_POOL_SIZE` is not set. Every
/// connection in use is a PostgreSQL backend competing for the same cores: more than a few
/// per core only lengthens the queue at the CPU (measured in docs/benchmarks.md).
pub const DATABASE_CONNECTIONS_PER_THREAD: u32 = 4;

impl Settings {
    /// Reads the settings from the process environment, after loading `.env` if present.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        let vars: HashMap<String, String> = std::env::vars().collect();
        Self::from_map(&vars)
    }

    /// Reads the settings from a map of variables (what `from_env` and tests use).
    pub fn from_map(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let env = Env(vars);
        let mut settings = Self {
            bot_token: env.parse("BOT_TOKEN", |v| BotToken::parse(v).map_err(|e| e.to_string()))?,
            database_url: env.required("DATABASE_URL")?,
            redis_url: env
                .parse("REDIS_URL", |v| redis::Client::open(v).map(|_| v.to_owned()).map_err(|e| e.to_string()))?,
            redis_prefix: env.optional("REDIS_PREFIX").unwrap_or_else(|| "getolog".into()),
            vault: env.parse("ENCRYPTION_KEY", |v| TokenVault::from_keys(v).map_err(|e| e.to_string()))?,
            moderator_ids: env.parse("MODERATOR_IDS", parse_id_list)?,
            server_url: env.parse("SERVER_URL", parse_http_url)?,
            listen_addr: env.parse_or("LISTEN_ADDR", "127.0.0.1:8443", |v| {
                v.parse().map_err(|_| "must look like 127.0.0.1:8443".to_owned())
            })?,
            telegram_api_url: env.parse_or("TELEGRAM_API_URL", "https://api.telegram.org", parse_http_url)?,
            sentry_dsn: env.optional("SENTRY_DSN"),
            scheduler: SchedulerSettings {
                expiry_every: env.parse_or("SCHEDULER_EXPIRY_EVERY", "10m", parse_duration)?,
                reminder_every: env.parse_or("SCHEDULER_REMINDER_EVERY", "6h", parse_duration)?,
                reconcile_every: env.parse_or("SCHEDULER_RECONCILE_EVERY", "24h", parse_duration)?,
                health_timeout: env.parse_or("HEALTH_CHECK_TIMEOUT", "10s", parse_duration)?,
                dead_after: env.parse_or("HEALTH_DEAD_AFTER", "3", parse_positive)?,
            },
            plan_prices: PlanPrices {
                one_month: env.parse_or("PLAN_PRICE_1M", "50000", parse_positive)?,
                six_months: env.parse_or("PLAN_PRICE_6M", "250000", parse_positive)?,
                twelve_months: env.parse_or("PLAN_PRICE_12M", "450000", parse_positive)?,
            },
            platform_card_number: env
                .parse_if_set("PLATFORM_CARD_NUMBER", |v| parse_card_number(v).map_err(|e| e.to_string()))?
                .unwrap_or_default(),
            platform_card_holder: env.optional("PLATFORM_CARD_HOLDER").unwrap_or_default(),
            // Read last: its keys are encrypted with the vault above.
            platform_account: None,
            timezone: env.parse_or("TIMEZONE", "Asia/Tashkent", |v| {
                v.parse().map_err(|_| "is not a known IANA time zone".to_owned())
            })?,
            log_format: env.parse_or("LOG_FORMAT", "pretty", |v| match v {
                "pretty" => Ok(LogFormat::Pretty),
                "json" => Ok(LogFormat::Json),
                _ => Err("must be pretty or json".to_owned()),
            })?,
            // Resolved below: 0 is 4 per worker thread.
            database_pool_size: env.parse_if_set("DATABASE_POOL_SIZE", parse_positive)?.unwrap_or(0),
            redis_pool_size: env.parse_or("REDIS_POOL_SIZE", "16", parse_positive)?,
            max_in_flight_per_bot: env.parse_or("MAX_IN_FLIGHT_PER_BOT", "256", parse_positive)?,
            max_in_flight_total: env.parse_or("MAX_IN_FLIGHT_TOTAL", "4096", parse_positive)?,
            max_connections: env.parse_or("MAX_CONNECTIONS", "2048", parse_positive)?,
            rate_limit_per_second: env.parse_or("RATE_LIMIT_PER_SECOND", "3", parse_positive)?,
            restart: RestartSettings {
                max_restarts: env.parse_or("BOT_MAX_RESTARTS", "5", parse_positive)?,
                within: env.parse_or("BOT_RESTART_WINDOW", "60s", parse_duration)?,
                backoff: env.parse_or("BOT_RESTART_BACKOFF", "1s", parse_duration)?,
                max_backoff: env.parse_or("BOT_RESTART_MAX_BACKOFF", "30s", parse_duration)?,
                revive_after: env.parse_or("BOT_FAILED_RETRY", "2m", parse_duration)?,
                max_revive_after: env.parse_or("BOT_FAILED_MAX_RETRY", "1h", parse_duration)?,
            },
            webhook_concurrency: env.parse_or("WEBHOOK_CONCURRENCY", "16", parse_positive)?,
            alert_flush_every: env.parse_or("ALERT_FLUSH_EVERY", "5s", parse_duration)?,
            workers: env.parse_or("WORKERS", "0", |v| v.parse().map_err(|_| "must be a number".to_owned()))?,
            test_panic_trigger: None,
            rate_limit_window: Duration::from_secs(1),
            unknown_bot_ttl: Duration::from_secs(30),
            unknown_bot_lookups: 4,
        };
        settings.platform_account = platform_account::from_env(&env, &settings.vault)?;
        if settings.database_pool_size == 0 {
            settings.database_pool_size = DATABASE_CONNECTIONS_PER_THREAD * settings.worker_threads() as u32;
        }
        Ok(settings)
    }

    /// The webhook URL of one bot: `SERVER_URL/webhook/{bot_id}`.
    pub fn webhook_url(&self, telegram_bot_id: i64) -> String {
        format!("{}/webhook/{telegram_bot_id}", self.server_url.as_str().trim_end_matches('/'))
    }

    /// Worker thread count, resolving 0 to the number of cores.
    pub fn worker_threads(&self) -> usize {
        match self.workers {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        }
    }
}

struct Env<'a>(&'a HashMap<String, String>);

impl Env<'_> {
    fn optional(&self, var: &str) -> Option<String> {
        self.0.get(var).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn required(&self, var: &'static str) -> Result<String, ConfigError> {
        self.optional(var).ok_or(ConfigError { var, problem: "is missing".into() })
    }

    fn parse<T>(&self, var: &'static str, f: impl FnOnce(&str) -> Result<T, String>) -> Result<T, ConfigError> {
        let raw = self.required(var)?;
        f(&raw).map_err(|problem| ConfigError { var, problem: format!("is invalid: {problem}") })
    }

    fn parse_if_set<T>(
        &self,
        var: &'static str,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ConfigError> {
        let parsed = self.optional(var).map(|raw| f(&raw));
        parsed.transpose().map_err(|problem| ConfigError { var, problem: format!("is invalid: {problem}") })
    }

    fn parse_or<T>(
        &self,
        var: &'static str,
        default: &str,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        let raw = self.optional(var).unwrap_or_else(|| default.to_owned());
        f(&raw).map_err(|problem| ConfigError { var, problem: format!("is invalid: {problem}") })
    }
}

fn parse_id_list(raw: &str) -> Result<Vec<i64>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<i64>().map_err(|_| format!("`{s}` is not a Telegram user id")))
        .collect()
}

fn parse_http_url(raw: &str) -> Result<Url, String> {
    let url = Url::parse(raw).map_err(|e| e.to_string())?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!("scheme {other} is not http(s)")),
    }
}

fn parse_positive<T: std::str::FromStr + PartialEq + From<u8>>(raw: &str) -> Result<T, String> {
    match raw.replace('_', "").parse::<T>() {
        Ok(v) if v != T::from(0) => Ok(v),
        _ => Err("must be a positive whole number".into()),
    }
}

/// Parses durations like `500ms`, `30s`, `10m`, `6h`, `1d`.
pub fn parse_duration(raw: &str) -> Result<Duration, String> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len());
    let (number, unit) = raw.split_at(split);
    let n: u64 = number.parse().map_err(|_| format!("`{raw}` is not a duration like 30s, 10m or 6h"))?;
    let secs = |k: u64| Duration::from_secs(n.saturating_mul(k));
    let d = match unit {
        "ms" => Duration::from_millis(n),
        "s" => secs(1),
        "m" => secs(60),
        "h" => secs(3600),
        "d" => secs(86_400),
        _ => return Err(format!("`{raw}` is not a duration like 30s, 10m or 6h")),
    };
    if d.is_zero() {
        return Err("must be longer than zero".into());
    }
    Ok(d)
}

#[cfg(test)]
mod tests;
