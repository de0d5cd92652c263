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
    // The tests' servers: 2 HTTP workers and 2 bot threads, 6 connections split 3 a thread,
    // and each bot thread's 4 lazy ones.
    let (threads, share, lazy) = (4, 3, 2 * 4);
    let mut conn = AsyncPgConnection::establish(&app.env.db.url).await.unwrap();
    let query =
        "SELECT count(*) AS count FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
    let started = Instant::now();
    let mut open = 0;
    while open < threads * share + lazy {
        assert!(started.elapsed() < Duration::from_secs(10), "only {open} connections opened ahead");
        tokio::time::sleep(Duration::from_millis(20)).await;
        open = diesel::sql_query(query).get_result::<Count>(&mut conn).await.unwrap().count;
    }
    // The shared pool (courier, scheduler) keeps one more open, the lease holder one of its
    // own; nothing opens past the sizes.
    let most = threads * share + lazy + 6 + 1;
    assert!(open <= most, "{open} connections for pools of {most} in all");
}

#[derive(diesel::QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    synchronous_commit: String,
}

#[actix_web::test]
async fn only_the_lazy_pools_commit_without_waiting_for_the_disk() {
    let app = spawn_app().await;
    let url = &app.env.db.url;
    let show = "SHOW synchronous_commit";
    let lazy = getolog::db::build_lazy_thread_pool(url, 1);
    let setting: Setting = diesel::sql_query(show).get_result(&mut *lazy.get().await.unwrap()).await.unwrap();
    assert_eq!(setting.synchronous_commit, "off");
    let plans = [getolog::db::Plans::Default, getolog::db::Plans::Generic];
    for plans in plans {
        let pool = getolog::db::build_thread_pool(url, 1, plans, None);
        let setting: Setting = diesel::sql_query(show).get_result(&mut *pool.get().await.unwrap()).await.unwrap();
        assert_eq!(setting.synchronous_commit, "on", "{plans:?}");
    }
    // The shared pool (money: reviews, removals, the courier) and the provider endpoints'
    // pools are durable.
    let shared: Setting = diesel::sql_query(show).get_result(&mut *app.state.db.get().await.unwrap()).await.unwrap();
    assert_eq!(shared.synchronous_commit, "on");
    let worker = app.state.for_one_of(2, getolog::db::Plans::Generic);
    let lazy_of_worker: Setting =
        diesel::sql_query(show).get_result(&mut *worker.db_lazy.get().await.unwrap()).await.unwrap();
    assert_eq!(lazy_of_worker.synchronous_commit, "on", "the provider endpoints keep no lazy pool");
    let bot_thread = app.state.for_one_of(2, getolog::db::Plans::Default);
    let lazy_of_bots: Setting =
        diesel::sql_query(show).get_result(&mut *bot_thread.db_lazy.get().await.unwrap()).await.unwrap();
    assert_eq!(lazy_of_bots.synchronous_commit, "off");
    let durable_of_bots: Setting =
        diesel::sql_query(show).get_result(&mut *bot_thread.db.get().await.unwrap()).await.unwrap();
    assert_eq!(durable_of_bots.synchronous_commit, "on");
}
