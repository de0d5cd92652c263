//! The real `getolog serve` through store outages: Redis or PostgreSQL goes away (every
//! connection cut, new ones refused) and comes back. While a store is away nothing is
//! acknowledged and `/readyz` says so within a second; once it is back, service and
//! readiness return within two seconds, with nothing lost and nothing done twice.

use std::time::{Duration, Instant};

use crate::support::{proxy::CuttableProxy, serve::Serve, TestEnv};
use diesel::QueryDsl;
use diesel_async::RunQueryDsl;
use getolog::db::schema::user_admins;

const LANGUAGE_PROMPT: &str = "🌐 Tilni tanlang · Choose your language · Выберите язык";

async fn owners(env: &TestEnv) -> i64 {
    let mut conn =
        <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&env.db.url).await.unwrap();
    user_admins::table.count().get_result(&mut conn).await.unwrap()
}

/// Asks `/readyz` `times` times while a store is away: every answer is a 503 within 1 s.
async fn never_ready_and_always_quick(serve: &Serve, times: usize) {
    for _ in 0..times {
        let (status, took) = serve.readyz().await;
        assert_eq!(status, 503, "/readyz said {status} while a store was unreachable");
        assert!(took < Duration::from_secs(1), "/readyz took {took:?} during the outage");
    }
}

#[actix_web::test]
async fn after_a_redis_restart_updates_and_readiness_return_within_two_seconds() {
    let mut env = TestEnv::new().await;
    let redis = url::Url::parse(&env.vars["REDIS_URL"]).unwrap();
    let proxy = CuttableProxy::start(&format!("127.0.0.1:{}", redis.port().unwrap_or(6379))).await;
    let port = env.release_port();
    let serve = Serve::start(&env, port, &[("REDIS_URL", format!("redis://127.0.0.1:{}", proxy.port))]).await;
    let bot = env.main_bot.id;
    // Several users at once, so the pool holds several connections when Redis goes away.
    let users: Vec<_> = (0..6).map(|i| env.sim.user(7_410_000_001 + i, "Before", None)).collect();
    let sends = users.iter().map(|u| env.sim.send_text(bot, u, "/start"));
    for sent in futures_util::future::join_all(sends).await {
        assert_eq!(sent.unwrap().status, 200);
    }

    proxy.cut().await;
    let customer = env.sim.user(7_410_000_100, "During", None);
    let refused = env.sim.send_text(bot, &customer, "/start").await.unwrap();
    assert!(refused.status >= 500, "acknowledged while Redis was away: {}", refused.status);
    never_ready_and_always_quick(&serve, 5).await;

    proxy.restore();
    let back = Instant::now();
    let ready = serve.ready_within(Duration::from_secs(2)).await;
    assert!(ready.is_some(), "/readyz not ready within 2 s of Redis being back");
    let mut handled = None;
    while back.elapsed() < Duration::from_secs(2) {
        if env.sim.redeliver(bot, refused.update_id).await.unwrap().status == 200 {
            handled = Some(back.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(handled.is_some(), "the redelivery was not handled within 2 s of Redis being back");
    assert_eq!(env.sim.last_message(bot, customer.id).unwrap().text.as_deref(), Some(LANGUAGE_PROMPT));
    // Every later update works, on however many connections it takes.
    for (i, user) in users.iter().enumerate() {
        let again = env.sim.send_text(bot, user, "/menu").await.unwrap();
        assert_eq!(again.status, 200, "update {i} after the restart failed");
    }
    let prompts = env.sim.messages_in(bot, customer.id).into_iter().filter(|m| m.from_bot).count();
    assert_eq!(prompts, 1, "the customer was answered more than once");
}

#[actix_web::test]
async fn during_a_postgres_outage_readyz_answers_503_within_a_second_and_recovers() {
    let mut env = TestEnv::new().await;
    let db = url::Url::parse(&env.db.url).unwrap();
    let proxy = CuttableProxy::start(&format!("127.0.0.1:{}", db.port().unwrap_or(5432))).await;
    let mut via_proxy = db.clone();
    via_proxy.set_port(Some(proxy.port)).unwrap();
    let port = env.release_port();
    let serve = Serve::start(&env, port, &[("DATABASE_URL", via_proxy.to_string())]).await;
    let bot = env.main_bot.id;
    let owner = env.sim.user(7_410_000_200, "Nodira", None);
    assert_eq!(env.sim.send_text(bot, &owner, "/start").await.unwrap().status, 200);
    let prompt = env.sim.last_message(bot, owner.id).unwrap();

    proxy.cut().await;
    let press = env.sim.press_button(bot, &owner, prompt.message_id, "lang:en").await.unwrap();
    assert!(press.status >= 500, "acknowledged while PostgreSQL was away: {}", press.status);
    never_ready_and_always_quick(&serve, 10).await;
    assert_eq!(owners(&env).await, 0, "something was written while the update failed");

    proxy.restore();
    assert!(serve.ready_within(Duration::from_secs(2)).await.is_some(), "not ready within 2 s of PostgreSQL");
    assert_eq!(env.sim.redeliver(bot, press.update_id).await.unwrap().status, 200);
    assert_eq!(env.sim.redeliver(bot, press.update_id).await.unwrap().status, 200);
    assert_eq!(owners(&env).await, 1, "lost or doubled");
    assert!(env.sim.last_message(bot, owner.id).unwrap().text.unwrap().starts_with("👋 Welcome to Getolog, Nodira!"));
}
