//! A customer whose receipt did not seem to reach the owner (its copy was refused at
//! Telegram's limit) sends the same photo again: it is not attached a second time, the
//! customer is told it is already there, and the owner gets one copy once the limit passes.

use crate::support::{shop::count_messages, spawn_app};
use diesel::QueryDsl;
use diesel_async::RunQueryDsl;
use getolog::{
    db::schema::payments,
    simulator::{Fault, FaultRule},
};

#[actix_web::test]
async fn the_same_receipt_sent_again_is_attached_once_and_reaches_the_owner_once() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_018_001, "resent_receipt_shop_bot").await;
    let customer = app.user(7_100_018_001, "Aziza");
    let main = app.main_id();
    // The owner's chat is at Telegram's limit for a moment: the receipt's copy is refused.
    app.sim().inject_fault(FaultRule {
        bot_id: Some(main),
        method: Some("sendPhoto".into()),
        times: 1,
        fault: Fault::TooManyRequests { retry_after: 1 },
    });
    app.buy_and_send_receipt_after_start(&shop, &customer, "en").await;
    app.wait_for_customer_message(shop.bot, &customer, "Receipt received. Payment #").await;
    let refused = app.sim().wait_for(std::time::Duration::from_secs(10), |s| s.calls_received(main, "sendPhoto") > 0);
    assert!(refused.await, "the courier tried the owner's copy");

    // Nothing from the owner yet: the customer sends the very same photo again.
    let photo = app.sim().chat_log(shop.bot, customer.id).into_iter().rev().find_map(|m| m.photo).unwrap();
    assert_eq!(app.sim().send_same_photo(shop.bot, &customer, &photo).await.unwrap().status, 200);
    app.wait_for_customer_message(shop.bot, &customer, "We have this receipt already").await;
    let rows: Vec<(i32, i32)> =
        payments::table.select((payments::receipts, payments::revision)).load(&mut app.db().await).await.unwrap();
    assert_eq!(rows, [(1, 1)], "one payment, one receipt, the revision the owner's copy shows");

    app.clock.advance(chrono::Duration::seconds(2));
    let review = app.wait_for_owner_message(&shop.owner, "awaits your review").await;
    app.wait_for_courier().await;
    assert_eq!(count_messages(app.sim(), main, shop.owner.id, "awaits your review"), 1, "one copy for the owner");
    let id: i64 = payments::table.select(payments::id).first(&mut app.db().await).await.unwrap();
    assert!(review.buttons().concat().iter().any(|(_, d)| *d == format!("p:{id}:ok")), "{:?}", review.buttons());
    app.press(main, &shop.owner, &format!("p:{id}:ok")).await;
    app.wait_for_link(shop.bot, &customer).await;
}
