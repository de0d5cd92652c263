//! Updates the product does not act on (a linked group's chatter) are acknowledged before
//! any claim, rate count or lane, so they cost no Redis round trip and never hold up a
//! customer.

use crate::support::spawn_app;
use getolog::simulator::{ChatKind, Rights};

#[actix_web::test]
async fn a_groups_chatter_is_acknowledged_without_a_claim_and_customers_are_still_served() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_010_001, "chatter_shop_bot").await;
    let group = app.sim().create_chat(ChatKind::Supergroup, "Members chat");
    app.sim().set_bot_rights(group, shop.bot, Some(Rights::getolog())).await.unwrap();
    let talkers: Vec<_> = (0..20).map(|i| app.user(7_100_010_000 + i, "Talker")).collect();
    let chatter = talkers.iter().map(|u| app.sim().send_group_text(shop.bot, group, u, "hello everyone"));
    let deliveries = futures_util::future::join_all(chatter).await;

    let cache = &app.state.cache;
    let mut conn = cache.conn().await.unwrap();
    for delivery in deliveries {
        let delivery = delivery.unwrap();
        assert_eq!(delivery.status, 200, "chatter must be acknowledged");
        let key = cache.key(format_args!("upd:{}:{}", shop.bot, delivery.update_id));
        let claimed: bool = redis::cmd("EXISTS").arg(&key).query_async(&mut *conn).await.unwrap();
        assert!(!claimed, "update {} of a group's chatter took a claim", delivery.update_id);
    }
    for talker in &talkers {
        let key = cache.key(format_args!("rl:{}:{}", shop.bot, talker.id));
        let counted: bool = redis::cmd("EXISTS").arg(&key).query_async(&mut *conn).await.unwrap();
        assert!(!counted, "a group message was counted against its sender's rate limit");
    }
    drop(conn);
    assert!(app.sim().calls_to(shop.bot, "sendMessage").is_empty(), "the shop answered group chatter");

    // A customer's private /start is still claimed and answered.
    let customer = app.user(7_100_010_100, "Aziza");
    let start = app.sim().send_text(shop.bot, &customer, "/start").await.unwrap();
    assert_eq!(start.status, 200);
    assert!(app.sim().last_message(shop.bot, customer.id).is_some());
}
