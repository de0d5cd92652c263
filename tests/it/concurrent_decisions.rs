//! Decisions made truly at the same moment: the owner's two devices pressing Approve while
//! the presses land on two different nodes (so no per-chat lane orders them), and two
//! moderators in two different chats. The database alone decides: one grant.

use crate::support::spawn_app;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::db::schema::{payments, subscriptions};

#[actix_web::test]
async fn approve_pressed_on_two_devices_landing_on_two_nodes_grants_once() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_014_001, "two_devices_shop_bot").await;
    let customer = app.user(7_100_014_001, "Dilnoza");
    let review = app.buy_and_send_receipt(&shop, &customer).await;
    let other = app.second_node().await;
    let id: i64 = payments::table.select(payments::id).first(&mut app.db().await).await.unwrap();
    let data = format!("p:{id}:ok");
    let main = app.main_id();
    let (here, there) = tokio::join!(
        app.sim().press_button(main, &shop.owner, review.message_id, &data),
        app.sim().press_button_via(&other.address, main, &shop.owner, review.message_id, &data),
    );
    assert_eq!((here.unwrap().status, there.unwrap().status), (200, 200));

    let granted: Vec<i64> = subscriptions::table.select(subscriptions::id).load(&mut app.db().await).await.unwrap();
    assert_eq!(granted.len(), 1, "one subscription");
    let status: String = payments::table.select(payments::status).first(&mut app.db().await).await.unwrap();
    assert_eq!(status, "approved");
    let approvals = |s: &getolog::simulator::Simulator| {
        s.messages_in(shop.bot, customer.id)
            .iter()
            .filter(|m| m.text.as_deref().unwrap_or("").contains("approved!"))
            .count()
    };
    app.sim().wait_for(std::time::Duration::from_secs(3), |s| approvals(s) >= 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(approvals(app.sim()), 1, "the customer is told once");
    assert_eq!(app.sim().invite_links(shop.chat).len(), 1, "one invite link");
    let payments_now: i64 =
        payments::table.filter(payments::status.eq("approved")).count().get_result(&mut app.db().await).await.unwrap();
    assert_eq!(payments_now, 1);
    other.server.stop(true).await;
}
