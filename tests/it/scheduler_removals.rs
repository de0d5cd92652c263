//! Removal as durable work: a renewal approved while the expiry job is working on a
//! customer wins (nobody is banned), a ban that Telegram fails is retried on later runs
//! with backoff until it is done (the owner hears once that it is stuck), and a bot whose
//! actor no longer runs still removes its expired customers through its stored token; a
//! revoked one's owner hears once how many customers wait, and removals resume with the new
//! token.

use std::time::Duration as StdDuration;

use crate::support::{spawn_app, MODERATOR_ID};
use chrono::Duration;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::scheduler::{Job, Outcome, RunJob},
    clock::Clock,
    db::schema::{end_users, payments, user_bots},
    simulator::{Fault, FaultRule},
};

#[actix_web::test]
async fn a_renewal_approved_while_the_job_looks_the_customer_up_is_never_removed() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_601, "race_shop_bot").await;
    let customer = app.user(7_100_000_601, "Gulnora");
    let subscription = app.paying_member(&shop, &customer).await;
    app.clock.advance(Duration::days(29));
    app.buy_and_send_receipt_after_start(&shop, &customer, "en").await;
    let renewal: i64 = payments::table
        .filter(payments::status.eq("pending"))
        .select(payments::id)
        .first(&mut app.db().await)
        .await
        .unwrap();

    // The owner's copy (sent by the courier) is there before the job starts, so the press
    // below lands while the job waits for Telegram, however loaded the machine is.
    let approve = format!("p:{renewal}:ok");
    let (main, owner) = (app.main_id(), shop.owner.id);
    let copy_arrived = app
        .sim()
        .wait_for(StdDuration::from_secs(5), |s| {
            s.messages_in(main, owner).iter().any(|m| m.buttons().iter().flatten().any(|(_, d)| *d == approve))
        })
        .await;
    assert!(copy_arrived, "the owner never got the renewal's receipt");

    app.clock.advance(Duration::days(2)); // the paid month is over; the renewal still waits
    app.sim().inject_fault(FaultRule {
        bot_id: Some(shop.bot),
        method: Some("getChatMember".into()),
        times: 1,
        fault: Fault::Latency(StdDuration::from_secs(4)),
    });
    let scheduler = app.scheduler.clone();
    let job = actix_web::rt::spawn(async move { scheduler.send(RunJob(Job::Expiry)).await });
    let looking =
        app.sim().wait_for(StdDuration::from_secs(5), |s| s.calls_received(shop.bot, "getChatMember") > 0).await;
    assert!(looking, "the job read the due set and asked Telegram about the customer");
    app.press(main, &shop.owner, &approve).await; // while Telegram answers

    let outcome = job.await.unwrap().unwrap().unwrap().unwrap();
    assert_eq!(outcome, Outcome::default(), "nothing was removed and nothing is left over");
    assert!(app.sim().calls_to(shop.bot, "banChatMember").is_empty(), "a paying customer is never banned");
    assert_eq!(app.sim().member_status(shop.chat, customer.id), Some("member"));
    let state = app.subscription_state(subscription).await;
    assert_eq!(state.status, "active");
    assert!(state.expires_at.unwrap() > app.clock.now(), "the renewal moved the end: {state:?}");
    assert!(app.texts_containing(shop.bot, customer.id, "Your access to").is_empty(), "no end-of-access notice");
    assert_eq!(app.run_job(Job::Expiry).await, Outcome::default(), "and the next run leaves them alone");
}

#[actix_web::test]
async fn a_ban_that_telegram_fails_is_retried_with_backoff_until_the_customer_is_removed() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_602, "retry_shop_bot").await;
    let customer = app.user(7_100_000_602, "Sardor");
    let subscription = app.paying_member(&shop, &customer).await;
    app.sim().inject_fault(FaultRule {
        bot_id: Some(shop.bot),
        method: Some("banChatMember".into()),
        times: 3,
        fault: Fault::ServerError(500),
    });

    app.clock.advance(Duration::days(31));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 0, retry: 1 });
    assert_eq!(app.subscription_state(subscription).await.status, "removing", "the removal is owed, durably");
    assert_eq!(app.run_job(Job::Expiry).await, Outcome::default(), "the retry waits for its backoff");
    assert_eq!(app.sim().calls_to(shop.bot, "banChatMember").len(), 1);

    app.clock.advance(Duration::minutes(10));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 0, retry: 1 }, "second attempt");
    app.clock.advance(Duration::minutes(5));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome::default(), "the wait doubled to 10 minutes");
    app.clock.advance(Duration::minutes(6));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 0, retry: 1 }, "third attempt");
    app.wait_for_owner_message(&shop.owner, "could not be removed from 📢 VIP club yet").await;

    app.clock.advance(Duration::minutes(21));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });
    let state = app.subscription_state(subscription).await;
    assert_eq!(state.status, "expired");
    assert!(state.kicked_at.is_some());
    assert_eq!(app.sim().member_status(shop.chat, customer.id), Some("left"), "removed at last, not left banned");
    app.wait_for_owner_message(&shop.owner, "was removed from 📢 VIP club").await;
    let stuck = app.texts_containing(app.main_id(), shop.owner.id, "could not be removed");
    assert_eq!(stuck.len(), 1, "the owner hears once per episode: {stuck:?}");
}

