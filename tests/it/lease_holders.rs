//! Leases name their holder: a process that dies (`kill -9`) gives back what it leased at
//! once, so its owner notices and moderator alerts go out seconds after the restart, not when
//! the minute-long lease lapses. A live holder's leases stay its own.

use std::time::Duration;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use getolog::{
    db::{
        deliveries,
        lease_holder::{self, NAMESPACE},
        outbox,
    },
    events::PlatformEvent,
    handlers::Effect,
    simulator::{Fault, FaultRule},
};

use crate::support::{serve::Serve, spawn_app, test_epoch, TestApp, TestEnv};

const MINUTE: chrono::Duration = chrono::Duration::seconds(60);

/// A connection holding holder `key`'s lock, as a running process does.
async fn holder(url: &str, key: i32) -> AsyncPgConnection {
    let mut conn = AsyncPgConnection::establish(url).await.unwrap();
    diesel::sql_query(format!("SELECT pg_advisory_lock({NAMESPACE}, {key})")).execute(&mut conn).await.unwrap();
    conn
}

#[actix_web::test]
async fn a_dead_holders_leases_are_free_at_once_and_a_live_holders_stay_taken() {
    let env = TestEnv::new().await;
    let url = env.db.url.clone();
    let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
    let now = test_epoch();
    let effect = Effect::Notify { chat_id: 5, text: "hello".into(), keyboard: None };
    deliveries::enqueue(&conn, "lease:1", (1, 5), &effect, now).await.unwrap();
    let event = PlatformEvent::OwnerRegistered { telegram_id: 5, name: "Owner".into() };
    outbox::enqueue(&mut conn, &event, now).await.unwrap();

    let first = holder(&url, 41).await;
    assert_eq!(deliveries::lease_due(&mut conn, now, (MINUTE, 41), 10).await.unwrap().len(), 1);
    assert_eq!(outbox::claim_due(&mut conn, now, (MINUTE, 41), 10).await.unwrap().len(), 1);
    // Its holder alive, another process takes nothing within the lease...
    let _second = holder(&url, 42).await;
    assert!(deliveries::lease_due(&mut conn, now, (MINUTE, 42), 10).await.unwrap().is_empty());
    assert!(outbox::claim_due(&mut conn, now, (MINUTE, 42), 10).await.unwrap().is_empty());

    // ...and everything as soon as the holder's connection closes, at the same instant.
    drop(first);
    let mut taken = (0, 0);
    for _ in 0..100 {
        taken.0 += deliveries::lease_due(&mut conn, now, (MINUTE, 42), 10).await.unwrap().len();
        taken.1 += outbox::claim_due(&mut conn, now, (MINUTE, 42), 10).await.unwrap().len();
        if taken == (1, 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(taken, (1, 1), "the dead holder's leases were not given back");
    // Taken by the live holder now: nobody else gets them.
    let _third = holder(&url, 43).await;
    assert!(deliveries::lease_due(&mut conn, now, (MINUTE, 43), 10).await.unwrap().is_empty());
    assert!(outbox::claim_due(&mut conn, now, (MINUTE, 43), 10).await.unwrap().is_empty());
}

#[actix_web::test]
async fn a_link_hold_left_by_a_dead_holder_is_taken_over_at_once_and_a_live_ones_is_not() {
    let app = spawn_app().await;
    let (url, cache) = (app.env.db.url.clone(), &app.state.cache);
    let hold = Duration::from_secs(60);
    let first = holder(&url, 51).await;
    let taken = cache.try_lock_as("invite:7", hold, Some(51)).await.unwrap();
    assert!(taken.is_ok(), "a free hold is taken");
    // Held by a live holder: another process sees who holds it, and that it is alive.
    let (seen, theirs) = cache.try_lock_as("invite:7", hold, Some(52)).await.unwrap().unwrap_err();
    assert_eq!(theirs, Some(51));
    let mut conn = AsyncPgConnection::establish(&url).await.unwrap();
    assert!(lease_holder::is_held(&mut conn, 51).await.unwrap());
    // Through the service, a live holder's hold stays its own.
    let service = getolog::services::access::hold(&app.state, 7).await;
    assert!(matches!(service, Err(getolog::services::access::AccessError::InProgress)), "{service:?}");

    // The holder's process dies: its hold is taken over at once, not after the minute.
    drop(first);
    let mut gone = false;
    for _ in 0..100 {
        if !lease_holder::is_held(&mut conn, 51).await.unwrap() {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(gone, "the holder's lock outlived its connection");
    assert!(cache.take_over_lock("invite:7", "someone else's token", hold, Some(52)).await.unwrap().is_none());
    let over = cache.take_over_lock("invite:7", &seen, hold, Some(52)).await.unwrap();
    assert!(over.is_some(), "the dead holder's hold was not taken over");
    let again = cache.take_over_lock("invite:7", &seen, hold, Some(53)).await.unwrap();
    assert!(again.is_none(), "a hold is taken over once");
}

#[actix_web::test]
async fn the_link_service_takes_over_a_dead_holders_hold() {
    let app = spawn_app().await;
    let url = app.env.db.url.clone();
    let first = holder(&url, 61).await;
    let left = app.state.cache.try_lock_as("invite:8", Duration::from_secs(60), Some(61)).await.unwrap();
    assert!(left.is_ok());
    drop(first);
    let mut held = None;
    for _ in 0..100 {
        match getolog::services::access::hold(&app.state, 8).await {
            Ok(lock) => {
                held = Some(lock);
                break;
            }
            Err(getolog::services::access::AccessError::InProgress) => {
                tokio::time::sleep(Duration::from_millis(20)).await
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert!(held.is_some(), "the delivery waited for a dead process's hold to lapse");
}

#[actix_web::test]
async fn kill_9_while_the_courier_sends_an_owner_copy_delays_it_by_seconds_not_a_minute() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_017_001, "lease_shop_bot").await;
    let customer = app.user(7_100_017_001, "Aziza");
    app.start_and_choose(shop.bot, &customer, "en").await;
    app.press(shop.bot, &customer, &format!("buy:{}", shop.channel)).await;
    app.press(shop.bot, &customer, &format!("pay:{}:card", shop.channel)).await;
    let (main, owner) = (app.main_id(), shop.owner.id);
    let mut env = app.stop().await;
    let port = env.release_port();
    let mut serve = Serve::start(&env, port, &[]).await;

    // Telegram is slow to take the owner's copy: the courier holds its lease, waiting.
    let slow = FaultRule {
        bot_id: Some(main),
        method: Some("sendPhoto".into()),
        times: 1,
        fault: Fault::Latency(Duration::from_secs(30)),
    };
    env.sim.inject_fault(slow);
    assert_eq!(env.sim.send_photo(shop.bot, &customer, None).await.unwrap().status, 200);
    let sending = env.sim.wait_for(Duration::from_secs(10), |s| s.calls_received(main, "sendPhoto") == 1).await;
    assert!(sending, "the courier never sent the owner's copy");
    serve.kill();

    let _serve = Serve::start(&env, port, &[]).await;
    let copy_sent = |s: &getolog::simulator::Simulator| {
        s.calls_to(main, "sendPhoto").iter().filter(|c| c.response_ok && c.params["chat_id"] == owner).count()
    };
    let sent = env.sim.wait_for(Duration::from_secs(10), |s| copy_sent(s) >= 1).await;
    assert!(sent, "the owner's copy waited for the dead process's lease to lapse");
    let mut conn = AsyncPgConnection::establish(&env.db.url).await.unwrap();
    assert_eq!(deliveries::pending(&mut conn).await.unwrap(), 0);
}

#[actix_web::test]
async fn after_a_postgres_outage_the_holder_takes_its_lock_again_and_the_courier_delivers() {
    let mut env = TestEnv::new().await;
    let proxy = env.postgres_through_proxy().await;
    let app = env.start().await;
    let held = |app: &TestApp| app.state.leases.key().is_some();
    assert!(app.sim().wait_for(Duration::from_secs(3), |_| held(&app)).await, "the lock was never taken");

    proxy.cut().await;
    let lost = app.sim().wait_for(Duration::from_secs(3), |_| !held(&app)).await;
    assert!(lost, "the holder did not notice its connection was gone");
    proxy.restore();
    let again = app.sim().wait_for(Duration::from_secs(3), |_| held(&app)).await;
    assert!(again, "the holder did not take its lock again after the outage");

    // The courier leases again: a customer's receipt reaches the owner.
    let shop = app.ready_shop(7_000_017_002, "lease_outage_bot").await;
    let customer = app.user(7_100_017_002, "Aziza");
    app.start_and_choose(shop.bot, &customer, "en").await;
    app.press(shop.bot, &customer, &format!("buy:{}", shop.channel)).await;
    app.press(shop.bot, &customer, &format!("pay:{}:card", shop.channel)).await;
    assert_eq!(app.sim().send_photo(shop.bot, &customer, None).await.unwrap().status, 200);
    let main = app.main_id();
    let copied = app
        .sim()
        .wait_for(Duration::from_secs(5), |s| s.calls_to(main, "sendPhoto").iter().any(|c| c.response_ok))
        .await;
    assert!(copied, "the courier leased nothing after the outage");
}
