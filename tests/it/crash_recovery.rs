//! Claims on updates are leases of a live process: a crash does not stall the chats it was
//! serving, and a slow handler is never taken over while its process lives.

use std::time::{Duration, Instant};

use crate::support::{serve::Serve, spawn_app, TestEnv};
use getolog::{
    cache::dedupe::Claim,
    simulator::{Fault, FaultRule},
};

const LANGUAGE_PROMPT: &str = "🌐 Tilni tanlang · Choose your language · Выберите язык";

fn slow_send(bot: i64, by: Duration) -> FaultRule {
    FaultRule { bot_id: Some(bot), method: Some("sendMessage".into()), times: 1, fault: Fault::Latency(by) }
}

/// Waits until the process reports an update in flight.
async fn until_in_flight(serve: &Serve) {
    let metrics = format!("{}/metrics", serve.address);
    for _ in 0..300 {
        let text = reqwest::get(&metrics).await.unwrap().text().await.unwrap();
        if text.lines().any(|l| l.starts_with("getolog_updates_in_flight ") && !l.ends_with(" 0")) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the update never got in flight");
}

#[actix_web::test]
async fn a_redelivery_after_kill_9_mid_update_is_handled_within_two_seconds_of_the_restart() {
    let mut env = TestEnv::new().await;
    let port = env.release_port();
    let mut serve = Serve::start(&env, port, &[]).await;
    let bot = env.main_bot.id;
    env.sim.inject_fault(slow_send(bot, Duration::from_secs(5)));
    let user = env.sim.user(7_420_000_001, "Jasur", None);
    let sim = env.sim.clone();
    let pending = actix_web::rt::spawn({
        let user = user.clone();
        async move { sim.send_text(bot, &user, "/start").await.unwrap() }
    });
    until_in_flight(&serve).await;
    serve.kill(); // the claim's holder is gone mid-update
    let cut = pending.await.unwrap();
    assert_ne!(cut.status, 200, "an update cut off by kill -9 was acknowledged");

    tokio::time::sleep(Duration::from_millis(500)).await;
    let serve = Serve::start(&env, port, &[]).await;
    let up = Instant::now();
    let mut answered = None;
    while up.elapsed() < Duration::from_secs(2) {
        let again = env.sim.redeliver(bot, cut.update_id).await.unwrap();
        if again.status == 200 {
            answered = Some(up.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(answered.is_some(), "the redelivery was still refused 2 s after the restart");
    assert_eq!(env.sim.last_message(bot, user.id).unwrap().text.as_deref(), Some(LANGUAGE_PROMPT));
    drop(serve);
}

#[actix_web::test]
async fn a_handler_slower_than_the_lease_is_not_taken_over_and_runs_once() {
    let app = spawn_app().await;
    let bot = app.env.main_bot.id;
    let lease = getolog::cache::lease::CLAIM_LEASE;
    app.sim().inject_fault(slow_send(bot, lease * 2));
    let user = app.user(7_420_000_002, "Lola");
    let sim = app.sim().clone();
    let started = Instant::now();
    let slow = actix_web::rt::spawn({
        let user = user.clone();
        async move { sim.send_text(bot, &user, "/start").await.unwrap() }
    });
    while app.state.cache.held_claims().is_empty() && started.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let update_id = app.sim().last_update(bot).unwrap()["update_id"].as_i64().unwrap();
    // Well past the lease: the claim is alive only because its process renews it.
    tokio::time::sleep(lease + lease / 2).await;
    // What another node would do with a redelivery of it (here a delivery would wait in the
    // chat's lane instead).
    let other_node = app.state.cache.claim_update(bot, update_id as u32, "other-node").await.unwrap();
    assert_eq!(other_node, Claim::InProgress, "a live handler's update was taken over");
    assert_eq!(slow.await.unwrap().status, 200);
    assert_eq!(app.sim().redeliver(bot, update_id).await.unwrap().status, 200);
    assert_eq!(app.sim().calls_to(bot, "sendMessage").len(), 1, "the update was handled twice");
    assert!(app.state.cache.held_claims().is_empty(), "a finished update's claim is still renewed");
}
