//! PostgreSQL: the connection pool, embedded migrations, the generated schema and the
//! rows with their queries. Business rules live in `services`, not here.

pub mod bot_health;
pub mod bot_settings;
pub mod channels;
pub mod deliveries;
pub mod end_users;
pub mod lease_holder;
pub mod lifecycle;
pub mod orders;
pub mod outbox;
pub mod owner_directory;
pub mod owner_stats;
pub mod owners;
pub mod payment_accounts;
pub mod payments;
pub mod plans;
pub mod platform_payments;
pub mod platform_stats;
pub mod prepared;
pub mod provider_transactions;
pub mod removals;
pub mod schema;
pub mod scratch;
pub mod star_subscriptions;
pub mod subscriptions;
pub mod user_bots;

use diesel_async::{
    pooled_connection::{bb8::Pool, AsyncDieselConnectionManager, ManagerConfig, PoolError, RecyclingMethod},
    AsyncPgConnection,
};
use diesel_migrations::{embed_migrations, EmbeddedMigrations};

/// The migrations in `migrations/`, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// The shared pool of async PostgreSQL connections.
pub type DbPool = Pool<AsyncPgConnection>;

/// A connection checked out of the pool.
pub type DbConn<'a> = bb8::PooledConnection<'a, AsyncDieselConnectionManager<AsyncPgConnection>>;

/// A storage failure: the pool could not hand out a connection, or a query failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No connection could be checked out (database down or pool exhausted).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A query failed.
    #[error("query failed: {0}")]
    Query(#[from] diesel::result::Error),
}

impl From<bb8::RunError<PoolError>> for DbError {
    fn from(e: bb8::RunError<PoolError>) -> Self {
        DbError::Unavailable(e.to_string())
    }
}

/// Builds the pool without connecting eagerly (start-up fails later, per request, if the
/// database is down, so the front can answer 5xx and Telegram redelivers).
///
/// A checkout skips connections already known to be closed (after an outage every idle one
/// is): a local check with no round trip, so a pinged query per update is not paid, yet the
/// first update after a recovery gets a live connection instead of a dead one.
pub fn build_pool(url: &str, size: u32) -> DbPool {
    builder(size, Some(1)).build_unchecked(manager(url, (Plans::Default, Commits::Durable), None))
}

/// [`build_pool`] for the work of one thread: a connection is opened by the thread that
/// first needs it (or by [`open_ahead`] run there), because its I/O is driven by the
/// thread that opened it. Connections are kept until they break (no idle timeout, no
/// lifetime): a reaper would run, and reopen connections, on the thread that built the
/// pool, and a connection reopened later would serve its first calls with cold caches.
pub fn build_thread_pool(url: &str, size: u32, plans: Plans, rehearsal: Option<Rehearsal>) -> DbPool {
    build_thread_pool_with(url, size, (plans, Commits::Durable), rehearsal)
}

/// [`build_thread_pool`] whose connections commit without waiting for the disk
/// ([`Commits::Lazy`]): for the writes a database crash may lose without harm, never money.
pub fn build_lazy_thread_pool(url: &str, size: u32) -> DbPool {
    build_thread_pool_with(url, size, (Plans::Default, Commits::Lazy), None)
}

fn build_thread_pool_with(url: &str, size: u32, setup: (Plans, Commits), rehearsal: Option<Rehearsal>) -> DbPool {
    builder(size, None).idle_timeout(None).max_lifetime(None).build_unchecked(manager(url, setup, rehearsal))
}

/// When a connection's commits return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commits {
    /// Once the commit is on disk (PostgreSQL's default): every write that matters.
    Durable,
    /// At once (`synchronous_commit = off`): the commit is visible and survives this process
    /// dying, but a crash of PostgreSQL itself (not a clean restart) may lose the last
    /// fraction of a second of such commits. A later durable commit makes every earlier one
    /// durable too (the log is written in order), so nothing that depends on them is kept
    /// without them. For a customer's touch and language choice only.
    Lazy,
}

/// What a new connection runs before it serves anyone, to prepare the statements of its
/// hot path (`handlers::paid::rehearsal` for the provider endpoints).
pub type Rehearsal =
    std::sync::Arc<dyn for<'a> Fn(&'a mut AsyncPgConnection) -> futures_util::future::BoxFuture<'a, ()> + Send + Sync>;

/// How a pool's connections plan their prepared statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plans {
    /// PostgreSQL's choice: a statement's first five runs are planned for their values, then
    /// a generic plan is kept if it looks no worse.
    Default,
    /// One generic plan per statement from its first run (`plan_cache_mode =
    /// force_generic_plan`): no planning on the next runs, and no plan chosen for a
    /// connection's first values. For the provider endpoints, whose statements are checked to
    /// find their rows through an index on a generic plan (`tests/it/query_plans.rs`).
    Generic,
}

