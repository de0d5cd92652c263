//! The real `getolog serve` process: a 2xx is never a lost update even under `kill -9`,
//! and SIGTERM lets in-flight updates finish before the process exits.

use crate::support;

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use crate::support::TestEnv;
use diesel::QueryDsl;
use diesel_async::RunQueryDsl;
use getolog::{
    db::schema::user_admins,
    simulator::{Fault, FaultRule},
};

fn serve(env: &TestEnv, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_getolog"))
        .arg("serve")
        .env_clear()
        .envs(&env.vars)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("SERVER_URL", format!("http://127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start getolog serve")
}

async fn wait_until_serving(env: &TestEnv, port: u16) {
    let url = format!("http://127.0.0.1:{port}/webhook/{}", env.main_bot.id);
    env.sim.clear_calls();
    let registered = env
        .sim
        .wait_for(Duration::from_secs(30), |s| {
            s.webhook(env.main_bot.id).is_some_and(|w| w.url == url)
                && !s.calls_to(env.main_bot.id, "setWebhook").is_empty()
        })
        .await;
    assert!(registered, "getolog serve did not register its webhook");
}

#[actix_web::test]
async fn an_acknowledged_update_survives_kill_9_and_a_refused_one_is_handled_after_restart() {
    let mut env = TestEnv::new().await;
    let port = env.release_port();
    let mut child = serve(&env, port);
    wait_until_serving(&env, port).await;
    let bot = env.main_bot.id;
    let owner = env.sim.user(7_400_000_001, "Jasur", None);
    assert_eq!(env.sim.send_text(bot, &owner, "/start").await.unwrap().status, 200);
    let prompt = env.sim.last_message(bot, owner.id).unwrap();
    let press = env.sim.press_button(bot, &owner, prompt.message_id, "lang:en").await.unwrap();
    assert_eq!(press.status, 200);
    child.kill().unwrap(); // SIGKILL right after the acknowledgement
    child.wait().unwrap();

    let mut conn =
        <diesel_async::AsyncPgConnection as diesel_async::AsyncConnection>::establish(&env.db.url).await.unwrap();
    let owners: i64 = user_admins::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(owners, 1, "an acknowledged update was lost");

    let while_down = env.sim.send_text(bot, &owner, "/start").await.unwrap();
    assert_ne!(while_down.status, 200, "nobody should have acknowledged this");

    let mut child = serve(&env, port);
    wait_until_serving(&env, port).await;
    let redelivered = env.sim.redeliver(bot, while_down.update_id).await.unwrap();
    assert_eq!(redelivered.status, 200);
    assert_eq!(
        env.sim.last_message(bot, owner.id).unwrap().text.as_deref(),
        Some("🌐 Tilni tanlang · Choose your language · Выберите язык")
    );
    let edits_before = env.sim.calls_to(bot, "editMessageText").len();
    assert_eq!(
        env.sim.redeliver(bot, press.update_id).await.unwrap().status,
        200,
        "a handled update is acknowledged again"
    );
    assert_eq!(env.sim.calls_to(bot, "editMessageText").len(), edits_before, "a handled update was handled twice");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[actix_web::test]
async fn sigterm_lets_an_in_flight_update_finish_before_exiting() {
    let mut env = TestEnv::new().await;
    let port = env.release_port();
    let mut child = serve(&env, port);
    wait_until_serving(&env, port).await;
    let bot = env.main_bot.id;
    let slow = FaultRule {
        bot_id: Some(bot),
        method: Some("sendMessage".into()),
        times: 1,
        fault: Fault::Latency(Duration::from_millis(1500)),
    };
    env.sim.inject_fault(slow);
    let user = env.sim.user(7_400_000_002, "Lola", None);
    let sim = env.sim.clone();
    let in_flight = actix_web::rt::spawn(async move { sim.send_text(bot, &user, "/start").await.unwrap().status });
    let metrics = format!("http://127.0.0.1:{port}/metrics");
    let mut started = false;
    for _ in 0..200 {
        let text = reqwest::get(&metrics).await.unwrap().text().await.unwrap();
        if text.lines().any(|l| l.starts_with("getolog_updates_in_flight ") && !l.ends_with(" 0")) {
            started = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(started, "the update never got in flight");
    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    assert_eq!(in_flight.await.unwrap(), 200, "the in-flight update was cut off by shutdown");
    let status = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "getolog serve did not exit cleanly: {status:?}");
    assert_eq!(env.sim.calls_to(bot, "sendMessage").len(), 1);
}

#[actix_web::test]
async fn migrate_is_idempotent_and_a_bad_setting_stops_serve_with_one_line() {
    let env = TestEnv::new().await;
    let fresh = getolog::db::scratch::ScratchDatabase::create(&support::db::server_url(), "getolog_test_migrate").await;
    let fresh = fresh.unwrap();
    // The scratch database is already migrated from the template: migrate must be a no-op.
    let migrate = Command::new(env!("CARGO_BIN_EXE_getolog"))
        .arg("migrate")
        .env_clear()
        .env("DATABASE_URL", &fresh.url)
        .output()
        .unwrap();
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
    assert_eq!(String::from_utf8_lossy(&migrate.stdout).trim(), "database is up to date");

    let mut vars = env.vars.clone();
    vars.insert("SCHEDULER_EXPIRY_EVERY".into(), "ten minutes".into());
    let serve = Command::new(env!("CARGO_BIN_EXE_getolog")).arg("serve").env_clear().envs(&vars).output().unwrap();
    assert_eq!(serve.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&serve.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("configuration: SCHEDULER_EXPIRY_EVERY is invalid"), "{stderr}");
    let bare = Command::new(env!("CARGO_BIN_EXE_getolog")).arg("serve").env_clear().output().unwrap();
    assert_eq!(String::from_utf8_lossy(&bare.stderr).trim(), "configuration: BOT_TOKEN is missing");
}
