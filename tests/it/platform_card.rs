//! `PLATFORM_CARD_NUMBER` is checked at start like an owner's card: given with spaces it is
//! shown grouped by four on the plan pay screen; a bad one stops `getolog serve` with one line.

use std::{
    io::Read,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::support::TestEnv;
use getolog::config::Settings;

#[actix_web::test]
async fn a_platform_card_given_with_spaces_is_shown_grouped_by_four() {
    let mut env = TestEnv::new().await;
    env.vars.insert("PLATFORM_CARD_NUMBER".into(), "9860 1234 5678 9015".into());
    env.vars.insert("PLATFORM_CARD_HOLDER".into(), "Getolog LLC".into());
    let trigger = env.settings.test_panic_trigger.take();
    env.settings = Settings::from_map(&env.vars).unwrap();
    env.settings.test_panic_trigger = trigger;
    let app = env.start().await;
    let owner = app.register_owner(7_000_002_001, "Kamol", "en").await;

    app.say(app.main_id(), &owner, "/plan").await;
    let pay = app.press(app.main_id(), &owner, "pl:1").await.text.unwrap();
    assert!(pay.contains("9860 1234 5678 9015"), "{pay}");
    assert!(pay.contains("Getolog LLC"), "{pay}");
}

#[actix_web::test]
async fn a_bad_platform_card_stops_serve_with_exit_code_2_and_one_line() {
    let env = TestEnv::new().await;
    let mut serve = Command::new(env!("CARGO_BIN_EXE_getolog"))
        .arg("serve")
        .env_clear()
        .envs(&env.vars)
        .env("LISTEN_ADDR", "127.0.0.1:0")
        .env("PLATFORM_CARD_NUMBER", "8600 1234 1234 1234") // Luhn fails
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A binary that accepted the card would serve forever: give it a bounded time to stop.
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = serve.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            serve.kill().unwrap();
            serve.wait().unwrap();
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut stderr = String::new();
    serve.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert_eq!(status.and_then(|s| s.code()), Some(2), "serve did not stop on a bad card: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("configuration: PLATFORM_CARD_NUMBER is invalid"), "{stderr}");
}
