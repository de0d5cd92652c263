//! The personal link after an approval, or on request ("🔗 Get my invite link"), is handed
//! over by the seller bot outside the owner's press: it is stored before it is sent, so a
//! retry (a redelivered press, a crash in the middle) sends the same link again and never
//! makes a second one; a new link on request revokes the unused old one.

use crate::support;

use std::time::Duration;

use crate::support::{
    serve::Serve,
    shop::{count_messages, link_in, Shop},
    TestApp,
};
use diesel::QueryDsl;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use getolog::{
    db::schema::{payments, subscriptions},
    simulator::{Fault, FaultRule, JoinOutcome, SimUser},
};

const FRESH: &str = "your new personal link";

async fn stored_link(db: &mut AsyncPgConnection) -> Option<String> {
    subscriptions::table.select(subscriptions::invite_link).first(db).await.unwrap()
}

/// Every link message the seller bot sent the customer, by link.
fn links_sent(app_sim: &getolog::simulator::Simulator, shop: &Shop, customer: &SimUser) -> Vec<String> {
    let messages = app_sim.messages_in(shop.bot, customer.id);
    let texts = messages.into_iter().filter(|m| m.from_bot).filter_map(|m| m.text);
    texts.filter(|t| t.contains("https://t.me/+")).map(|t| link_in(&t)).collect()
}

/// A customer with an approved payment who has not joined yet; returns their first link.
async fn approved_customer(app: &TestApp, shop: &Shop, customer: &SimUser) -> String {
    app.buy_and_send_receipt(shop, customer).await;
    let id: i64 = payments::table.select(payments::id).first(&mut app.db().await).await.unwrap();
    app.press(app.main_id(), &shop.owner, &format!("p:{id}:ok")).await;
    app.wait_for_link(shop.bot, customer).await.0
}

#[actix_web::test]
async fn a_customer_who_lost_their_link_gets_a_new_one_once_and_the_old_one_stops_working() {
    let app = support::spawn_app().await;
    let shop = app.ready_shop(7_000_017_001, "lost_link_shop_bot").await;
    let customer = app.user(7_100_017_001, "Aziza");
    let first = approved_customer(&app, &shop, &customer).await;

    app.start_and_choose(shop.bot, &customer, "en").await;
    let asked = app.press(shop.bot, &customer, "link").await;
    let (fresh, text) = app.wait_for_link(shop.bot, &customer).await;
    assert!(text.contains(FRESH), "{text}");
    assert_ne!(fresh, first);
    assert_eq!(stored_link(&mut app.db().await).await.as_deref(), Some(fresh.as_str()));
    let revoked = app.sim().invite_link(&first).unwrap();
    assert!(revoked.is_revoked, "the unused old link is revoked");

    // Telegram delivers the same press again: the same link, not a third one.
    let update = app.sim().last_update(shop.bot).unwrap()["update_id"].as_i64().unwrap();
    assert_eq!(app.sim().redeliver(shop.bot, update).await.unwrap().status, 200);
    app.wait_for_courier().await;
    assert_eq!(app.sim().invite_links(shop.chat).len(), 2, "one link per delivery: {asked:?}");
    let outcome = app.sim().use_invite_link(&customer, &fresh).await.unwrap();
    assert!(matches!(outcome, JoinOutcome::Requested(_)), "{outcome:?}");
    let joined =
        app.sim().wait_for(Duration::from_secs(5), |s| s.member_status(shop.chat, customer.id) == Some("member"));
    assert!(joined.await, "the fresh link lets the customer in");

    // Once in, asking again makes no link.
    app.start_and_choose(shop.bot, &customer, "en").await;
    app.press(shop.bot, &customer, "link").await;
    app.wait_for_customer_message(shop.bot, &customer, "You are already in 📢 VIP club").await;
    assert_eq!(app.sim().invite_links(shop.chat).len(), 2);
}

#[actix_web::test]
async fn a_link_stored_just_before_kill_9_is_the_one_the_customer_gets_after_the_restart() {
    let app = support::spawn_app().await;
    let shop = app.ready_shop(7_000_017_002, "kill_link_shop_bot").await;
    let customer = app.user(7_100_017_002, "Bobur");
    let review = app.buy_and_send_receipt(&shop, &customer).await;
    let id: i64 = payments::table.select(payments::id).first(&mut app.db().await).await.unwrap();
    let db_url = app.env.db.url.clone();
    let mut env = app.stop().await;
    let port = env.release_port();
    let mut serve = Serve::start(&env, port, &[]).await;

    // The customer's message is held at Telegram's side; the process dies while it waits,
    // after the link was made and stored.
    let sent = env.sim.calls_received(shop.bot, "sendMessage");
    let fault = Fault::Latency(Duration::from_secs(20));
    env.sim.inject_fault(FaultRule { bot_id: Some(shop.bot), method: Some("sendMessage".into()), times: 1, fault });
    let pressed = env.sim.press_button(env.main_bot.id, &shop.owner, review.message_id, &format!("p:{id}:ok")).await;
    assert_eq!(pressed.unwrap().status, 200);
    let held = env.sim.wait_for(Duration::from_secs(10), |s| s.calls_received(shop.bot, "sendMessage") > sent).await;
    assert!(held, "the link's message never went out");
    let mut db = <AsyncPgConnection as diesel_async::AsyncConnection>::establish(&db_url).await.unwrap();
    let stored = stored_link(&mut db).await.expect("stored before it is sent");
    serve.kill();

    // The dead process's lease on the delivery and its hold on the subscription lapse (as a
    // minute later), and a new process hands the link over.
    diesel::sql_query("UPDATE deliveries SET claimed_until = now() - interval '1 second' WHERE done_at IS NULL")
        .execute(&mut db)
        .await
        .unwrap();
    let sub: i64 = subscriptions::table.select(subscriptions::id).first(&mut db).await.unwrap();
    let redis = redis::Client::open(env.vars["REDIS_URL"].as_str()).unwrap();
    let mut redis = redis.get_multiplexed_async_connection().await.unwrap();
    let hold = format!("{}:lock:invite:{sub}", env.vars["REDIS_PREFIX"]);
    let released: i64 = redis::cmd("DEL").arg(&hold).query_async(&mut redis).await.unwrap();
    assert_eq!(released, 1, "the dead process held the subscription");
    let _serve = Serve::start(&env, port, &[]).await;
    support::shop::wait_for_message(&env.sim, shop.bot, customer.id, "approved!").await;
    let links = links_sent(&env.sim, &shop, &customer);
    assert!(!links.is_empty() && links.iter().all(|l| *l == stored), "only the stored link: {links:?}");
    assert_eq!(env.sim.invite_links(shop.chat).len(), 1, "one link was made");
    assert!(count_messages(&env.sim, shop.bot, customer.id, "approved!") <= 2);
    let outcome = env.sim.use_invite_link(&customer, &stored).await.unwrap();
    assert!(matches!(outcome, JoinOutcome::Requested(_)), "{outcome:?}");
}
