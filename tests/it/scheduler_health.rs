//! Bot health checks: a revoked token stops the bot and its owner is told how to bring it
//! back; a bot that stays silent becomes dead and alive again when it answers; every change
//! reaches the moderators once.

use std::time::Duration;

use crate::support::{spawn_app, TestApp, TestEnv, MODERATOR_ID};
use getolog::{
    actors::scheduler::{Job, Outcome},
    db::user_bots,
    simulator::{Fault, FaultRule},
};

async fn health(app: &TestApp, bot: i64) -> String {
    user_bots::health_of(&mut app.db().await, bot).await.unwrap().unwrap()
}

#[actix_web::test]
async fn revoked_tokens_stop_their_bots_tell_each_owner_and_alert_moderators_once() {
    let app = spawn_app().await;
    app.sim().send_text(app.main_id(), &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();
    let first_owner = app.register_owner(7_000_000_701, "Kamola", "en").await;
    let first = app.connect_bot(&first_owner, "revoked_one_bot").await;
    let second_owner = app.register_owner(7_000_000_702, "Sardor", "ru").await;
    let second = app.connect_bot(&second_owner, "revoked_two_bot").await;
    let healthy_owner = app.register_owner(7_000_000_703, "Malika", "en").await;
    let healthy = app.connect_bot(&healthy_owner, "healthy_bot").await;
    app.sim().revoke_token(first.id);
    app.sim().revoke_token(second.id);

    assert_eq!(app.run_job(Job::HealthCheck).await, Outcome { done: 1, retry: 2 });
    assert_eq!(app.run_job(Job::HealthCheck).await, Outcome { done: 1, retry: 0 }, "revoked bots wait for their owner");
    for bot in [first.id, second.id] {
        assert_eq!(health(&app, bot).await, "revoked");
        assert_eq!(app.bot_state(bot), None, "the bot is no longer served");
    }
    assert_eq!(health(&app, healthy.id).await, "alive");
    app.wait_for_owner_message(&first_owner, "Telegram no longer accepts the token of @revoked_one_bot").await;
    app.wait_for_owner_message(&second_owner, "Telegram больше не принимает токен @revoked_two_bot").await;
    assert_eq!(app.alerts_about("@revoked_one_bot: token revoked").await, 1);
    assert_eq!(app.alerts_about("@revoked_two_bot: token revoked").await, 1);

    let token = app.sim().new_token(first.id).unwrap();
    app.say(app.main_id(), &first_owner, &token).await;
    assert!(app.wait_for_webhook(first.id).await, "the owner's new token brings the bot back");
    assert_eq!(health(&app, first.id).await, "alive");
}

#[actix_web::test]
async fn a_silent_bot_turns_dead_after_several_checks_and_alive_when_it_answers() {
    let mut env = TestEnv::new().await;
    env.settings.scheduler.health_timeout = Duration::from_millis(100);
    let app = env.start().await;
    app.sim().send_text(app.main_id(), &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();
    let owner = app.register_owner(7_000_000_704, "Nodira", "en").await;
    let bot = app.connect_bot(&owner, "silent_bot").await;
    let fault = Fault::Latency(Duration::from_secs(1));
    app.sim().inject_fault(FaultRule { bot_id: Some(bot.id), method: Some("getMe".into()), times: 3, fault });

    for _ in 0..2 {
        assert_eq!(app.run_job(Job::HealthCheck).await, Outcome { done: 0, retry: 1 });
        assert_eq!(health(&app, bot.id).await, "alive", "one missed answer is not death");
    }
    assert_eq!(app.run_job(Job::HealthCheck).await, Outcome { done: 0, retry: 1 });
    assert_eq!(health(&app, bot.id).await, "dead");
    assert_eq!(app.alerts_about("@silent_bot did not answer 3 health checks in a row").await, 1);

    assert_eq!(app.run_job(Job::HealthCheck).await, Outcome { done: 1, retry: 0 });
    assert_eq!(health(&app, bot.id).await, "alive");
    assert_eq!(app.alerts_about("@silent_bot answers again").await, 1);
    assert_eq!(app.run_job(Job::HealthCheck).await, Outcome { done: 1, retry: 0 });
    assert_eq!(app.alerts_about("@silent_bot").await, 2, "no news, no alert");
}

#[actix_web::test]
async fn a_revocation_noticed_while_serving_is_announced_once_and_not_again_by_the_check() {
    let app = spawn_app().await;
    app.sim().send_text(app.main_id(), &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();
    let owner = app.register_owner(7_000_000_705, "Bekzod", "en").await;
    let bot = app.connect_bot(&owner, "noticed_bot").await;
    app.sim().revoke_token(bot.id);
    // A message the bot answers with a call of its own (`/start`'s prompt rides on the
    // webhook's reply, which needs no token).
    app.sim().send_text(bot.id, &app.user(7_100_000_705, "Customer"), "hello").await.unwrap();

    app.wait_for_owner_message(&owner, "Telegram no longer accepts the token of @noticed_bot").await;
    assert_eq!(health(&app, bot.id).await, "revoked");
    assert_eq!(app.run_job(Job::HealthCheck).await, Outcome::default(), "a revoked bot is not checked");
    let told = app.texts_containing(app.main_id(), owner.id, "no longer accepts the token");
    assert_eq!(told.len(), 1);
    assert_eq!(app.alerts_about("@noticed_bot: token revoked").await, 1);
}
