//! A panic in one bot's handler stays in that bot: others keep serving, the bot restarts
//! and serves again, and a bot that keeps crashing is marked failed and reported.

use std::time::Duration;

use crate::support::{TestEnv, MODERATOR_ID};
use getolog::actors::supervisor::registry::BotState;

#[actix_web::test]
async fn a_panicking_bot_restarts_without_disturbing_others_then_fails_after_too_many_crashes() {
    let mut env = TestEnv::new().await;
    env.settings.workers = 1; // both bots share one arbiter thread: the panic must not take it down
    let a = env.seed_seller_bot(7_000_000_010, "bot_a").await;
    let b = env.seed_seller_bot(7_000_000_011, "bot_b").await;
    let app = env.start().await;
    assert!(app.wait_for_webhook(a.id).await && app.wait_for_webhook(b.id).await);
    let (alice, bob) = (app.user(7_200_000_001, "Alice"), app.user(7_200_000_002, "Bob"));
    let main = app.env.main_bot.id;
    app.sim().send_text(main, &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();

    let before = app.actor_of(a.id);
    let crash = app.sim().send_text(a.id, &alice, "/__panic").await.unwrap();
    assert_eq!(crash.status, 500, "a crashed update must not be acknowledged");
    let other = app.start_and_choose(b.id, &bob, "en").await;
    assert!(other.text.unwrap().contains("This is @bot_b"), "bot B was disturbed");

    app.wait_for_new_incarnation(a.id, before).await;
    let again = app.start_and_choose(a.id, &alice, "en").await;
    assert!(again.text.unwrap().contains("This is @bot_a"), "bot A does not serve after its restart");

    for _ in 0..2 {
        assert_eq!(app.crash_and_wait_for_restart(a.id, &alice).await, 500);
    }
    assert_eq!(app.sim().send_text(a.id, &alice, "/__panic").await.unwrap().status, 500);
    let failed = app.sim().wait_for(Duration::from_secs(5), |_| app.bot_state(a.id) == Some(BotState::Failed)).await;
    assert!(failed, "bot A should be failed after exceeding its restart intensity");
    assert_eq!(
        app.sim().send_text(a.id, &alice, "/start").await.unwrap().status,
        503,
        "a failed bot asks for redelivery"
    );

    let alerted = app.sim().wait_for(Duration::from_secs(5), |s| {
        s.messages_in(main, MODERATOR_ID).iter().any(|m| m.text.as_deref().unwrap_or("").contains("@bot_a crashed"))
    });
    assert!(alerted.await, "moderators were not alerted");
    let mut conn = app.db().await;
    let health = getolog::db::user_bots::health_of(&mut conn, a.id).await.unwrap();
    assert_eq!(health.as_deref(), Some("failed"));

    let still = app.sim().send_text(b.id, &bob, "/start").await.unwrap();
    assert_eq!(still.status, 200, "bot B stopped serving");
}

#[actix_web::test]
async fn an_update_that_always_panics_is_dropped_after_three_attempts_and_the_bot_serves_on() {
    let env = TestEnv::new().await;
    let a = env.seed_seller_bot(7_000_000_020, "bot_poison").await;
    let app = env.start().await;
    assert!(app.wait_for_webhook(a.id).await);
    let user = app.user(7_200_000_010, "Pavel");
    app.sim().send_text(app.env.main_bot.id, &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();
    let before = app.actor_of(a.id);
    let first = app.sim().send_text(a.id, &user, "/__panic").await.unwrap();
    assert_eq!(first.status, 500);
    app.wait_for_new_incarnation(a.id, before).await;
    let incarnation = app.actor_of(a.id);
    assert_eq!(app.sim().redeliver(a.id, first.update_id).await.unwrap().status, 500);
    let third = app.sim().redeliver(a.id, first.update_id).await.unwrap();
    assert_eq!(third.status, 200, "a poison update must stop being redelivered");
    assert_eq!(app.sim().redeliver(a.id, first.update_id).await.unwrap().status, 200, "dropped stays dropped");
    assert_eq!(app.actor_of(a.id), incarnation, "repeat crashes of one update must not cost more restarts");
    let main = app.env.main_bot.id;
    let reported = app.sim().wait_for(Duration::from_secs(5), |s| {
        s.messages_in(main, MODERATOR_ID)
            .iter()
            .any(|m| m.text.as_deref().unwrap_or("").contains("@bot_poison crashed 3 times on update"))
    });
    assert!(reported.await, "the dropped update was not reported to moderators");
    let reply = app.start_and_choose(a.id, &user, "en").await;
    assert!(reply.text.unwrap().contains("This is @bot_poison"));
}
