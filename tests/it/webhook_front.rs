//! The webhook front: authentication, limits, parsing, exactly-once handling, health, and
//! unknown bot ids that cannot flood the database.

use crate::support;

use std::time::{Duration, Instant};

use crate::support::{spawn_app, TestApp, TestEnv};

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

/// Posts `/start` for `bot` straight to the front, as Telegram would; returns the status.
async fn post_start(app: &TestApp, http: &reqwest::Client, bot: i64, secret: &str, update_id: i64) -> u16 {
    let url = format!("{}/webhook/{bot}", app.address);
    let request = http.post(url).header("X-Telegram-Bot-Api-Secret-Token", secret).json(&start_update(update_id, 509));
    request.send().await.unwrap().status().as_u16()
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
async fn an_update_that_gets_no_redis_connection_is_answered_503_and_handled_on_redelivery() {
    let mut env = support::TestEnv::new().await;
    let redis = url::Url::parse(&env.settings.redis_url).unwrap();
    let proxy = support::proxy::CuttableProxy::start(&format!("127.0.0.1:{}", redis.port().unwrap_or(6379))).await;
    let mut via_proxy = redis.clone();
    via_proxy.set_port(Some(proxy.port)).unwrap();
    env.settings.redis_url = via_proxy.to_string();
    let app = env.start().await;
    let bot = app.env.main_bot.id;
    let user = app.user(509, "To'rt");
    proxy.cut().await;
    let refused = app.sim().send_text(bot, &user, "/start").await.unwrap();
    assert_eq!(refused.status, 503, "no storage connection within the wait means come back later, not 500");
    assert!(app.sim().messages_in(bot, user.id).is_empty());
    proxy.restore();
    let again = app.sim().redeliver(bot, refused.update_id).await.unwrap();
    assert_eq!(again.status, 200);
    assert_eq!(app.sim().messages_in(bot, user.id).len(), 1);
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

#[actix_web::test]
async fn a_flood_of_made_up_bot_ids_is_refused_with_few_lookups_and_real_updates_still_pass() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let made_up: Vec<i64> = (0..500).map(|i| 5_000_000_000 + i).collect();
    let flood = || futures_util::future::join_all(made_up.iter().map(|id| post_start(&app, &http, *id, "x", 1)));
    let real = async {
        let started = Instant::now();
        let status = app.sim().send_text(app.main_id(), &app.user(510, "Real"), "/start").await.unwrap().status;
        (status, started.elapsed())
    };
    let (statuses, (real_status, took)) = futures_util::join!(flood(), real);
    assert!(statuses.iter().all(|s| [404, 503].contains(s)), "{statuses:?}");
    assert_eq!(real_status, 200, "a real update was refused during the flood");
    assert!(took < Duration::from_secs(5), "a real update waited {took:?} behind the flood");
    assert!(app.lookups.most_at_once() <= 4, "{} lookups ran at once", app.lookups.most_at_once());

    // Within the TTL an id found unknown is answered from memory: each id costs one lookup at most.
    let again = flood().await;
    assert!(again.iter().all(|s| [404, 503].contains(s)), "{again:?}");
    assert!(app.lookups.started() <= 500, "{} lookups for 500 ids", app.lookups.started());
    let before = app.lookups.started();
    assert_eq!(post_start(&app, &http, 4_999_999_999, "x", 1).await, 404);
    assert_eq!(post_start(&app, &http, 4_999_999_999, "x", 2).await, 404);
    assert_eq!(app.lookups.started(), before + 1, "a repeated unknown id was looked up twice");
}

#[actix_web::test]
async fn a_bot_connected_on_another_node_is_adopted_once_its_unknown_entry_expires() {
    let mut env = TestEnv::new().await;
    env.settings.unknown_bot_ttl = Duration::from_millis(400);
    let app = env.start().await;
    let http = reqwest::Client::new();
    let bot = app.sim().create_bot("other_node_bot");
    assert_eq!(post_start(&app, &http, bot.id, "x", 1).await, 404);
    let secret = app.env.store_seller_bot(7_000_003_001, &bot).await; // connected on another node
    assert_eq!(post_start(&app, &http, bot.id, &secret, 2).await, 404, "remembered within the TTL");
    assert_eq!(app.lookups.started(), 1, "no second lookup within the TTL");

    tokio::time::sleep(Duration::from_millis(600)).await;
    let url = format!("{}/webhook/{}", app.address, bot.id);
    let request = http.post(url).header("X-Telegram-Bot-Api-Secret-Token", &secret).json(&start_update(3, 509));
    let answered = request.send().await.unwrap();
    assert_eq!(answered.status(), 200, "adopted once the TTL passed");
    assert_eq!(app.lookups.started(), 2);
    // The language prompt rides on the webhook's reply.
    let reply = answered.text().await.unwrap();
    assert!(reply.contains(r#""method":"sendMessage""#), "the adopted bot answered: {reply}");
}

#[actix_web::test]
async fn a_bot_connected_on_this_node_is_never_hidden_by_its_unknown_entry() {
    let app = spawn_app().await;
    let http = reqwest::Client::new();
    let owner = app.register_owner(7_000_003_002, "Dilnoza", "en").await;
    let bot = app.sim().create_bot("this_node_bot");
    assert_eq!(post_start(&app, &http, bot.id, "x", 1).await, 404);
    assert!(app.registry.recently_unknown(bot.id));
    app.connect_existing_bot(&owner, &bot).await;
    assert!(!app.registry.recently_unknown(bot.id), "registering forgets the id");
    let customer = app.user(7_100_003_001, "Bahor");
    assert_eq!(app.sim().send_text(bot.id, &customer, "/start").await.unwrap().status, 200);
}