/// Opens up to `n` connections of `pool` and gives them back: run on the thread that will
/// use the pool, before its first burst, so that burst does not wait for connections to be
/// opened and warmed. A connection that cannot be opened now is opened on first use.
pub async fn open_ahead(pool: DbPool, n: u32) {
    let opened = futures_util::future::join_all((0..n).map(|_| pool.get())).await;
    let failed = opened.iter().filter(|c| c.is_err()).count();
    if failed > 0 {
        tracing::debug!(failed, "connections not opened ahead; they open on first use");
    }
}

fn builder(size: u32, min_idle: Option<u32>) -> bb8::Builder<AsyncDieselConnectionManager<AsyncPgConnection>> {
    Pool::builder()
        .max_size(size)
        .min_idle(min_idle)
        .connection_timeout(std::time::Duration::from_secs(3))
        .test_on_check_out(true)
}

fn manager(
    url: &str,
    setup: (Plans, Commits),
    rehearsal: Option<Rehearsal>,
) -> AsyncDieselConnectionManager<AsyncPgConnection> {
    let mut config = ManagerConfig::default();
    config.recycling_method = RecyclingMethod::CustomFunction(Box::new(|conn| Box::pin(refuse_if_closed(conn))));
    config.custom_setup = Box::new(move |url| Box::pin(establish_warm(url.to_owned(), setup, rehearsal.clone())));
    AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(url, config)
}

/// Reads nothing from the tables the payment and update paths touch on every call: planning
/// it loads their catalog entries into a new backend.
const WARM_UP: &str = "SELECT FROM user_admins WHERE false; SELECT FROM user_bots WHERE false;
    SELECT FROM end_users WHERE false; SELECT FROM channels WHERE false; SELECT FROM orders WHERE false;
    SELECT FROM provider_transactions WHERE false; SELECT FROM payments WHERE false;
    SELECT FROM subscriptions WHERE false; SELECT FROM deliveries WHERE false;
    SELECT FROM payment_accounts WHERE false; SELECT FROM outbox WHERE false;
    SELECT FROM star_subscriptions WHERE false;";

/// Opens a connection and has its PostgreSQL backend load the hot tables' catalog entries
/// (relations, columns, indexes) in one round trip, so the first calls it serves do not pay
/// for them: on a fresh backend that is several milliseconds of CPU, paid by every
/// connection a pool opens, all at once when a burst grows the pool. A failed warm-up leaves
/// a usable connection (the entries then load on first use).
async fn establish_warm(
    url: String,
    (plans, commits): (Plans, Commits),
    rehearsal: Option<Rehearsal>,
) -> diesel::ConnectionResult<AsyncPgConnection> {
    use diesel_async::{AsyncConnection as _, SimpleAsyncConnection as _};
    let mut conn = AsyncPgConnection::establish(&url).await?;
    let mut warm_up = WARM_UP.to_owned();
    if plans == Plans::Generic {
        warm_up.push_str(" SET plan_cache_mode = force_generic_plan;");
    }
    if commits == Commits::Lazy {
        warm_up.push_str(" SET synchronous_commit = off;");
    }
    if let Err(e) = conn.batch_execute(&warm_up).await {
        tracing::debug!(error = %e, "connection warm-up failed; tables load on first use");
    }
    if let Some(rehearse) = rehearsal {
        rehearse(&mut conn).await;
    }
    Ok(conn)
}

/// The checkout test: fails for a connection whose socket is closed or whose transaction
/// state is broken, without talking to the server.
async fn refuse_if_closed(conn: &mut AsyncPgConnection) -> diesel::QueryResult<()> {
    use diesel_async::pooled_connection::PoolableConnection;
    if conn.is_broken() {
        let why = "connection closed while idle".to_owned();
        return Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ClosedConnection,
            Box::new(why),
        ));
    }
    Ok(())
}

/// Migration failures.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// Could not connect.
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Run(String),
}

/// Applies pending migrations (a no-op when the schema is current) and returns their names.
///
/// Blocking: call it before the actix System starts, or through `spawn_blocking`.
pub fn run_migrations_blocking(url: &str) -> Result<Vec<String>, MigrationError> {
    use diesel::Connection;
    use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
    use diesel_migrations::MigrationHarness;

    let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(url)
        .map_err(|e| MigrationError::Connect(e.to_string()))?;
    let applied = conn.run_pending_migrations(MIGRATIONS).map_err(|e| MigrationError::Run(e.to_string()))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Applies migrations from async code without blocking the runtime thread.
pub async fn run_migrations(url: &str) -> Result<Vec<String>, MigrationError> {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || run_migrations_blocking(&url))
        .await
        .map_err(|e| MigrationError::Run(e.to_string()))?
}
