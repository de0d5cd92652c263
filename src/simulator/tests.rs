//! Tests of the simulator over plain HTTP, plus a webhook receiver shared with the teloxide tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::{json, Value};

use crate::simulator::*;

/// What a [`Hook`] received: secret header and body of each post.
pub(crate) type Received = Arc<Mutex<Vec<(Option<String>, Value)>>>;

/// A webhook endpoint recording what it receives.
#[derive(Clone)]
pub(crate) struct Hook {
    pub url: String,
    pub got: Received,
    pub status: Arc<AtomicU16>,
}

impl Hook {
    pub(crate) async fn start() -> Hook {
        let got: Received = Arc::default();
        let status = Arc::new(AtomicU16::new(200));
        let (g, s) = (got.clone(), status.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = HttpServer::new(move || {
            let (g, s) = (g.clone(), s.clone());
            App::new().route(
                "/hook",
                web::post().to(move |req: HttpRequest, body: web::Bytes| {
                    let (g, s) = (g.clone(), s.clone());
                    async move {
                        let secret = req
                            .headers()
                            .get("X-Telegram-Bot-Api-Secret-Token")
                            .map(|v| v.to_str().unwrap().to_owned());
                        let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                        g.lock().unwrap().push((secret, v));
                        HttpResponse::build(actix_web::http::StatusCode::from_u16(s.load(Ordering::SeqCst)).unwrap())
                            .finish()
                    }
                }),
            )
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Hook { url: format!("http://{addr}/hook"), got, status }
    }

    pub(crate) fn updates(&self) -> Vec<Value> {
        self.got.lock().unwrap().iter().map(|(_, v)| v.clone()).collect()
    }

    pub(crate) fn last(&self) -> Value {
        self.updates().last().cloned().unwrap()
    }
}

/// Parses an update with teloxide-core and checks it is not an `Error` kind.
pub(crate) fn parse_update(v: &Value) -> teloxide_core::types::Update {
    let bytes = serde_json::to_vec(v).unwrap();
    let u: teloxide_core::types::Update = serde_json::from_slice(&bytes).unwrap();
    assert!(!matches!(u.kind, teloxide_core::types::UpdateKind::Error(_)), "teloxide could not parse {v}");
    u
}

pub(crate) async fn call(sim: &Simulator, token: &str, method: &str, params: Value) -> (u16, Value) {
    let url = format!("{}bot{token}/{method}", sim.api_url());
    let resp = reqwest::Client::new().post(url).json(&params).send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

/// A simulator with one bot whose webhook points at a fresh [`Hook`].
pub(crate) async fn setup(allowed: Value) -> (Simulator, SimBot, Hook) {
    let sim = Simulator::start().await.unwrap();
    let bot = sim.create_bot("test_bot");
    let hook = Hook::start().await;
    let (code, v) = call(
        &sim,
        &bot.token,
        "setWebhook",
        json!({"url": hook.url, "secret_token": "s3cr-et_", "allowed_updates": allowed}),
    )
    .await;
    assert_eq!(code, 200, "{v}");
    (sim, bot, hook)
}

#[actix_web::test]
async fn envelope_tokens_and_methods() {
    let sim = Simulator::start().await.unwrap();
    let bot = sim.create_bot("env_bot");
    let (code, v) = call(&sim, &bot.token, "GETME", json!({})).await;
    assert_eq!((code, v["ok"].clone(), v["result"]["username"].clone()), (200, json!(true), json!("env_bot")));
    let (code, v) = call(&sim, "1:bad", "getMe", json!({})).await;
    assert_eq!((code, v["description"].as_str().unwrap()), (401, "Unauthorized"));
    let (code, v) = call(&sim, &bot.token, "noSuchMethod", json!({})).await;
    assert_eq!((code, v["error_code"].clone()), (404, json!(404)));
    let old = bot.token.clone();
    let new = sim.new_token(bot.id).unwrap();
    assert_eq!(call(&sim, &old, "getMe", json!({})).await.0, 401);
    assert_eq!(call(&sim, &new, "getMe", json!({})).await.0, 200);
    sim.revoke_token(bot.id);
    assert_eq!(call(&sim, &new, "getMe", json!({})).await.0, 401);
    let calls = sim.calls();
    assert_eq!(calls[0].method, "getMe");
    assert!(calls.iter().any(|c| c.bot_id == 0 && !c.response_ok));
    sim.stop().await;
}

#[actix_web::test]
async fn form_and_query_params() {
    let (sim, bot, _hook) = setup(json!([])).await;
    let user = sim.user(5_000_000_001, "Ali", Some("ali"));
    sim.send_text(bot.id, &user, "hi").await.unwrap();
    let url = format!("{}bot{}/sendMessage?chat_id={}", sim.api_url(), bot.token, user.id);
    let resp = reqwest::Client::new()
        .post(url)
        .form(&[("text", "123"), ("reply_markup", r#"{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let m = sim.last_message(bot.id, user.id).unwrap();
    assert_eq!(m.text.as_deref(), Some("123"));
    assert_eq!(m.buttons(), vec![vec![("A".to_owned(), "a".to_owned())]]);
    let c = sim.calls_to(bot.id, "sendmessage");
    assert_eq!(c[0].params["chat_id"], json!(user.id));
    assert!(c[0].params["reply_markup"].is_object());
}

#[actix_web::test]
async fn send_rules_and_errors() {
    let (sim, bot, _hook) = setup(json!([])).await;
    let user = sim.user(5_000_000_002, "Bo", None);
    let t = &bot.token;
    let send = |text: &str, mode: Option<&str>| json!({"chat_id": user.id, "text": text, "parse_mode": mode});
    let (code, v) = call(&sim, t, "sendMessage", send("hi", None)).await;
    assert_eq!(code, 403);
    assert_eq!(v["description"], "Forbidden: bot can't initiate conversation with a user");
    sim.send_text(bot.id, &user, "/start").await.unwrap();
    assert!(sim.has_started(bot.id, user.id));
    for (text, mode, expect) in [
        ("<b>x", Some("HTML"), "Bad Request: can't parse entities"),
        ("a < b", Some("HTML"), "Bad Request: can't parse entities"),
        ("", None, "Bad Request: message text is empty"),
    ] {
        let (code, v) = call(&sim, t, "sendMessage", send(text, mode)).await;
        assert_eq!(code, 400);
        assert!(v["description"].as_str().unwrap().starts_with(expect), "{v}");
    }
    let (code, _) = call(&sim, t, "sendMessage", send(&"x".repeat(4097), None)).await;
    assert_eq!(code, 400);
    let (code, v) = call(&sim, t, "sendMessage", json!({"text": "x"})).await;
    assert_eq!((code, v["description"].as_str().unwrap()), (400, "Bad Request: chat_id is empty"));
    let long = json!({"chat_id": user.id, "text": "k",
        "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "d".repeat(65)}]]}});
    assert_eq!(call(&sim, t, "sendMessage", long).await.0, 400);
    let (code, v) = call(&sim, t, "sendMessage", send("<b>ok</b> &amp;", Some("HTML"))).await;
    assert_eq!(code, 200);
    assert_eq!(v["result"]["text"], "ok &");
    let id = v["result"]["message_id"].clone();
    let edit = json!({"chat_id": user.id, "message_id": id, "text": "<b>ok</b> &amp;", "parse_mode": "HTML"});
    let (code, v) = call(&sim, t, "editMessageText", edit).await;
    assert_eq!(code, 400);
    assert!(v["description"].as_str().unwrap().starts_with("Bad Request: message is not modified"));
    let (code, _) = call(&sim, t, "sendMessage", json!({"chat_id": -42, "text": "x"})).await;
    assert_eq!(code, 400);
    sim.block_bot(bot.id, user.id);
    let (code, v) = call(&sim, t, "sendMessage", send("hi", None)).await;
    assert_eq!((code, v["description"].as_str().unwrap()), (403, "Forbidden: bot was blocked by the user"));
}

#[actix_web::test]
async fn faults_and_recording() {
    let sim = Simulator::start().await.unwrap();
    let bot = sim.create_bot("f_bot");
    sim.inject_fault(FaultRule {
        bot_id: Some(bot.id),
        method: Some("GetMe".into()),
        times: 2,
        fault: Fault::TooManyRequests { retry_after: 7 },
    });
    let (code, v) = call(&sim, &bot.token, "getMe", json!({})).await;
    assert_eq!((code, v["parameters"]["retry_after"].clone()), (429, json!(7)));
    assert_eq!(call(&sim, &bot.token, "getMe", json!({})).await.0, 429);
    assert_eq!(call(&sim, &bot.token, "getMe", json!({})).await.0, 200);
    sim.inject_fault(FaultRule { bot_id: None, method: None, times: 1, fault: Fault::ServerError(502) });
    assert_eq!(call(&sim, &bot.token, "getMe", json!({})).await.0, 502);
    sim.inject_fault(FaultRule {
        bot_id: None,
        method: None,
        times: 1,
        fault: Fault::Latency(Duration::from_millis(30)),
    });
    assert_eq!(call(&sim, &bot.token, "getMe", json!({})).await.0, 200);
    assert_eq!(sim.calls_of(bot.id).len(), 5);
    sim.set_recording(false);
    call(&sim, &bot.token, "getMe", json!({})).await;
    assert_eq!(sim.calls().len(), 5);
    sim.clear_calls();
    assert!(sim.calls().is_empty());
}

#[actix_web::test]
async fn webhook_settings_and_delivery() {
    let (sim, bot, hook) = setup(json!(["message", "callback_query"])).await;
    let w = sim.webhook(bot.id).unwrap();
    assert_eq!(w.secret_token.as_deref(), Some("s3cr-et_"));
    assert_eq!(w.allowed_updates, vec!["message", "callback_query"]);
    assert_eq!(w.max_connections, 40);
    let t = &bot.token;
    let (code, _) = call(&sim, t, "setWebhook", json!({"url": hook.url, "secret_token": "bad secret!"})).await;
    assert_eq!(code, 400);
    assert_eq!(call(&sim, t, "setWebhook", json!({"url": hook.url, "max_connections": 101})).await.0, 400);
    // allowed_updates omitted: kept.
    assert_eq!(call(&sim, t, "setWebhook", json!({"url": hook.url, "secret_token": "abc"})).await.0, 200);
    assert_eq!(sim.webhook(bot.id).unwrap().allowed_updates.len(), 2);
    let (_, info) = call(&sim, t, "getWebhookInfo", json!({})).await;
    assert_eq!(info["result"]["url"], json!(hook.url));
    let user = sim.user(5_000_000_003, "Cy", None);
    let d = sim.send_text(bot.id, &user, "hello").await.unwrap();
    assert_eq!(d.status, 200);
    let got = hook.got.lock().unwrap().clone();
    assert_eq!(got[0].0.as_deref(), Some("abc"));
    assert_eq!(got[0].1["update_id"], json!(d.update_id));
    parse_update(&got[0].1);
    let again = sim.redeliver(bot.id, d.update_id).await.unwrap();
    assert_eq!(again.update_id, d.update_id);
    assert_eq!(hook.updates()[1], hook.updates()[0]);
    let e = sim.deliver_raw(bot.id, json!({"chat_member": {}})).await;
    assert!(matches!(e, Err(SimError::NotAllowed { .. })));
    assert_eq!(sim.post_to_webhook(bot.id, "{}", Some("wrong")).await.unwrap(), 200);
    hook.status.store(500, Ordering::SeqCst);
    assert_eq!(sim.send_text(bot.id, &user, "x").await.unwrap().status, 500);
    assert_eq!(call(&sim, t, "deleteWebhook", json!({})).await.0, 200);
    assert_eq!(sim.send_text(bot.id, &user, "x").await, Err(SimError::NoWebhook(bot.id)));
}

#[actix_web::test]
async fn callbacks() {
    let (sim, bot, hook) = setup(json!([])).await;
    let user = sim.user(5_000_000_004, "Di", None);
    sim.send_text(bot.id, &user, "/start").await.unwrap();
    let markup = json!({"inline_keyboard": [[{"text": "Buy", "callback_data": "buy:1"}]]});
    let (_, v) =
        call(&sim, &bot.token, "sendMessage", json!({"chat_id": user.id, "text": "Menu", "reply_markup": markup}))
            .await;
    let mid = v["result"]["message_id"].as_i64().unwrap();
    assert_eq!(sim.buttons(bot.id, user.id, mid)[0][0].1, "buy:1");
    assert!(matches!(sim.press_button(bot.id, &user, mid, "nope").await, Err(SimError::NoButton(_))));
    sim.press_button(bot.id, &user, mid, "buy:1").await.unwrap();
    let u = hook.last();
    parse_update(&u);
    let qid = u["callback_query"]["id"].as_str().unwrap().to_owned();
    assert_eq!(sim.last_callback_id(bot.id).as_deref(), Some(qid.as_str()));
    let other = sim.create_bot("other_bot");
    let ans = json!({"callback_query_id": qid});
    assert_eq!(call(&sim, &other.token, "answerCallbackQuery", ans.clone()).await.0, 400);
    assert_eq!(call(&sim, &bot.token, "answerCallbackQuery", ans.clone()).await.0, 200);
    let (code, v) = call(&sim, &bot.token, "answerCallbackQuery", ans).await;
    assert_eq!(code, 400);
    assert!(v["description"].as_str().unwrap().contains("query ID is invalid"));
    assert_eq!(sim.callback_answered(&qid), Some(true));
    // Editing without reply_markup drops the keyboard.
    let edit = json!({"chat_id": user.id, "message_id": mid, "text": "Done"});
    assert_eq!(call(&sim, &bot.token, "editMessageText", edit).await.0, 200);
    let m = sim.message(bot.id, user.id, mid).unwrap();
    assert!(m.edited && m.buttons().is_empty() && m.text.as_deref() == Some("Done"));
}
