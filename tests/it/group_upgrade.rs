//! A basic group the seller bot sells is upgraded to a supergroup: Telegram gives it a new
//! `-100…` id, tells the bots in it with two service messages, and answers any call on the
//! old id with 400 and `migrate_to_chat_id`. Getolog follows the chat from either signal,
//! so invites, join requests and removals go on in the supergroup.

use crate::support::{shop::Shop, spawn_app, TestApp};
use chrono::Duration;
use diesel::{ExpressionMethods, JoinOnDsl, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::scheduler::{Job, Outcome},
    db::schema::{channels, end_users, payments},
    simulator::{ChatKind, JoinOutcome, SimUser},
};

/// The customer buys the shop's group and the owner approves; returns the invite link sent.
async fn bought(app: &TestApp, shop: &Shop, customer: &SimUser) -> String {
    app.buy_and_send_receipt_after_start(shop, customer, "en").await;
    let payment: i64 = payments::table
        .inner_join(end_users::table.on(end_users::id.eq(payments::end_user_id)))
        .filter(end_users::telegram_id.eq(customer.id))
        .filter(payments::status.eq("pending"))
        .select(payments::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    app.press(app.main_id(), &shop.owner, &format!("p:{payment}:ok")).await;
    app.wait_for_link(shop.bot, customer).await.0
}

/// The customer opens the link and waits to be let in.
async fn join(app: &TestApp, chat: i64, customer: &SimUser, link: &str) {
    let outcome = app.sim().use_invite_link(customer, link).await.unwrap();
    assert!(matches!(outcome, JoinOutcome::Requested(_)), "{outcome:?}");
    let joined = app
        .sim()
        .wait_for(std::time::Duration::from_secs(5), |s| s.member_status(chat, customer.id) == Some("member"))
        .await;
    assert!(joined, "{} was not let into {chat}", customer.first_name);
}

async fn linked_chat_id(app: &TestApp, shop: &Shop) -> i64 {
    channels::table
        .filter(channels::id.eq(shop.channel))
        .select(channels::telegram_chat_id)
        .first(&mut app.db().await)
        .await
        .unwrap()
}

/// The Getolog side forgets the upgrade, as if its service messages had been lost.
async fn forget_upgrade(app: &TestApp, shop: &Shop) {
    diesel::update(channels::table.filter(channels::id.eq(shop.channel)))
        .set(channels::telegram_chat_id.eq(shop.chat))
        .execute(&mut app.db().await)
        .await
        .unwrap();
}

#[actix_web::test]
async fn the_upgrade_message_moves_the_linked_group_and_access_goes_on_in_the_supergroup() {
    let app = spawn_app().await;
    let shop = app.ready_shop_of(ChatKind::Group, 7_000_000_701, "upgrade_shop_bot").await;
    let early = app.user(7_100_000_701, "Zarina");
    let link = bought(&app, &shop, &early).await; // made in the basic group, not used yet

    let supergroup = app.sim().upgrade_to_supergroup(shop.chat).await.unwrap();
    assert!(supergroup <= -1_000_000_000_000, "a supergroup id: {supergroup}");
    assert_eq!(linked_chat_id(&app, &shop).await, supergroup, "the service message moved the link");

    join(&app, supergroup, &early, &link).await; // the old link leads to the supergroup
    let late = app.user(7_100_000_702, "Timur");
    let link = bought(&app, &shop, &late).await;
    join(&app, supergroup, &late, &link).await;

    app.clock.advance(Duration::days(31) + Duration::minutes(1));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 2, retry: 0 });
    for customer in [&early, &late] {
        assert_eq!(app.sim().member_status(supergroup, customer.id), Some("left"), "{customer:?}");
    }
    let bans = app.sim().calls_to(shop.bot, "banChatMember");
    assert!(bans.iter().all(|c| c.params["chat_id"] == supergroup), "{bans:?}");
}

#[actix_web::test]
async fn a_missed_upgrade_is_learnt_from_telegrams_answer_on_the_old_id() {
    let app = spawn_app().await;
    let shop = app.ready_shop_of(ChatKind::Group, 7_000_000_703, "missed_upgrade_bot").await;
    let member = app.user(7_100_000_703, "Laylo");
    let subscription = app.paying_member(&shop, &member).await;
    let supergroup = app.sim().upgrade_to_supergroup(shop.chat).await.unwrap();
    assert_eq!(app.sim().member_status(supergroup, member.id), Some("member"), "members move along");

    forget_upgrade(&app, &shop).await;
    let newcomer = app.user(7_100_000_704, "Bekzod");
    let link = bought(&app, &shop, &newcomer).await; // createChatInviteLink on the old id: 400
    assert_eq!(linked_chat_id(&app, &shop).await, supergroup, "the answer's migrate_to_chat_id moved it");
    join(&app, supergroup, &newcomer, &link).await;

    forget_upgrade(&app, &shop).await;
    app.clock.advance(Duration::days(31) + Duration::minutes(1));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 2, retry: 0 });
    assert_eq!(app.subscription_state(subscription).await.status, "expired");
    for customer in [&member, &newcomer] {
        assert_eq!(app.sim().member_status(supergroup, customer.id), Some("left"), "{customer:?}");
    }
    assert_eq!(linked_chat_id(&app, &shop).await, supergroup);
}
