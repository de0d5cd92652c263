//! Per-test PostgreSQL databases (see `getolog::db::scratch`).

pub use getolog::db::scratch::{random_name as random_suffix, ScratchDatabase as TestDb};

/// The server tests use (overridable with `TEST_DATABASE_SERVER`).
pub fn server_url() -> String {
    std::env::var("TEST_DATABASE_SERVER").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A fresh, migrated, empty database for one test.
pub async fn create() -> TestDb {
    TestDb::create(&server_url(), "getolog_test").await.expect("test database")
}
