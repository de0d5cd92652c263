//! A redelivered update continues where its first attempt stopped: what was already done
//! (a message sent, a receipt recorded) is not done again.

use std::time::{Duration, Instant};

use crate::support::{shop::Shop, spawn_app, TestApp};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    db::schema::payments,
    simulator::{Fault, FaultRule},
};

async fn customer_at_receipt_step(app: &TestApp, shop: &Shop, customer: &getolog::simulator::SimUser) {
    app.start_and_choose(shop.bot, customer, "en").await;
    app.press(shop.bot, customer, &format!("buy:{}", shop.channel)).await;
    app.press(shop.bot, customer, &format!("pay:{}:card", shop.channel)).await;
}

fn receipts_received(app: &TestApp, shop: &Shop, customer: i64) -> usize {
    let texts = app.sim().messages_in(shop.bot, customer).into_iter().filter(|m| m.from_bot).filter_map(|m| m.text);
    texts.filter(|t| t.starts_with("🧾 Receipt received")).count()
}

fn seller_send(shop: &Shop, fault: Fault) -> FaultRule {
    FaultRule { bot_id: Some(shop.bot), method: Some("sendMessage".into()), times: 1, fault }
}

async fn owner_copies(app: &TestApp, count: usize) -> usize {
    let main = app.main_id();
    app.sim().wait_for(Duration::from_secs(5), |s| s.calls_to(main, "sendPhoto").len() >= count).await;
    tokio::time::sleep(Duration::from_millis(300)).await; // time for a wrong extra copy to show
    app.sim().calls_to(main, "sendPhoto").into_iter().filter(|c| c.response_ok).count()
}

#[actix_web::test]
async fn a_receipt_whose_reply_hit_a_429_is_continued_not_handled_again() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_011_001, "journal_shop_bot").await;
    let customer = app.user(7_100_011_001, "Aziza");
    customer_at_receipt_step(&app, &shop, &customer).await;

    // The receipt is recorded, then the reply to the customer is refused for 30 s.
    app.sim().inject_fault(seller_send(&shop, Fault::TooManyRequests { retry_after: 30 }));
    let receipt = app.sim().send_photo(shop.bot, &customer, None).await.unwrap();
    assert!(receipt.status >= 500, "the customer was not answered: it must be redelivered");
    assert_eq!(receipts_received(&app, &shop, customer.id), 0);

    let again = app.sim().redeliver(shop.bot, receipt.update_id).await.unwrap();
    assert_eq!(again.status, 200);
    assert_eq!(receipts_received(&app, &shop, customer.id), 1);
    assert_eq!(owner_copies(&app, 1).await, 1, "the owner gets exactly one copy");
    let attached: Vec<i32> = payments::table
        .filter(payments::channel_id.eq(shop.channel))
        .select(payments::receipts)
        .load(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(attached, vec![1], "the handler ran again: the receipt was attached twice");
    assert_eq!(app.sim().redeliver(shop.bot, receipt.update_id).await.unwrap().status, 200);
    assert_eq!(receipts_received(&app, &shop, customer.id), 1);
}

#[actix_web::test]
async fn a_plan_is_journaled_before_it_runs_so_a_crash_between_effects_cannot_repeat_the_first() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_011_002, "journal_crash_shop_bot").await;
    let customer = app.user(7_100_011_002, "Bobur");
    customer_at_receipt_step(&app, &shop, &customer).await;
    app.sim().inject_fault(seller_send(&shop, Fault::Latency(Duration::from_millis(1500))));
    let sim = app.sim().clone();
    let (bot, who) = (shop.bot, customer.clone());
    let sending = actix_web::rt::spawn(async move { sim.send_photo(bot, &who, None).await.unwrap() });

    // While the customer's reply is on its way, the whole plan is already in the journal.
    let started = Instant::now();
    while app.state.cache.held_claims().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(5), "the update never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let update_id = app.sim().last_update(shop.bot).unwrap()["update_id"].as_i64().unwrap() as u32;
    let journal = app.state.cache.read_journal(shop.bot, update_id).await.unwrap().expect("journaled ahead");
    assert_eq!((journal.next, journal.effects.len()), (0, 2), "{journal:?}");
    assert!(
        matches!(journal.effects[1], getolog::handlers::Effect::FollowUp { .. }),
        "the owner's copy goes by the courier"
    );

    assert_eq!(sending.await.unwrap().status, 200);
    assert!(app.state.cache.read_journal(shop.bot, update_id).await.unwrap().is_none(), "kept after done");
    assert_eq!(owner_copies(&app, 1).await, 1);
}
