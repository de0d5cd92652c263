//! Each thread's PostgreSQL pool is opened ahead, at start, by the thread that uses it: the
//! first burst after a start does not wait for connections to be opened.

use std::time::{Duration, Instant};

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::support::spawn_app;

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    count: i64,
}

#[actix_web::test]
async fn every_threads_connections_are_open_before_the_first_request() {
    let app = spawn_app().await;
    // The tests' servers: 2 HTTP workers and 2 bot threads, 6 connections split 3 a thread.
    let (threads, share) = (4, 3);
    let mut conn = AsyncPgConnection::establish(&app.env.db.url).await.unwrap();
    let query =
        "SELECT count(*) AS count FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
    let started = Instant::now();
    let mut open = 0;
    while open < threads * share {
        assert!(started.elapsed() < Duration::from_secs(10), "only {open} connections opened ahead");
        tokio::time::sleep(Duration::from_millis(20)).await;
        open = diesel::sql_query(query).get_result::<Count>(&mut conn).await.unwrap().count;
    }
    // The shared pool (courier, scheduler) keeps one more open; nothing opens past the sizes.
    assert!(open <= threads * share + 6, "{open} connections for pools of {} in all", threads * share + 6);
}
