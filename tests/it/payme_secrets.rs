//! Payme keys never reach the log: the real `getolog serve`, logging at debug, reads an
//! owner's new key from the main bot, answers Payme's calls (a payment, a wrong key, a
//! ChangePassword) and hands the access over; then its whole output is searched for every
//! key and every Authorization value that carried one.

use crate::support;

use crate::support::{payme::PAYME_TEST_KEY, serve::Serve, spawn_app};
use base64::Engine as _;
use getolog::simulator::{payme::open_checkout, SimUser, Simulator};

const LIVE_KEY: &str = "Live#Key&Secret?2026_qwerty";
const CHANGED_KEY: &str = "Changed#Key&Secret?2027_zz";
const WRONG_KEY: &str = "Wrong#Key&Secret?2026_nope";

/// Presses the newest button `data` in the chat; the bot has handled it when this returns.
async fn press(sim: &Simulator, bot: i64, user: &SimUser, data: &str) {
    let message = sim
        .messages_in(bot, user.id)
        .into_iter()
        .rev()
        .find(|m| m.buttons().iter().flatten().any(|(_, d)| d == data))
        .unwrap_or_else(|| panic!("no button {data}"));
    assert_eq!(sim.press_button(bot, user, message.message_id, data).await.unwrap().status, 200, "{data}");
}

#[actix_web::test]
async fn no_payme_key_reaches_the_log_even_at_debug() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_931, "secret_payme_bot").await;
    let (_, payme) = app.connect_payme(&shop).await;
    // The child process runs on the real clock, so Payme's times do too.
    let payme = payme.with_clock(std::sync::Arc::new(getolog::clock::SystemClock));
    let customer = app.user(7_100_000_931, "Nigora");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let main = app.main_id();
    let mut env = app.stop().await;
    let port = env.release_port();
    let log = std::env::temp_dir().join(format!("getolog-payme-secrets-{}-{port}.log", std::process::id()));
    let mut serve = Serve::start_logged(&env, port, &[], &log).await;
    let sim = env.sim.clone();

    // The owner types a production key into the main bot.
    assert_eq!(sim.send_text(main, &shop.owner, "/menu").await.unwrap().status, 200);
    for data in ["s", "s:methods", "s:pm", "s:pm:key"] {
        press(&sim, main, &shop.owner, data).await;
    }
    assert_eq!(sim.send_text(main, &shop.owner, LIVE_KEY).await.unwrap().status, 200);
    let saved = sim.last_message(main, shop.owner.id).unwrap().text.unwrap();
    assert!(saved.contains("Production key: set"), "{saved}");

    // A customer pays with Payme; Payme also tries a wrong key and changes the key.
    press(&sim, shop.bot, &customer, &format!("buy:{}", shop.channel)).await;
    press(&sim, shop.bot, &customer, &format!("pay:{}:payme", shop.channel)).await;
    let screen = sim.last_message(shop.bot, customer.id).unwrap();
    let url =
        screen.buttons().into_iter().flatten().map(|(_, d)| d).find(|d| d.starts_with("https://checkout")).unwrap();
    let (_, performed) = payme.pay(&open_checkout(&url).unwrap()).await.unwrap();
    assert_eq!(performed.result().unwrap()["state"].as_i64(), Some(2), "{:?}", performed.body);
    assert_eq!(payme.with_key(WRONG_KEY).check_perform(1, "1").await.unwrap().error_code(), Some(-32504));
    let changed = payme.call("ChangePassword", serde_json::json!({ "password": CHANGED_KEY })).await.unwrap();
    assert!(changed.result().is_some());
    support::shop::wait_for_message(&sim, shop.bot, customer.id, "https://t.me/+").await;
    serve.kill();

    let output = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    assert!(output.lines().count() > 10, "the process logged at debug: {output}");
    for key in [PAYME_TEST_KEY, LIVE_KEY, CHANGED_KEY, WRONG_KEY] {
        let header = base64::engine::general_purpose::STANDARD.encode(format!("Paycom:{key}"));
        assert!(!output.contains(key), "a key is in the log");
        assert!(!output.contains(&header), "an Authorization value is in the log");
    }
}
