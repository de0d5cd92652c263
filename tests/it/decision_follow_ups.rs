//! What follows a committed decision is never lost and never doubled: the reason of a
//! rejection to the customer and a plan's approval to its owner go by the courier under the
//! decision's own key. A process killed right after the decision committed, before it told
//! anyone, tells them once after its restart (the redelivered press finds the decision made
//! and plans its notice again); two devices deciding at the same moment tell once; a
//! customer's chat at Telegram's limit never holds up the owner's press.

use crate::support;

use std::time::{Duration, Instant};

use crate::support::{
    serve::Serve,
    shop::{count_messages, wait_for_message},
    TestEnv, MODERATOR_ID,
};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use getolog::{
    db::schema::{payments, platform_payments},
    simulator::{Delivery, Fault, FaultRule, SimUser, Simulator},
};

const REJECTED: &str = "was not accepted. Reason: The amount does not match the price";
const PLAN_APPROVED: &str = "Your plan 1 month is active until";

/// The main bot's next edit of a receipt copy (the first step of a decision's plan; the answer
/// to the press rides on the webhook's reply, last) is held for `hold`: the update is stuck
/// after its handler ran, before anything it planned is done.
fn hold_first_step(sim: &Simulator, main: i64, hold: Duration) {
    let fault = Fault::Latency(hold);
    sim.inject_fault(FaultRule { bot_id: Some(main), method: Some("editMessageCaption".into()), times: 1, fault });
}

/// What a payment (`plan`: a plan payment) says now.
async fn status_of(db_url: &str, plan: bool, id: i64) -> String {
    let mut conn = connect(db_url).await;
    if plan {
        let row = platform_payments::table.filter(platform_payments::id.eq(id));
        row.select(platform_payments::status).first(&mut conn).await.unwrap()
    } else {
        payments::table.filter(payments::id.eq(id)).select(payments::status).first(&mut conn).await.unwrap()
    }
}

/// A press on a message of the main bot: who presses, the message, the button's data.
type Press<'a> = (&'a SimUser, i64, &'a str);

/// Presses, holds the plan's first step, and kills the process once the payment (`plan`, `id`)
/// reads `decided` and that step is held: the decision committed, nothing it planned done.
/// Returns the cut-off delivery.
async fn press_and_kill_after_commit(
    env: &TestEnv,
    serve: &mut Serve,
    (user, message_id, data): Press<'_>,
    (plan, id, decided): (bool, i64, &str),
) -> Delivery {
    let main = env.main_bot.id;
    let edits = env.sim.calls_received(main, "editMessageCaption");
    hold_first_step(&env.sim, main, Duration::from_secs(20));
    let (sim, user, data) = (env.sim.clone(), user.clone(), data.to_owned());
    let pending = actix_web::rt::spawn(async move { sim.press_button(main, &user, message_id, &data).await.unwrap() });
    let held =
        env.sim.wait_for(Duration::from_secs(10), |s| s.calls_received(main, "editMessageCaption") > edits).await;
    assert!(held, "the press's plan never began");
    assert_eq!(status_of(&env.db.url, plan, id).await, decided, "decided before the crash");
    serve.kill();
    let cut = pending.await.unwrap();
    assert_ne!(cut.status, 200, "a press cut off by kill -9 was acknowledged");
    cut
}

/// Hands a set-up environment to the real binary on the same port.
async fn serve_instead(app: support::TestApp) -> (TestEnv, u16, Serve) {
    let mut env = app.stop().await;
    let port = env.release_port();
    let serve = Serve::start(&env, port, &[]).await;
    (env, port, serve)
}

async fn connect(db_url: &str) -> AsyncPgConnection {
    <AsyncPgConnection as diesel_async::AsyncConnection>::establish(db_url).await.unwrap()
}

async fn sql(app: &support::TestApp, statement: &str) {
    diesel::sql_query(statement).execute(&mut app.db().await).await.unwrap();
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    count: i64,
}

