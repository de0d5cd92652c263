//! With the simulator enforcing Telegram's flood limits (30 messages/s per bot, 1/s per
//! chat, 20/min per group), Getolog keeps to them without holding updates: receipts for an
//! owner are answered at once to the customers and go to the owner by the courier, through
//! the main bot's throttle, none refused.

use std::time::Duration;

use crate::support::{shop::Shop, spawn_app, TestApp};
use getolog::simulator::SimUser;

async fn at_receipt_step(app: &TestApp, shop: &Shop, customer: &SimUser) {
    app.start_and_choose(shop.bot, customer, "en").await;
    app.press(shop.bot, customer, &format!("buy:{}", shop.channel)).await;
    app.press(shop.bot, customer, &format!("pay:{}:card", shop.channel)).await;
}

#[actix_web::test]
async fn receipts_sent_at_the_same_moment_reach_the_owner_within_telegrams_limits() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_012_001, "flood_shop_bot").await;
    let customers: Vec<SimUser> = (0..3).map(|i| app.user(7_100_012_001 + i, "Buyer")).collect();
    for customer in &customers {
        at_receipt_step(&app, &shop, customer).await;
    }
    app.sim().clear_calls();
    app.sim().set_flood_limits(true);
    let started = std::time::Instant::now();
    let receipts = customers.iter().map(|c| app.sim().send_photo(shop.bot, c, None));
    for delivery in futures_util::future::join_all(receipts).await {
        assert_eq!(delivery.unwrap().status, 200);
    }
    let answered = started.elapsed();
    assert!(answered < Duration::from_millis(900), "the updates waited for the owner's chat: {answered:?}");
    // Answered without waiting for the owner's chat: the copies go by the courier.
    let main = app.main_id();
    let all_sent = app.sim().wait_for(Duration::from_secs(10), |s| s.calls_to(main, "sendPhoto").len() >= 3).await;
    assert!(all_sent, "the owner did not get every copy");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let copies = app.sim().calls_to(main, "sendPhoto");
    let refused = copies.iter().filter(|c| !c.response_ok).count();
    assert_eq!(refused, 0, "Telegram refused {refused} forwards to the owner (429): the throttle was skipped");
    assert_eq!(copies.len(), 3, "each receipt reaches the owner once");
    let mut at: Vec<_> = copies.iter().map(|c| c.at).collect();
    at.sort();
    for pair in at.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(800), "two copies to one chat within a second");
    }
}
