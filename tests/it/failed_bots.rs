//! A bot that crashes too often is `failed` only for a while: it is started again after a
//! pause that grows while it keeps failing, its owner hears once what happened and what to
//! do, the moderators once, and a node that starts gives a failed bot a fresh start.

use std::time::Duration;

use crate::support::{TestApp, TestEnv, MODERATOR_ID};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::{scheduler::Job, supervisor::registry::BotState},
    db::{schema::user_bots, user_bots as bots},
    simulator::SimUser,
};

async fn health(app: &TestApp, bot: i64) -> String {
    bots::health_of(&mut app.db().await, bot).await.unwrap().unwrap()
}

/// Crashes the bot until its restart policy gives up (3 restarts in the test settings).
async fn crash_until_failed(app: &TestApp, bot: i64, user: &SimUser) {
    for _ in 0..3 {
        assert_eq!(app.crash_and_wait_for_restart(bot, user).await, 500);
    }
    assert_eq!(app.sim().send_text(bot, user, "/__panic").await.unwrap().status, 500);
    let failed = app.sim().wait_for(Duration::from_secs(5), |_| app.bot_state(bot) == Some(BotState::Failed)).await;
    assert!(failed, "the bot should be failed after exceeding its restart intensity");
}

#[actix_web::test]
async fn a_failed_bot_comes_back_by_itself_and_each_episode_is_announced_once() {
    let mut env = TestEnv::new().await;
    // Long enough that the failed state is still there to be read on a loaded machine.
    env.settings.restart.revive_after = Duration::from_millis(900);
    env.settings.restart.max_revive_after = Duration::from_secs(2);
    let app = env.start().await;
    app.sim().send_text(app.main_id(), &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();
    let owner = app.register_owner(7_100_000_301, "Olim", "en").await;
    let bot = app.connect_bot(&owner, "phoenix_bot").await;
    let customer = app.user(7_200_000_301, "Kamola");

    crash_until_failed(&app, bot.id, &customer).await;
    assert_eq!(app.sim().send_text(bot.id, &customer, "/start").await.unwrap().status, 503);
    assert_eq!(health(&app, bot.id).await, "failed");
    let told = app.wait_for_owner_message(&owner, "@phoenix_bot ran into repeated errors").await;
    let told = told.text.unwrap();
    assert!(told.contains("starts it again in 900 ms") && told.contains("Replace token"), "{told}");

    let back = app.sim().wait_for(Duration::from_secs(5), |_| app.bot_state(bot.id) == Some(BotState::Alive)).await;
    assert!(back, "a failed bot must be started again after its pause");
    let served = app.start_and_choose(bot.id, &customer, "en").await;
    assert!(served.text.unwrap().contains("This is @phoenix_bot"), "the revived bot does not serve");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while health(&app, bot.id).await != "alive" && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(health(&app, bot.id).await, "alive", "the revival is recorded");

    // It fails again at once: same episode, a longer pause, nobody told twice.
    crash_until_failed(&app, bot.id, &customer).await;
    let back = app.sim().wait_for(Duration::from_secs(5), |_| app.bot_state(bot.id) == Some(BotState::Alive)).await;
    assert!(back, "the second pause (1.8 s) must end too");
    let alert = "@phoenix_bot crashed 3 times";
    assert_eq!(app.alerts_about(alert).await, 1, "moderators hear of an episode once");
    assert_eq!(app.alerts_about("tried again in 900 ms").await, 1);
    assert_eq!(
        app.texts_containing(app.main_id(), owner.id, "ran into repeated errors").len(),
        1,
        "the owner hears of an episode once"
    );
}

#[actix_web::test]
async fn a_node_that_starts_serves_a_bot_recorded_as_failed_and_its_token_is_still_checked() {
    let env = TestEnv::new().await;
    let bot = env.seed_seller_bot(7_100_000_311, "restarted_bot").await;
    let other = env.seed_seller_bot(7_100_000_312, "revoked_failed_bot").await;
    {
        let mut conn =
            <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&env.db.url).await.unwrap();
        diesel::update(user_bots::table.filter(user_bots::telegram_bot_id.eq_any([bot.id, other.id])))
            .set(user_bots::health.eq("failed"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let app = env.start().await;
    assert!(app.wait_for_webhook(bot.id).await, "a failed bot's webhook is registered at start");
    let customer = app.user(7_200_000_311, "Zafar");
    let served = app.start_and_choose(bot.id, &customer, "en").await;
    assert!(served.text.unwrap().contains("This is @restarted_bot"), "a failed bot gets a fresh start on a new node");

    app.sim().revoke_token(other.id);
    let outcome = app.run_job(Job::HealthCheck).await;
    assert_eq!(outcome.retry, 1, "{outcome:?}");
    assert_eq!(health(&app, other.id).await, "revoked", "a failed bot's revoked token is found by the check");
}