/// Waits (bounded) until a backend of the test's database waits as `condition` says.
async fn until_waiting(db_url: &str, condition: &str) {
    let query =
        format!("SELECT count(*) AS count FROM pg_stat_activity WHERE datname = current_database() AND {condition}");
    let mut conn = connect(db_url).await;
    let started = Instant::now();
    while diesel::sql_query(&query).get_result::<Count>(&mut conn).await.unwrap().count == 0 {
        assert!(started.elapsed() < Duration::from_secs(10), "no backend ever waited: {condition}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The same button pressed again on another device, from a copy drawn before the decision.
async fn press_again(env: &TestEnv, user: &SimUser, data: &str) {
    let press = serde_json::json!({"callback_query": {
        "id": format!("again-{}", rand::random::<u32>()),
        "from": {"id": user.id, "is_bot": false, "first_name": user.first_name},
        "chat_instance": "1",
        "data": data,
    }});
    assert_eq!(env.sim.deliver_raw(env.main_bot.id, press).await.unwrap().status, 200);
}

/// Redelivers the update to a restarted process until it is acknowledged (bounded).
async fn redeliver_until_handled(env: &TestEnv, update_id: i64) {
    let started = Instant::now();
    loop {
        let again = env.sim.redeliver(env.main_bot.id, update_id).await.unwrap();
        if again.status == 200 {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "the redelivery was never handled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn a_rejection_committed_just_before_kill_9_reaches_the_customer_once_after_the_restart() {
    let app = support::spawn_app().await;
    let shop = app.ready_shop(7_000_016_001, "kill_reject_shop_bot").await;
    let customer = app.user(7_100_016_001, "Aziza");
    let review = app.buy_and_send_receipt(&shop, &customer).await;
    let id: i64 = payments::table.select(payments::id).first(&mut app.db().await).await.unwrap();
    app.press(app.main_id(), &shop.owner, &format!("p:{id}:no")).await;

    // The decision's transaction is slowed (a trigger sleeps in its update of the payment), so
    // a lock on `user_bots` queues behind it: once the rejection commits, the handler's next
    // read (the seller bot that tells the customer) waits on that lock, before the handler
    // returned its plan. The real binary takes over, and is killed right there.
    sql(&app, "CREATE FUNCTION slow_decision() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NEW; END $$").await;
    sql(&app, "CREATE TRIGGER slow_decision BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION slow_decision()")
        .await;
    let db_url = app.env.db.url.clone();
    let (env, port, mut serve) = serve_instead(app).await;
    let preset = format!("p:{id}:r:1");
    let (sim, owner, data) = (env.sim.clone(), shop.owner.clone(), preset.clone());
    let main = env.main_bot.id;
    let pending =
        actix_web::rt::spawn(async move { sim.press_button(main, &owner, review.message_id, &data).await.unwrap() });
    until_waiting(&db_url, "wait_event = 'PgSleep'").await;
    let mut lock = connect(&db_url).await;
    diesel::sql_query("BEGIN").execute(&mut lock).await.unwrap();
    let locked = diesel::sql_query("LOCK TABLE user_bots IN ACCESS EXCLUSIVE MODE").execute(&mut lock);
    tokio::time::timeout(Duration::from_secs(10), locked).await.expect("the lock is granted at the commit").unwrap();
    assert_eq!(status_of(&db_url, false, id).await, "rejected", "decided before the crash");
    until_waiting(&db_url, "wait_event_type = 'Lock'").await;
    serve.kill();
    let cut = pending.await.unwrap();
    assert_ne!(cut.status, 200, "a press cut off by kill -9 was acknowledged");
    diesel::sql_query("ROLLBACK").execute(&mut lock).await.unwrap();
    diesel::sql_query("DROP TRIGGER slow_decision ON payments").execute(&mut lock).await.unwrap();
    assert_eq!(count_messages(&env.sim, shop.bot, customer.id, REJECTED), 0, "told before the crash");

    let _serve = Serve::start(&env, port, &[]).await;
    redeliver_until_handled(&env, cut.update_id).await;
    wait_for_message(&env.sim, shop.bot, customer.id, REJECTED).await;
    let copy = env.sim.message(main, shop.owner.id, review.message_id).unwrap();
    assert!(copy.text.as_deref().unwrap().contains("❌ Rejected: The amount does not match"), "{copy:?}");
    assert!(copy.buttons().concat().is_empty(), "the owner's copy offers nothing more: {copy:?}");
    // Another device's press (from a copy drawn before) finds it decided: nothing more.
    press_again(&env, &shop.owner, &preset).await;
    tokio::time::sleep(Duration::from_millis(1500)).await; // the courier's rounds, for a wrong second copy
    assert_eq!(count_messages(&env.sim, shop.bot, customer.id, REJECTED), 1, "the customer is told once");
}

#[actix_web::test]
async fn a_plan_approval_committed_just_before_kill_9_reaches_the_owner_once_after_the_restart() {
    let mut env = TestEnv::new().await;
    for (name, value) in [("PLATFORM_CARD_NUMBER", "8600123412341239"), ("PLATFORM_CARD_HOLDER", "Getolog LLC")] {
        env.vars.insert(name.into(), value.into());
    }
    env.settings.platform_card_number = "8600123412341239".into();
    env.settings.platform_card_holder = "Getolog LLC".into();
    let app = env.start().await;
    let (main, moderator) = (app.main_id(), app.user(MODERATOR_ID, "Malika"));
    app.sim().send_text(main, &moderator, "/start").await.unwrap();
    let owner = app.register_owner(7_000_016_002, "Sardor", "en").await;
    app.say(main, &owner, "/plan").await;
    app.press(main, &owner, "pl:1").await;
    app.sim().send_photo(main, &owner, None).await.unwrap();
    app.wait_for_owner_message(&owner, "Receipt received (plan payment #").await;
    let id: i64 = platform_payments::table.select(platform_payments::id).first(&mut app.db().await).await.unwrap();
    let copy = app.sim().messages_in(main, moderator.id).into_iter().rev().find(|m| m.photo.is_some()).unwrap();

    let (env, port, mut serve) = serve_instead(app).await;
    let approve = format!("pp:{id}:ok");
    let cut =
        press_and_kill_after_commit(&env, &mut serve, (&moderator, copy.message_id, &approve), (true, id, "approved"))
            .await;
    assert_eq!(count_messages(&env.sim, main, owner.id, PLAN_APPROVED), 0, "told before the crash");

    let _serve = Serve::start(&env, port, &[]).await;
    redeliver_until_handled(&env, cut.update_id).await;
    wait_for_message(&env.sim, main, owner.id, PLAN_APPROVED).await;
    press_again(&env, &moderator, &approve).await;
    tokio::time::sleep(Duration::from_millis(1500)).await; // the courier's rounds, for a wrong second copy
    assert_eq!(count_messages(&env.sim, main, owner.id, PLAN_APPROVED), 1, "the owner is told once");
}

#[actix_web::test]
async fn two_devices_rejecting_at_once_while_the_customers_chat_is_at_its_limit_are_answered_and_tell_once() {
    let app = support::spawn_app().await;
    let shop = app.ready_shop(7_000_016_003, "busy_reject_shop_bot").await;
    let customer = app.user(7_100_016_003, "Bobur");
    let review = app.buy_and_send_receipt(&shop, &customer).await;
    let id: i64 = payments::table.select(payments::id).first(&mut app.db().await).await.unwrap();
    let main = app.main_id();
    app.press(main, &shop.owner, &format!("p:{id}:no")).await;
    let other = app.second_node().await;
    // The customer's chat is at its limit: Telegram asks the seller bot to wait 6 s.
    let busy = Fault::TooManyRequests { retry_after: 6 };
    app.sim().inject_fault(FaultRule {
        bot_id: Some(shop.bot),
        method: Some("sendMessage".into()),
        times: 1,
        fault: busy,
    });

    let preset = format!("p:{id}:r:1");
    let started = Instant::now();
    let (here, there) = tokio::join!(
        app.sim().press_button(main, &shop.owner, review.message_id, &preset),
        app.sim().press_button_via(&other.address, main, &shop.owner, review.message_id, &preset),
    );
    assert_eq!((here.unwrap().status, there.unwrap().status), (200, 200), "the owner's presses are answered");
    assert!(started.elapsed() < Duration::from_secs(3), "the customer's chat held up the owner");
    assert_eq!(status_of(&app.env.db.url, false, id).await, "rejected");

    // Told after Telegram's 6 s (teloxide's throttle also holds the chat for the real 6 s).
    app.clock.advance(chrono::Duration::seconds(7));
    wait_for_message(app.sim(), shop.bot, customer.id, REJECTED).await;
    tokio::time::sleep(Duration::from_millis(1500)).await; // the courier's rounds, for a wrong second copy
    assert_eq!(count_messages(app.sim(), shop.bot, customer.id, REJECTED), 1, "the customer is told once");
    other.server.stop(true).await;
}

#[actix_web::test]
async fn a_renewal_approved_just_before_kill_9_is_announced_once_after_the_restart() {
    let app = support::spawn_app().await;
    let shop = app.ready_shop(7_000_016_004, "kill_renew_shop_bot").await;
    let customer = app.user(7_100_016_004, "Jasur");
    app.paying_member(&shop, &customer).await;
    app.buy_and_send_receipt_after_start(&shop, &customer, "en").await;
    let review = app.wait_for_owner_buttons(&shop.owner, "awaits your review").await;
    let pending = payments::table.filter(payments::status.eq("pending")).select(payments::id);
    let id: i64 = pending.first(&mut app.db().await).await.unwrap();

    let (env, port, mut serve) = serve_instead(app).await;
    let approve = format!("p:{id}:ok");
    let cut = press_and_kill_after_commit(
        &env,
        &mut serve,
        (&shop.owner, review.message_id, &approve),
        (false, id, "approved"),
    )
    .await;
    const EXTENDED: &str = "is extended";
    assert_eq!(count_messages(&env.sim, shop.bot, customer.id, EXTENDED), 0, "told before the crash");

    let _serve = Serve::start(&env, port, &[]).await;
    redeliver_until_handled(&env, cut.update_id).await;
    wait_for_message(&env.sim, shop.bot, customer.id, EXTENDED).await;
    press_again(&env, &shop.owner, &approve).await;
    tokio::time::sleep(Duration::from_millis(1500)).await; // the courier's rounds, for a wrong second copy
    assert_eq!(count_messages(&env.sim, shop.bot, customer.id, EXTENDED), 1, "the customer is told once");
}