#[actix_web::test]
async fn a_failed_bot_whose_actor_is_stopped_still_removes_its_expired_customers() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_603, "stopped_shop_bot").await;
    let customer = app.user(7_100_000_603, "Malika");
    let subscription = app.paying_member(&shop, &customer).await;
    // The bot crashed too often: marked failed, and no actor serves it any more.
    diesel::update(user_bots::table.filter(user_bots::telegram_bot_id.eq(shop.bot)))
        .set(user_bots::health.eq("failed"))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    app.registry.remove(shop.bot);

    app.clock.advance(Duration::days(31));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });
    assert_eq!(app.subscription_state(subscription).await.status, "expired");
    assert_eq!(app.sim().member_status(shop.chat, customer.id), Some("left"));
}

#[actix_web::test]
async fn a_revoked_bots_owner_hears_once_how_many_customers_wait_and_removals_resume_with_the_new_token() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_604, "revoked_shop_bot").await;
    let customers = [app.user(7_100_000_604, "Oybek"), app.user(7_100_000_605, "Shahlo")];
    for customer in &customers {
        app.paying_member(&shop, customer).await;
    }
    app.sim().send_text(app.main_id(), &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();
    app.sim().revoke_token(shop.bot);
    assert_eq!(app.run_job(Job::HealthCheck).await.retry, 1, "the health check finds the token revoked");

    app.clock.advance(Duration::days(31));
    for _ in 0..2 {
        assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 0, retry: 2 }, "both wait for the token");
    }
    app.wait_for_owner_message(&shop.owner, "Customers whose paid period ended are still in 📢 VIP club: 2.").await;
    let told = app.texts_containing(app.main_id(), shop.owner.id, "whose paid period ended are still in");
    assert_eq!(told.len(), 1, "once per episode, not per run: {told:?}");
    let alert = "@revoked_shop_bot cannot remove customers whose period ended from 📢 VIP club: Telegram refuses";
    assert_eq!(app.alerts_about(alert).await, 1, "the moderators are told once too");

    let token = app.sim().new_token(shop.bot).unwrap();
    app.say(app.main_id(), &shop.owner, &token).await;
    assert!(app.wait_for_webhook(shop.bot).await, "the new token brings the bot back");
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 2, retry: 0 }, "removals resume");
    for customer in &customers {
        assert_eq!(app.sim().member_status(shop.chat, customer.id), Some("left"));
    }
}

#[actix_web::test]
async fn a_disconnected_bot_still_removes_its_expired_customers() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_606, "disconnected_shop_bot").await;
    let customer = app.user(7_100_000_606, "Ravshan");
    let subscription = app.paying_member(&shop, &customer).await;
    app.say(app.main_id(), &shop.owner, "/menu").await;
    app.press(app.main_id(), &shop.owner, "b").await;
    app.press(app.main_id(), &shop.owner, "b:off").await;
    app.press(app.main_id(), &shop.owner, "b:off!").await;
    assert!(app.sim().wait_for(StdDuration::from_secs(5), |_| app.bot_state(shop.bot).is_none()).await);

    app.clock.advance(Duration::days(31));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });
    assert_eq!(app.subscription_state(subscription).await.status, "expired");
    assert_eq!(app.sim().member_status(shop.chat, customer.id), Some("left"), "paid access ends on time");
}

#[actix_web::test]
async fn an_owners_ban_reaches_the_chat_while_the_seller_bots_actor_is_stopped() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_607, "banning_shop_bot").await;
    let customer = app.user(7_100_000_607, "Umid");
    app.paying_member(&shop, &customer).await;
    let id: i64 = end_users::table
        .filter(end_users::telegram_id.eq(customer.id))
        .select(end_users::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    diesel::update(user_bots::table.filter(user_bots::telegram_bot_id.eq(shop.bot)))
        .set(user_bots::health.eq("failed"))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    app.registry.remove(shop.bot);

    app.say(app.main_id(), &shop.owner, "/menu").await;
    app.press(app.main_id(), &shop.owner, "u:p:0").await;
    app.press(app.main_id(), &shop.owner, &format!("u:{id}")).await;
    app.press(app.main_id(), &shop.owner, &format!("u:{id}:ban")).await;
    let removed = app
        .sim()
        .wait_for(StdDuration::from_secs(5), |s| s.member_status(shop.chat, customer.id) == Some("left"))
        .await;
    assert!(removed, "the ban reached the chat: {:?}", app.sim().member_status(shop.chat, customer.id));
}
