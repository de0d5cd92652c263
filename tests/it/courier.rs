//! The courier: what an update queues for an owner is delivered outside the update, once,
//! and a refusal from Telegram is retried when Telegram says, not by redelivering the update.

use std::time::Duration;

use crate::support::{shop::Shop, spawn_app, TestApp};
use diesel::QueryDsl;
use diesel_async::RunQueryDsl;
use getolog::{
    db::{deliveries, schema::payments},
    simulator::{Fault, FaultRule, SimUser},
};

async fn at_receipt_step(app: &TestApp, shop: &Shop, customer: &SimUser) {
    app.start_and_choose(shop.bot, customer, "en").await;
    app.press(shop.bot, customer, &format!("buy:{}", shop.channel)).await;
    app.press(shop.bot, customer, &format!("pay:{}:card", shop.channel)).await;
}

fn delivered(app: &TestApp) -> usize {
    app.sim().calls_to(app.main_id(), "sendPhoto").into_iter().filter(|c| c.response_ok).count()
}

#[actix_web::test]
async fn an_owner_copy_refused_with_429_is_retried_when_telegram_says_and_sent_once() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_013_001, "courier_shop_bot").await;
    let customer = app.user(7_100_013_001, "Aziza");
    at_receipt_step(&app, &shop, &customer).await;
    let refuse = FaultRule {
        bot_id: Some(app.main_id()),
        method: Some("sendPhoto".into()),
        times: 1,
        fault: Fault::TooManyRequests { retry_after: 6 },
    };
    app.sim().inject_fault(refuse);

    let receipt = app.sim().send_photo(shop.bot, &customer, None).await.unwrap();
    assert_eq!(receipt.status, 200, "the customer's update does not wait for the owner's chat");
    let refused =
        app.sim().wait_for(Duration::from_secs(5), |s| !s.calls_to(app.main_id(), "sendPhoto").is_empty()).await;
    assert!(refused, "the courier never tried");
    assert_eq!(delivered(&app), 0);
    assert_eq!(deliveries::pending(&mut app.db().await).await.unwrap(), 1, "kept for later");

    // Not before Telegram's 6 s (the courier polls on its own meanwhile)...
    app.clock.advance(chrono::Duration::seconds(3));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(delivered(&app), 0, "retried before retry_after");
    // ...and once after it.
    // (teloxide's throttle also holds the owner's chat for the real 6 s Telegram asked for)
    app.clock.advance(chrono::Duration::seconds(4));
    let sent = app.sim().wait_for(Duration::from_secs(10), |_| delivered(&app) == 1).await;
    assert!(sent, "the copy was not retried after retry_after");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(delivered(&app), 1, "sent more than once");
    assert_eq!(deliveries::pending(&mut app.db().await).await.unwrap(), 0);
    // The customer's receipt sent again (Telegram's redelivery) is not attached twice.
    assert_eq!(app.sim().redeliver(shop.bot, receipt.update_id).await.unwrap().status, 200);
    let attached: Vec<i32> = payments::table.select(payments::receipts).load(&mut app.db().await).await.unwrap();
    assert_eq!(attached, vec![1], "the receipt was attached twice");
    tokio::time::sleep(Duration::from_millis(600)).await; // a courier round, for a wrong second copy
    assert_eq!(delivered(&app), 1, "the owner got a second copy");
}
