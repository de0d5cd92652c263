//! Throw-away databases for the test suite and `getolog demo`: cloned from a migrated
//! template (named after a hash of `migrations/`, created once under an advisory lock, as
//! several test processes may ask at once) and dropped when the value is dropped.

use diesel::{sql_query, Connection, RunQueryDsl};
use diesel_async::{async_connection_wrapper::AsyncConnectionWrapper, AsyncPgConnection};

type SyncConn = AsyncConnectionWrapper<AsyncPgConnection>;

const TEMPLATE_LOCK: i64 = 727_274;

/// A database that lives as long as this value.
pub struct ScratchDatabase {
    /// Its URL.
    pub url: String,
    server: String,
    name: String,
}

/// Why a scratch database could not be made.
#[derive(Debug, thiserror::Error)]
#[error("scratch database on {server}: {problem}")]
pub struct ScratchError {
    server: String,
    problem: String,
}

impl ScratchDatabase {
    /// A fresh, migrated, empty database on `server` (a URL without database name,
    /// e.g. `postgres://postgres@127.0.0.1:5432`), named `<prefix>_<random>`.
    pub async fn create(server: &str, prefix: &str) -> Result<Self, ScratchError> {
        let (server, prefix) = (server.trim_end_matches('/').to_owned(), prefix.to_owned());
        let fail = {
            let server = server.clone();
            move |problem: String| ScratchError { server: server.clone(), problem }
        };
        let fail2 = fail.clone();
        tokio::task::spawn_blocking(move || create_blocking(&server, &prefix).map_err(fail))
            .await
            .map_err(|e| fail2(e.to_string()))?
    }
}

fn create_blocking(server: &str, prefix: &str) -> Result<ScratchDatabase, String> {
    let template = format!("getolog_tpl_{}", env!("GETOLOG_MIGRATIONS_HASH"));
    let mut admin = SyncConn::establish(&format!("{server}/postgres")).map_err(|e| e.to_string())?;
    let run = |conn: &mut SyncConn, sql: String| sql_query(sql).execute(conn).map_err(|e| e.to_string());
    run(&mut admin, format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"))?;
    let made = (|| {
        if run(&mut admin, format!("SELECT 1 FROM pg_database WHERE datname = '{template}'"))? == 0 {
            run(&mut admin, format!("CREATE DATABASE {template}"))?;
            if let Err(e) = super::run_migrations_blocking(&format!("{server}/{template}")) {
                let _ = run(&mut admin, format!("DROP DATABASE {template}"));
                return Err(e.to_string());
            }
        }
        Ok(())
    })();
    run(&mut admin, format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"))?;
    made?;
    let name = format!("{prefix}_{}", random_name());
    run(&mut admin, format!("CREATE DATABASE {name} TEMPLATE {template}"))?;
    Ok(ScratchDatabase { url: format!("{server}/{name}"), server: server.to_owned(), name })
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let (server, name) = (self.server.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            if let Ok(mut admin) = SyncConn::establish(&format!("{server}/postgres")) {
                let _ = sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
            }
        })
        .join();
    }
}

/// 12 random lowercase letters and digits.
pub fn random_name() -> String {
    use rand::Rng;
    rand::rng().sample_iter(rand::distr::Alphanumeric).take(12).map(|c| (c as char).to_ascii_lowercase()).collect()
}
