//! The owner manages end users in the main bot: paged list, search, a user's card, ban
//! (removal from the chat) and unban, and access granted by hand.

use crate::support::spawn_app;
use bigdecimal::BigDecimal;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    db::schema::{end_users, payments, subscriptions},
    simulator::JoinOutcome,
};

#[actix_web::test]
async fn the_owner_lists_searches_bans_and_grants_access_by_hand() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_701, "crm_shop_bot").await;
    for (id, name) in (0..10).map(|i| (7_100_000_710 + i, format!("Buyer{i}"))) {
        app.start_and_choose(shop.bot, &app.user(id, &name), "en").await;
    }
    let main = app.main_id();
    app.say(main, &shop.owner, "/menu").await;
    let page = app.press(main, &shop.owner, "u:p:0").await;
    assert!(page.text.as_deref().unwrap().contains("Customers of @crm_shop_bot: 10"));
    assert!(page.buttons().concat().iter().any(|(_, d)| d == "u:p:1"), "a next page");
    let next = app.press(main, &shop.owner, "u:p:1").await;
    assert_eq!(
        next.buttons()
            .concat()
            .iter()
            .filter(|(_, d)| d.starts_with("u:") && !d.starts_with("u:p") && d != "u:s")
            .count(),
        2
    );

    app.press(main, &shop.owner, "u:s").await;
    let found = app.say(main, &shop.owner, "@buyer7").await;
    assert!(found.text.as_deref().unwrap().contains(": 1"), "{found:?}");
    let target = app.user(7_100_000_717, "Buyer7");
    let id: i64 = end_users::table
        .filter(end_users::telegram_id.eq(target.id))
        .select(end_users::id)
        .first(&mut app.db().await)
        .await
        .unwrap();

    // Grant a month by hand: a manual payment of 0, then the usual link.
    app.press(main, &shop.owner, &format!("u:{id}")).await;
    app.press(main, &shop.owner, &format!("u:{id}:g")).await;
    let periods = app.press(main, &shop.owner, &format!("u:{id}:g:{}", shop.channel)).await;
    // A double click on "1 month" grants once.
    let (_, data) = app.button_starting(main, &shop.owner, &format!("u:{id}:g:{}:1:", shop.channel));
    let (a, b) = tokio::join!(
        app.sim().press_button(main, &shop.owner, periods.message_id, &data),
        app.sim().press_button(main, &shop.owner, periods.message_id, &data),
    );
    assert_eq!((a.unwrap().status, b.unwrap().status), (200, 200));
    let card = app.sim().message(main, shop.owner.id, periods.message_id).unwrap();
    assert!(card.text.as_deref().unwrap().contains("Access granted"), "{card:?}");
    let grants: Vec<(String, BigDecimal)> =
        payments::table.select((payments::payment_method, payments::amount)).load(&mut app.db().await).await.unwrap();
    assert_eq!(grants, [("manual".to_owned(), BigDecimal::from(0))], "one grant for a double click");
    let (link, _) = app.wait_for_link(shop.bot, &target).await;
    assert!(matches!(app.sim().use_invite_link(&target, &link).await.unwrap(), JoinOutcome::Requested(_)));
    assert_eq!(app.sim().member_status(shop.chat, target.id), Some("member"));

    // Ban: removed from the channel (not banned there for good), told nothing but a notice.
    let banned = app.press(main, &shop.owner, &format!("u:{id}:ban")).await;
    assert!(banned.text.as_deref().unwrap().contains("🚫 Banned"));
    assert!(
        app.sim()
            .wait_for(std::time::Duration::from_secs(5), |s| s.member_status(shop.chat, target.id) == Some("left"))
            .await
    );
    let status: String = subscriptions::table.select(subscriptions::status).first(&mut app.db().await).await.unwrap();
    assert_eq!(status, "kicked");
    let reply = app.say(shop.bot, &target, "/start").await;
    assert_eq!(reply.text.as_deref(), Some("⛔ Your access to this bot has been restricted."));
    let unbanned = app.press(main, &shop.owner, &format!("u:{id}:unban")).await;
    assert!(!unbanned.text.as_deref().unwrap().contains("🚫 Banned"));

    // Another owner cannot reach this customer.
    let intruder = app.register_owner(7_000_000_702, "Intruder", "en").await;
    app.press_forged(main, &intruder, &format!("u:{id}:ban")).await;
    assert_eq!(app.last_toast(main).as_deref(), Some("This button is no longer active. Send /start to begin again."));
}
