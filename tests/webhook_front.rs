#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! The webhook front: authentication, limits, parsing, exactly-once handling, health.

mod support;

use support::spawn_app;

fn start_update(update_id: i64, user_id: i64) -> serde_json::Value {
    serde_json::json!({
        "update_id": update_id,
        "message": {
            "message_id": 1, "date": 1_764_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Ali"},
            "from": {"id": user_id, "is_bot": false, "first_name": "Ali"},
            "text": "/start"
        }
    })
}

#[actix_web::test]
async fn bad_deliveries_get_exactly_the_listed_answers_and_write_nothing() {
    let app = spawn_app().await;
    let bot = app.env.main_bot.id;
    let secret = app.sim().webhook(bot).unwrap().secret_token.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/webhook/{bot}", app.address);
    let body = serde_json::to_vec(&start_update(1, 501)).unwrap();

    let unknown = http
        .post(format!("{}/webhook/123", app.address))
        .header("X-Telegram-Bot-Api-Secret-Token", &secret)
        .body(body.clone());
    assert_eq!(unknown.send().await.unwrap().status(), 404);
    assert_eq!(http.post(format!("{}/webhook/not-a-number", app.address)).send().await.unwrap().status(), 404);
    assert_eq!(http.post(&url).body(body.clone()).send().await.unwrap().status(), 401, "missing secret");
    let wrong = http.post(&url).header("X-Telegram-Bot-Api-Secret-Token", "x".repeat(secret.len())).body(body.clone());
    assert_eq!(wrong.send().await.unwrap().status(), 401, "wrong secret");
    let huge = http.post(&url).header("X-Telegram-Bot-Api-Secret-Token", &secret).body(vec![b' '; 1024 * 1024 + 1]);
    assert_eq!(huge.send().await.unwrap().status(), 413);
    let malformed = http.post(&url).header("X-Telegram-Bot-Api-Secret-Token", &secret).body("{\"update_id\":");
    assert_eq!(malformed.send().await.unwrap().status(), 400);

    assert!(app.sim().calls_to(bot, "sendMessage").is_empty(), "a refused delivery was handled");
    let good = http.post(&url).header("X-Telegram-Bot-Api-Secret-Token", &secret).body(body);
    assert_eq!(good.send().await.unwrap().status(), 200);
    assert_eq!(app.sim().calls_to(bot, "sendMessage").len(), 1);
}

#[actix_web::test]
async fn a_redelivered_update_is_handled_once() {
    let app = spawn_app().await;
    let bot = app.env.main_bot.id;
    let user = app.user(502, "Vali");
    let first = app.sim().send_text(bot, &user, "/start").await.unwrap();
    assert_eq!(first.status, 200);
    let again = app.sim().redeliver(bot, first.update_id).await.unwrap();
    assert_eq!(again.status, 200, "a duplicate is acknowledged");
    assert_eq!(app.sim().calls_to(bot, "sendMessage").len(), 1, "the duplicate was handled again");
}

#[actix_web::test]
async fn an_update_whose_reply_fails_transiently_is_redelivered_and_then_handled() {
    use getolog::simulator::{Fault, FaultRule};
    let app = spawn_app().await;
    let bot = app.env.main_bot.id;
    let user = app.user(503, "Sami");
    let fault =
        FaultRule { bot_id: Some(bot), method: Some("sendMessage".into()), times: 1, fault: Fault::ServerError(502) };
    app.sim().inject_fault(fault);
    let first = app.sim().send_text(bot, &user, "/start").await.unwrap();
    assert_eq!(first.status, 500, "not acknowledged while Telegram failed");
    let again = app.sim().redeliver(bot, first.update_id).await.unwrap();
    assert_eq!(again.status, 200);
    assert_eq!(
        app.last_message(bot, user.id).text.as_deref(),
        Some("🌐 Tilni tanlang · Choose your language · Выберите язык")
    );
}

#[actix_web::test]
async fn health_readiness_and_metrics_answer() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    assert_eq!(http.get(format!("{}/healthz", app.address)).send().await.unwrap().status(), 200);
    let ready = http.get(format!("{}/readyz", app.address)).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap(), serde_json::json!({"postgres": "ok", "redis": "ok"}));

    app.sim().send_text(app.env.main_bot.id, &app.user(504, "Ola"), "/start").await.unwrap();
    let metrics = http.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("getolog_updates_total{bot_kind=\"main\",outcome=\"handled\"}"), "{metrics}");
    assert!(metrics.contains("getolog_update_duration_seconds_bucket"), "{metrics}");
    assert!(metrics.contains("getolog_bots{state=\"alive\"}"), "{metrics}");
    assert!(!metrics.contains(&app.env.main_bot.token), "a token leaked into metrics");
}

#[actix_web::test]
async fn readiness_fails_when_redis_is_unreachable() {
    let mut env = support::TestEnv::new().await;
    env.settings.redis_url = "redis://127.0.0.1:1".into();
    let start = async {
        // Start-up itself needs Postgres only; Redis down must show in readiness and make
        // deliveries fail with 5xx (Telegram redelivers), not be acknowledged.
        let app = env.start().await;
        let ready = reqwest::get(format!("{}/readyz", app.address)).await.unwrap();
        assert_eq!(ready.status(), 503);
        let d = app.sim().send_text(app.env.main_bot.id, &app.user(505, "Ra"), "/start").await.unwrap();
        assert!(d.status >= 500, "acknowledged without de-duplication: {}", d.status);
        assert!(app.sim().calls_to(app.env.main_bot.id, "sendMessage").is_empty());
    };
    start.await;
}

#[actix_web::test]
async fn a_bot_with_a_full_queue_answers_429_and_the_update_is_handled_on_redelivery() {
    use getolog::simulator::{Fault, FaultRule};
    let mut env = support::TestEnv::new().await;
    env.settings.max_in_flight_per_bot = 1;
    let app = env.start().await;
    let bot = app.env.main_bot.id;
    let slow = FaultRule {
        bot_id: Some(bot),
        method: Some("sendMessage".into()),
        times: 1,
        fault: Fault::Latency(std::time::Duration::from_millis(2000)),
    };
    app.sim().inject_fault(slow);
    let (first_user, second_user) = (app.user(506, "Bir"), app.user(507, "Ikki"));
    let sim = app.sim().clone();
    let first = actix_web::rt::spawn(async move { sim.send_text(bot, &first_user, "/start").await.unwrap().status });
    let slot_taken = |_: &getolog::simulator::Simulator| {
        app.registry.route(bot).is_some_and(|route| route.in_flight.available_permits() == 0)
    };
    // The first update is now inside its (slow) reply; the bot's only slot is taken.
    assert!(app.sim().wait_for(std::time::Duration::from_secs(5), slot_taken).await);
    let second = app.sim().send_text(bot, &second_user, "/start").await.unwrap();
    assert_eq!(second.status, 429, "a full queue must push back, not buffer without bound");
    assert_eq!(first.await.unwrap(), 200);
    let again = app.sim().redeliver(bot, second.update_id).await.unwrap();
    assert_eq!(again.status, 200);
    assert_eq!(app.sim().messages_in(bot, second_user.id).len(), 1);
}

#[actix_web::test]
async fn a_short_retry_after_is_waited_out_and_the_reply_still_goes_out() {
    use getolog::simulator::{Fault, FaultRule};
    let app = spawn_app().await;
    let bot = app.env.main_bot.id;
    let user = app.user(508, "Uch");
    let limited = FaultRule {
        bot_id: Some(bot),
        method: Some("sendMessage".into()),
        times: 1,
        fault: Fault::TooManyRequests { retry_after: 1 },
    };
    app.sim().inject_fault(limited);
    let started = std::time::Instant::now();
    let delivery = app.sim().send_text(bot, &user, "/start").await.unwrap();
    assert_eq!(delivery.status, 200);
    assert!(started.elapsed() >= std::time::Duration::from_secs(1), "retry_after was not honoured");
    assert_eq!(app.sim().messages_in(bot, user.id).len(), 1);
}
